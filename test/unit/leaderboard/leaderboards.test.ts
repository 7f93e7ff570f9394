import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { makeEvent, type EventType, type PayloadOf } from '../../../systems/passport/index.js';
import {
  DEFAULT_LEADERBOARDS,
  KPI_LEADERBOARD,
  STATIC_LEADERBOARDS,
  leaderboardDefinition,
  publicLeaderboardDefinition,
  trendingRows,
} from '../../../systems/leaderboard/leaderboards.js';
import { isValidId, type LeaderboardIncrement } from '../../../systems/leaderboard/windows.js';
import { boardOfRollup, familyRuleOf, transitionName } from '../../../systems/leaderboard/countingRules.js';
import { leaderboardIncrements } from '../../../systems/leaderboard/countingRules.js';

const NOW = Date.parse('2025-01-15T12:30:00.000Z');
const USER = '3f2b6c1e-8a4d-4c7e-9b1a-0d5e6f7a8b9c';

function event<T extends EventType>(type: T, payload: PayloadOf<T>, extra: { userId?: string | null } = {}) {
  return makeEvent(
    type,
    { payload },
    { userId: extra.userId === undefined ? USER : extra.userId, sessionId: 'sess-1', deviceId: 'dev-1', source: 'room' },
    NOW,
    randomUUID,
  );
}

/** The increments without the KPI counters, sorted for comparison. */
const leaderboards = (items: LeaderboardIncrement[]): LeaderboardIncrement[] =>
  items.filter((i) => i.leaderboard !== KPI_LEADERBOARD).sort((a, b) => (a.leaderboard + a.entityId).localeCompare(b.leaderboard + b.entityId));
const kpis = (items: LeaderboardIncrement[]): Record<string, number> =>
  Object.fromEntries(items.filter((i) => i.leaderboard === KPI_LEADERBOARD).map((i) => [i.entityId, i.by]));

