import assert from 'node:assert/strict';
import { bucketMetrics, recentBuckets } from '../../../systems/leaderboard/rollupMetrics.js';

describe('seed 004 rollup metrics of one bucket', () => {
  it("derives the seed's sample: 1,250 plays with 975 completions → avg_completion_rate 0.78; 850 listeners matched at 0.72 → avg_dna_match 0.72", () => {
    const counts = new Map([
      ['plays', 1250],
      ['completions', 975],
      ['unique_listeners', 850],
      ['shares', 45],
      ['votes', 320],
      ['dna_match_sum', 850 * 7200],
      ['dna_matched', 850],
    ]);
    const m = bucketMetrics('day', counts, { revenue_cents: new Map([['usd', 45_000]]) });
    assert.equal(m.plays, 1250);
    assert.equal(m.unique_listeners, 850);
    assert.equal(m.avg_completion_rate, 0.78);
    assert.equal(m.shares, 45);
    assert.equal(m.votes, 320);
    assert.deepEqual(m.revenue_cents, { usd: 45_000 });
    assert.equal(m.avg_dna_match, 0.72);
  });

  it('says null where there is nothing to divide, caps the rate at 1 and keeps no hourly uniques', () => {
    const empty = bucketMetrics('hour', new Map(), {});
    assert.equal(empty.avg_completion_rate, null);
    assert.equal(empty.avg_dna_match, null);
    assert.equal(empty.unique_listeners, null);
    assert.equal(
      bucketMetrics(
        'day',
        new Map([
          ['plays', 2],
          ['completions', 3],
        ]),
        {},
      ).avg_completion_rate,
      1,
    );
  });

  it('lists the newest buckets oldest first, months by the calendar', () => {
    const now = Date.parse('2026-03-15T10:30:00Z');
    assert.deepEqual(
      recentBuckets('day', now, 3).map((t) => new Date(t).toISOString().slice(0, 10)),
      ['2026-03-13', '2026-03-14', '2026-03-15'],
    );
    assert.deepEqual(
      recentBuckets('month', now, 3).map((t) => new Date(t).toISOString().slice(0, 7)),
      ['2026-01', '2026-02', '2026-03'],
    );
    assert.deepEqual(
      recentBuckets('week', now, 2).map((t) => new Date(t).toISOString().slice(0, 10)),
      ['2026-03-02', '2026-03-09'],
    );
    assert.deepEqual(recentBuckets('all', now, 5), [0]);
  });
});
