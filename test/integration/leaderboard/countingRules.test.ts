import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { writerOptions } from '../../support/config.js';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { makeEvent, type EventType, type PassportEvent } from '../../../systems/passport/index.js';
import { mulberry32, type Rng } from '../../../systems/constellation/constellation.js';
import { boardOfRollup, COUNTING_RULES, KPI_LEADERBOARD, type CountingRule } from '../../../systems/leaderboard/countingRules.js';
import { liveCounter } from '../../../systems/leaderboard/countingRules.js';
import { isValidId } from '../../../systems/leaderboard/windows.js';
import { kpiSumsSqlFor, rollupSqlFor } from '../../../persistence/leaderboard/rollups.js';

const silent = pino({ level: 'silent' });

/**
 * A counting rule is declared once and both interpreters derive from it: the live feeder's JS and the rollups'
 * SQL. Random events (odd payloads included: numbers where strings belong, empty strings, fractions of cents,
 * missing fields) counted both ways must give the same boards and KPI counters — for the coliseum's rules and
 * for boards a contributor adds by declaration only.
 */

/** Boards nobody has written yet: declared here once, never in SQL or in the feeder. */
const NEW_RULES: readonly CountingRule[] = [
  {
    target: { board: 'tracks.completions' },
    rollup: { entityType: 'track', metric: 'completed' },
    match: { types: ['player.track_completed'] },
    entity: { field: 'trackId' },
    weight: { one: true },
    naming: 'track',
    kpi: { counter: 'completions' },
  },
  {
    target: { family: 'campaigns.', key: { lower: { field: 'campaignId' } }, keyKind: 'id', title: 'Campaign {key}' },
    rollup: { entityType: 'campaign_artist', metric: 'plays' },
    match: { types: ['player.track_played', 'concierto.vote_cast'] },
    entity: { first: [{ field: 'artistId' }, { field: 'voteFor' }] },
    weight: { number: 'weight', otherwise: 1 },
  },
  {
    target: { board: 'cities.spend' },
    rollup: { entityType: 'city', metric: 'spend_cents' },
    match: { types: ['treasury.purchase_completed'] },
    entity: { city: true },
    weight: { integer: 'amountCents' },
    kpi: { counter: 'spend', perEntity: true },
  },
];

const USERS: Array<{ id: string; city: string | null }> = [
  { id: randomUUID(), city: 'Lagos' },
  { id: randomUUID(), city: null },
  { id: randomUUID(), city: '' },
];
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
/** An id, sometimes of the wrong JSON type, empty or not a valid board id. */
const oddId = (rng: Rng, stem: string): unknown =>
  pick(rng, [`${stem}1`, `${stem}2`, `${stem}_${Math.floor(rng() * 3)}`, '', 7, null, `${stem} spaced`, undefined]);
const oddNumber = (rng: Rng): unknown => pick(rng, [1, 3, 4500, 0, -2, 12.5, '5', undefined, null]);

const VALID: Partial<Record<EventType, Record<string, unknown>>> = {
  'station.visited': { artistId: 'a', frequency: 99.9, method: 'swipe' },
  'station.locked': { frequency: 99.9 },
  'constellation.captured': { artistId: 'a', position: { x: 0, y: 0, z: 0 } },
  'player.track_played': { trackId: 't' },
  'player.track_completed': { trackId: 't' },
  'orb.tapped': { fromArtistId: 'a', toArtistId: 'b' },
  'concierto.vote_cast': { eventId: 'e', voteFor: 'x' },
  'concierto.event_attended': { eventId: 'e' },
  'treasury.purchase_completed': { amountCents: 1, currency: 'usd' },
  'treasury.money_earned': { amountCents: 1, currency: 'usd' },
  'social.link_shared': { linkId: 'AAAAAAAAAAAAAAAAAAAAAA', targetType: 'event', eventId: 'e' },
  'social.link_opened': { linkId: 'AAAAAAAAAAAAAAAAAAAAAA', targetType: 'artist', artistId: 'a' },
  'session.started': { frequency: 99.9 },
  'sensor.batch': { samples: 3, totalDuration: 1.5 },
};

function randomEvent(rng: Rng, now: number): PassportEvent {
  const type = pick<EventType>(rng, [
    'station.visited',
    'station.locked',
    'constellation.captured',
    'player.track_played',
    'player.track_completed',
    'orb.tapped',
    'concierto.vote_cast',
    'concierto.event_attended',
    'treasury.purchase_completed',
    'treasury.money_earned',
    'social.link_shared',
    'social.link_opened',
    'session.started',
    'sensor.batch',
  ]);
  const payload: Record<string, unknown> = {
    artistId: oddId(rng, 'artist'),
    trackId: oddId(rng, 'track'),
    eventId: oddId(rng, 'evt'),
    voteFor: rng() < 0.5 ? oddId(rng, 'option') : undefined,
    fromArtistId: oddId(rng, 'artist'),
    toArtistId: oddId(rng, 'artist'),
    cameFrom: rng() < 0.5 ? oddId(rng, 'artist') : undefined,
    campaignId: pick(rng, ['Spring', 'spring', 'fall', '', undefined, 3]),
    currency: pick(rng, ['usd', 'USD', 'eur', '', undefined]),
    city: pick(rng, ['Accra', '', undefined, undefined, 5]),
    weight: oddNumber(rng),
    amountCents: oddNumber(rng),
  };
  for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
  const user = pick(rng, USERS);
  // Built valid, then given the odd payload: the passport stores whatever an older client or a replay wrote.
  const event = makeEvent(
    type,
    { payload: VALID[type] } as never,
    { userId: user.id, sessionId: 's-1', deviceId: 'd-1', source: 'http' },
    now,
    randomUUID,
  ) as PassportEvent;
  return { ...event, payload } as PassportEvent;
}

