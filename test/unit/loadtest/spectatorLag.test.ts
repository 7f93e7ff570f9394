import assert from 'node:assert/strict';
import {
  changeEstimator,
  computeSpectatorLag,
  countEstimator,
  extractLeaderboardEntries,
  visibleStretches,
  type LagEvent,
  type Sighting,
} from '../../../loadtest/spectatorLag.js';

describe('spectator lag', () => {
  it('count estimator: the k-th event after the baseline is visible once the score rose by k', () => {
    // Baseline score 10 at t=0; events at 100, 200, 300; the leaderboard showed 12 at 1100 and 13 at 2100.
    const r = countEstimator(
      [50 - 100, 100, 200, 300],
      [
        { score: 10, t: 0 },
        { score: 12, t: 1100 },
        { score: 13, t: 2100 },
      ],
    );
    assert.deepEqual(r.lags, [1000, 900, 1800]);
    assert.equal(r.unseen, 0);
    assert.equal(r.eligible, 3);
  });

  it('count estimator: events the leaderboard never reached are unseen', () => {
    const r = countEstimator(
      [100, 200, 300],
      [
        { score: 5, t: 0 },
        { score: 6, t: 1000 },
      ],
    );
    assert.deepEqual(r.lags, [900]);
    assert.equal(r.unseen, 2);
  });

  it('count estimator: a score rise before the event does not count for it', () => {
    const r = countEstimator(
      [500],
      [
        { score: 1, t: 0 },
        { score: 2, t: 400 }, // someone else's event
        { score: 3, t: 1400 },
      ],
    );
    assert.deepEqual(r.lags, [900]);
  });

  it('change estimator: first sighting after each event (a lower bound)', () => {
    assert.deepEqual(changeEstimator([100, 950, 5000], [{ t: 0 }, { t: 1000 }, { t: 2000 }]), [900, 50]);
  });

  it('picks the (stream, leaderboard) pair that explains the events', () => {
    const events: LagEvent[] = [
      { stream: 'visit', entityId: 'artist_a', t: 1000 },
      { stream: 'visit', entityId: 'artist_a', t: 1500 },
      { stream: 'capture', entityId: 'artist_a', t: 1200 },
    ];
    const s = (leaderboard: string, score: number, t: number, probe = 'p1'): Sighting => ({ probe, leaderboard, entityId: 'artist_a', score, t });
    const sightings = [
      s('leaderboards.artists.visits.entries', 4, 0),
      s('leaderboards.artists.visits.entries', 6, 2000),
      s('leaderboards.artists.captures.entries', 1, 0),
      s('leaderboards.artists.visits.entries', 4, 10, 'p2'),
      s('leaderboards.artists.visits.entries', 5, 1900, 'p2'),
      s('leaderboards.artists.visits.entries', 6, 2900, 'p2'),
    ];
    const result = computeSpectatorLag(events, sightings);
    assert.equal(result.probes, 2);
    assert.equal(result.best?.stream, 'visit');
    assert.equal(result.best?.leaderboard, 'leaderboards.artists.visits.entries');
    assert.equal(result.best?.count.count, 4); // p1: 1000, 500; p2: 900, 1400
    assert.equal(result.best?.count.max, 1400);
    assert.equal(result.best?.count.unseen, 0);
    assert.equal(result.best?.fit, 1);
    assert.equal(result.bestCountsEvents, true);
    const captures = result.pairs.find((p) => p.stream === 'capture' && p.leaderboard.includes('captures'));
    assert.equal(captures?.count.unseen, 1);
  });

  it('prefers the leaderboard whose score rise matches the events over one that jumps (trending, weighted)', () => {
    const events: LagEvent[] = [100, 200, 300, 400].map((t) => ({ stream: 'visit', entityId: 'a', t }));
    const s = (leaderboard: string, score: number, t: number): Sighting => ({ probe: 'p', leaderboard, entityId: 'a', score, t });
    const sightings = [s('visits', 10, 0), s('visits', 12, 1000), s('visits', 13, 2000), s('trending', 5, 0), s('trending', 90, 600), s('trending', 300, 1500)];
    const result = computeSpectatorLag(events, sightings);
    assert.equal(result.best?.leaderboard, 'visits');
    assert.equal(result.best?.count.count, 3);
    assert.equal(result.best?.count.unseen, 1);
  });

  it('splits an entry that left the displayed rows; its re-entry is not lag', () => {
    const series = [
      { score: 5, t: 0 },
      { score: 6, t: 1000 },
      { score: NaN, t: 2000 }, // fell out of the top N
      { score: 20, t: 9000 }, // back, 14 events later
      { score: 21, t: 10_000 },
    ];
    const stretches = visibleStretches(series);
    assert.deepEqual(
      stretches.map((x) => [x.sightings.length, x.end]),
      [
        [2, 2000],
        [2, Infinity],
      ],
    );
    const events: LagEvent[] = [500, 3000, 4000, 9500].map((t) => ({ stream: 'visit', entityId: 'a', t }));
    const result = computeSpectatorLag(
      events,
      series.map((x) => ({ ...x, probe: 'p', leaderboard: 'b', entityId: 'a' })),
    );
    // 500 → seen at 1000; 3000 and 4000 happened while hidden (not eligible); 9500 → seen at 10,000.
    assert.equal(result.best?.count.count, 2);
    assert.equal(result.best?.eligible, 2);
    assert.ok(Math.abs(result.best!.count.max! - 500) < 1);
  });

  it('no sightings: no result rather than a made-up number', () => {
    const r = computeSpectatorLag([{ stream: 'visit', entityId: 'x', t: 1 }], []);
    assert.equal(r.best, null);
    assert.equal(r.sightings, 0);
  });

  it('finds leaderboard entries in arrays and maps, whatever the state shape', () => {
    const state = {
      kpis: { sessions: 12 },
      leaderboards: {
        'artists.visits:all': {
          title: 'Most explored',
          entries: [
            { rank: 1, entityId: 'artist_a', name: 'A', score: 9 },
            { rank: 2, entityId: 'artist_b', name: 'B', score: 4 },
          ],
        },
        'artists.captures:all': { entries: { artist_a: { score: 2, rank: 1 } } },
      },
    };
    const entries = extractLeaderboardEntries(state);
    assert.deepEqual(entries, [
      { leaderboard: 'leaderboards.artists.visits:all.entries', entityId: 'artist_a', score: 9 },
      { leaderboard: 'leaderboards.artists.visits:all.entries', entityId: 'artist_b', score: 4 },
      { leaderboard: 'leaderboards.artists.captures:all.entries', entityId: 'artist_a', score: 2 },
    ]);
  });
});