describe('live leaderboards: passport event → increments', () => {
  it('station.visited counts a visit for the artist, named from the payload (seed 000 step 9 "most explored")', () => {
    const items = leaderboardIncrements(
      event('station.visited', {
        artistId: 'artist_wizkid',
        artistName: 'Wizkid',
        frequency: 99.9,
        method: 'swipe',
        cameFrom: null,
        orbId: null,
        relationship: null,
      } as never),
    );
    assert.deepEqual(leaderboards(items), [{ leaderboard: 'artists.visits', entityId: 'artist_wizkid', by: 1, name: 'Wizkid' }]);
    assert.deepEqual(kpis(items), { events: 1, visits: 1 });
  });

  it('station.locked counts as a visit too, as the rollups do; the name comes from the context', () => {
    const items = leaderboardIncrements(event('station.locked', { frequency: 105.5, artistId: 'artist_burna_boy' }), {
      artistName: (id) => (id === 'artist_burna_boy' ? 'Burna Boy' : undefined),
    });
    assert.deepEqual(leaderboards(items), [{ leaderboard: 'artists.visits', entityId: 'artist_burna_boy', by: 1, name: 'Burna Boy' }]);
  });

  it('constellation.captured counts on the captures leaderboard and the captures KPI', () => {
    const items = leaderboardIncrements(
      event('constellation.captured', { artistId: 'artist_fela', artistName: 'Fela Kuti', position: { x: 1, y: 2, z: 3 } } as never),
    );
    assert.deepEqual(leaderboards(items), [{ leaderboard: 'artists.captures', entityId: 'artist_fela', by: 1, name: 'Fela Kuti' }]);
    assert.deepEqual(kpis(items), { events: 1, captures: 1 });
  });

  it('orb.tapped counts the transition from>to, named "From → To" only when both names are known', () => {
    const tap = event('orb.tapped', { orbId: 'orb-1', fromArtistId: 'artist_wizkid', toArtistId: 'artist_fela', relationship: 'influenced_by' });
    assert.deepEqual(leaderboards(leaderboardIncrements(tap)), [{ leaderboard: 'orbs.transitions', entityId: 'artist_wizkid>artist_fela', by: 1 }]);
    const names = new Map([
      ['artist_wizkid', 'Wizkid'],
      ['artist_fela', 'Fela Kuti'],
    ]);
    assert.deepEqual(leaderboards(leaderboardIncrements(tap, { artistName: (id) => names.get(id) })), [
      { leaderboard: 'orbs.transitions', entityId: 'artist_wizkid>artist_fela', by: 1, name: 'Wizkid → Fela Kuti' },
    ]);
    assert.equal(
      transitionName('a>b', (id) => (id === 'a' ? 'A' : undefined)),
      undefined,
    );
    assert.deepEqual(kpis(leaderboardIncrements(tap)), { events: 1, transitions: 1 });
  });

  it('concierto.vote_cast counts on votes.<eventId> and events.votes by weight (default 1), and once on events.engagement', () => {
    const weighted = leaderboardIncrements(event('concierto.vote_cast', { eventId: 'ev-42', voteFor: 'artist_tems', weight: 3 }));
    assert.deepEqual(leaderboards(weighted), [
      { leaderboard: 'engagement.ev-42', entityId: USER, by: 1 },
      { leaderboard: 'events.engagement', entityId: 'ev-42', by: 1 },
      { leaderboard: 'events.votes', entityId: 'ev-42', by: 3 },
      { leaderboard: 'votes.ev-42', entityId: 'artist_tems', by: 3 },
    ]);
    assert.deepEqual(kpis(weighted), { events: 1, votes: 3 });
    const seed003 = leaderboardIncrements(event('concierto.vote_cast', { eventId: 'ev-42', artistId: 'artist_rema' } as never));
    assert.deepEqual(
      leaderboards(seed003).find((i) => i.leaderboard === 'votes.ev-42'),
      { leaderboard: 'votes.ev-42', entityId: 'artist_rema', by: 1 },
      'artistId (seed 003) names the option too',
    );
  });

  it('treasury.purchase_completed adds integer cents to revenue.<currency> by artist, by event and by its user (spent), and to the revenue KPI; engagement to its event and its attendee', () => {
    const bought = leaderboardIncrements(
      event('treasury.purchase_completed', { amountCents: 4500, currency: 'USD', artistId: 'a-1', eventId: 'ev-1' } as never),
    );
    assert.deepEqual(leaderboards(bought), [
      { leaderboard: 'engagement.ev-1', entityId: USER, by: 1 },
      { leaderboard: 'events.engagement', entityId: 'ev-1', by: 1 },
      { leaderboard: 'events.revenue.usd', entityId: 'ev-1', by: 4500 },
      { leaderboard: 'revenue.usd', entityId: 'a-1', by: 4500 },
      { leaderboard: 'spent.usd', entityId: USER, by: 4500 },
    ]);
    assert.deepEqual(kpis(bought), { events: 1, 'revenue:usd': 4500 });
    assert.deepEqual(
      leaderboards(leaderboardIncrements(event('treasury.purchase_completed', { amountCents: 0, currency: 'usd', artistId: 'a-1' } as never))),
      [],
      'a free item moves nothing',
    );
  });

  it('cities.engagement counts engagement events from the payload city first, else the user city; never bookkeeping', () => {
    const visit = event('station.visited', { artistId: 'a1', frequency: 99.9, method: 'tune' });
    assert.deepEqual(
      leaderboards(leaderboardIncrements(visit, { city: 'Lagos' })).map((i) => `${i.leaderboard}:${i.entityId}`),
      ['artists.visits:a1', 'cities.engagement:Lagos'],
    );
    const attended = event('concierto.event_attended', { eventId: 'ev-1', city: 'Accra' });
    assert.deepEqual(
      leaderboards(leaderboardIncrements(attended, { city: 'Lagos' })).map((i) => `${i.leaderboard}:${i.entityId}`),
      ['cities.engagement:Accra', `engagement.ev-1:${USER}`, 'events.attendance:ev-1', 'events.engagement:ev-1'],
    );
    const started = event('session.started', { frequency: 99.9 });
    assert.deepEqual(leaderboards(leaderboardIncrements(started, { city: 'Lagos' })), [], 'session bookkeeping is not engagement');
    assert.deepEqual(kpis(leaderboardIncrements(started)), { events: 1, sessions: 1 });
    assert.deepEqual(
      leaderboards(leaderboardIncrements(visit)).map((i) => i.leaderboard),
      ['artists.visits'],
      'no city known: no city increment',
    );
  });

  it('player.track_played counts the track and, with an artistId, the artist', () => {
    const items = leaderboardIncrements(event('player.track_played', { trackId: 't-1', artistId: 'a-1' }));
    assert.deepEqual(
      leaderboards(items).map((i) => `${i.leaderboard}:${i.entityId}`),
      ['artists.plays:a-1', 'tracks.plays:t-1'],
    );
  });

  it('every event counts once on the events KPI, even ones no leaderboard shows', () => {
    assert.deepEqual(leaderboardIncrements(event('sensor.batch', { samples: 3, totalDuration: 1.5 })), [
      { leaderboard: KPI_LEADERBOARD, entityId: 'events', by: 1 },
    ]);
  });

  it('leaves out ids a store would refuse, so one odd event cannot fail a batch', () => {
    const spaced = leaderboardIncrements(event('concierto.vote_cast', { eventId: 'ev with spaces', voteFor: 'x' }));
    assert.deepEqual(leaderboards(spaced), []);
    const longPair = leaderboardIncrements(event('orb.tapped', { fromArtistId: 'a'.repeat(150), toArtistId: 'b'.repeat(150) }));
    assert.deepEqual(leaderboards(longPair), []);
    const badName = leaderboardIncrements(event('station.visited', { artistId: 'a1', artistName: 'bad\u0007name', frequency: 99.9, method: 'swipe' } as never));
    assert.deepEqual(leaderboards(badName), [{ leaderboard: 'artists.visits', entityId: 'a1', by: 1 }], 'the increment stays, the bad name goes');
    assert.equal(isValidId('a😀'), true);
    assert.equal(isValidId('a\uD800'), false);
  });
});