type Totals = Map<string, number>;
const add = (totals: Totals, key: string, by: number): void => void totals.set(key, (totals.get(key) ?? 0) + by);
const sorted = (totals: Totals): Array<[string, number]> => [...totals].filter(([, v]) => v !== 0).sort(([a], [b]) => (a < b ? -1 : 1));

describe('counting rules: one declaration, live feeder = rollups (random events, odd payloads)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let events: PassportEvent[];
  const now = Date.now();

  before(async () => {
    db = await createTestDatabase();
    for (const u of USERS) await db.sql.query(`INSERT INTO users (id, device_id, city) VALUES (?, ?, ?)`, [u.id, `d-${u.id}`, u.city]);
    const rng = mulberry32(49);
    events = Array.from({ length: 400 }, () => randomEvent(rng, now));
    const writer = new PassportWriter(db.sql, writerOptions({ flushIntervalMs: 5 }), silent);
    await writer.enqueueDurable(events, 10_000);
    await writer.stop();
  });
  after(async () => {
    await db?.drop();
  });

  /** Every board and KPI counter as the live feeder counts these events under `rules`. */
  function countedLive(rules: readonly CountingRule[]): { boards: Totals; kpis: Totals } {
    const count = liveCounter(rules);
    const cityOf = new Map<string, string | null>(USERS.map((u) => [u.id, u.city]));
    const boards: Totals = new Map();
    const kpis: Totals = new Map();
    for (const event of events) {
      for (const i of count(event, { city: cityOf.get(event.userId ?? '') })) {
        if (i.leaderboard !== KPI_LEADERBOARD) add(boards, `${i.leaderboard} ${i.entityId}`, i.by);
        else if (i.entityId !== 'events' && i.entityId !== 'sessions') add(kpis, i.entityId, i.by);
      }
    }
    return { boards, kpis };
  }

  /** The same, from the rollups the SQL compiled from `rules` writes (all-time rows; KPI sums of the day buckets). */
  async function countedByRollups(rules: readonly CountingRule[]): Promise<{ boards: Totals; kpis: Totals }> {
    await db.sql.query(`DELETE FROM coliseum_metrics`);
    await db.sql.query(rollupSqlFor(rules), [0, Number.MAX_SAFE_INTEGER]);
    const boards: Totals = new Map();
    const rows = await db.sql.query<{ entity_type: string; metric: string; entity_id: string; value: string }>(
      `SELECT entity_type, metric, entity_id, value::text FROM coliseum_metrics WHERE period = 'all'`,
    );
    for (const row of rows) {
      const t = boardOfRollup(row.entity_type, row.metric, row.entity_id, rules);
      // The rebuild leaves out ids a store refuses, as the live side never writes them.
      if (t && isValidId(t.leaderboard) && isValidId(t.entityId)) add(boards, `${t.leaderboard} ${t.entityId}`, Number(row.value));
    }
    const kpis: Totals = new Map();
    for (const row of await db.sql.query<{ counter: string; period: string; value: number }>(kpiSumsSqlFor(rules), [new Date(0), new Date(0)])) {
      if (row.period === 'day') add(kpis, row.counter, Number(row.value));
    }
    return { boards, kpis };
  }

  it("the coliseum's rules count the same boards and KPI counters both ways", async () => {
    const live = countedLive(COUNTING_RULES);
    const rolled = await countedByRollups(COUNTING_RULES);
    assert.ok(live.boards.size > 20, `the random events reach many boards (${live.boards.size})`);
    // The treasury and attendee boards (people by money and by engagement) are among them.
    for (const family of ['spent.', 'earned.', 'events.revenue.', 'artists.earned.', 'events.earned.', 'engagement.'])
      assert.ok(
        [...live.boards.keys()].some((k) => k.startsWith(family)),
        `${family}<key> was counted live`,
      );
    assert.deepEqual(sorted(rolled.boards), sorted(live.boards));
    assert.deepEqual(sorted(rolled.kpis), sorted(live.kpis));
  });

  it('a board declared once (fixed, family, city-keyed) is counted identically by the live feeder and the rollups', async () => {
    const rules = [...COUNTING_RULES, ...NEW_RULES];
    const live = countedLive(rules);
    const rolled = await countedByRollups(rules);
    for (const board of ['tracks.completions ', 'campaigns.spring ', 'cities.spend ']) {
      assert.ok(
        [...live.boards.keys()].some((k) => k.startsWith(board)),
        `${board.trim()} was counted live`,
      );
    }
    assert.ok(live.kpis.has('completions') && [...live.kpis.keys()].some((k) => k.startsWith('spend:')), 'the new KPI counters were counted');
    assert.deepEqual(sorted(rolled.boards), sorted(live.boards));
    assert.deepEqual(sorted(rolled.kpis), sorted(live.kpis));
  });
});