describe('leaderboard registry', () => {
  it('knows the static leaderboards and votes.<eventId>; the KPI leaderboard is internal', () => {
    for (const name of Object.keys(STATIC_LEADERBOARDS)) assert.equal(leaderboardDefinition(name)?.name, name);
    for (const name of DEFAULT_LEADERBOARDS) assert.ok(leaderboardDefinition(name));
    assert.deepEqual(boardOfRollup('vote_option', 'votes', 'ev-1>artist_tems'), {
      leaderboard: 'votes.ev-1',
      entityId: 'artist_tems',
      rule: familyRuleOf('votes.ev-1'),
    });
    assert.equal(leaderboardDefinition('votes.'), null);
    assert.equal(leaderboardDefinition(KPI_LEADERBOARD), null);
    assert.equal(leaderboardDefinition('nope'), null);
    assert.equal(leaderboardDefinition('constructor'), null);
    assert.equal(leaderboardDefinition('artists.trending')?.base, 'artists.visits');
  });

  it('knows the treasury and attendee families, and keeps boards of people for operators', () => {
    assert.deepEqual(leaderboardDefinition('events.revenue.eur'), {
      name: 'events.revenue.eur',
      title: 'Top events by revenue (EUR)',
      kind: 'counter',
    });
    assert.equal(boardOfRollup('event_revenue', 'revenue_cents', 'eur>ev-1')?.leaderboard, 'events.revenue.eur');
    assert.equal(publicLeaderboardDefinition('events.revenue.eur')?.name, 'events.revenue.eur');
    for (const name of ['spent.usd', 'earned.usd', 'artists.earned.ngn', 'events.earned.usd', 'engagement.ev-1']) {
      assert.equal(leaderboardDefinition(name)?.audience, 'ops', name);
      assert.equal(publicLeaderboardDefinition(name), null, `${name} is not public`);
    }
    assert.equal(leaderboardDefinition('engagement.ev-1')?.title, 'Attendee engagement: ev-1');
    assert.equal(leaderboardDefinition('spent.USD'), null, 'a currency key is 3 lower-case letters');
    assert.equal(leaderboardDefinition('spent.dollars'), null);
    assert.equal(leaderboardDefinition('engagement.'), null);
  });
});

describe('trending rows', () => {
  it('ranks by growth with trend columns: new when absent before, up/down by growth', () => {
    const base = [
      { entityId: 'steady', score: 50, name: 'Steady' },
      { entityId: 'rising', score: 20, name: 'Rising' },
      { entityId: 'fresh', score: 5, name: null },
      { entityId: 'blip', score: 1, name: null },
      { entityId: 'falling', score: 4, name: null },
    ];
    const previous = new Map([
      ['steady', { rank: 1, score: 50 }],
      ['rising', { rank: 3, score: 5 }],
      ['falling', { rank: 2, score: 8 }],
    ]);
    const rows = trendingRows(base, previous, { minCount: 3, limit: 10 });
    assert.deepEqual(
      rows.map((r) => [r.rank, r.entityId, r.trend, r.previousRank, r.change, r.changePercent]),
      [
        [1, 'fresh', 'new', null, 5, 500],
        [2, 'rising', 'up', 3, 15, 300],
        [3, 'steady', 'stable', 1, 0, 0],
        [4, 'falling', 'down', 2, -4, -50],
      ],
    );
  });
});
