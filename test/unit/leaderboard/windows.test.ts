import assert from 'node:assert/strict';
import {
  LEADERBOARD_WINDOWS,
  LeaderboardError,
  bucketExpiresAtMs,
  bucketIdFor,
  bucketsFor,
  bucketsByGroups,
  DAY_GROUP,
  EVERY_GROUP,
  groupOfWindow,
  HOUR_GROUP,
  isBucketGroups,
  parseBucketId,
  parseWindow,
  previousWindowBuckets,
  windowPlan,
} from '../../../systems/leaderboard/windows.js';

const at = (iso: string): number => Date.parse(iso);
const NOW = at('2025-01-15T12:30:00.000Z');
const HOUR = 3_600_000;
const DAY = 86_400_000;

function throwsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof LeaderboardError && err.code === code);
}

describe('leaderboard windows', () => {
  it('writes a bucket group alone: the hour, or the day with all-time (so all-time minus today stays exact)', () => {
    assert.deepEqual(bucketsByGroups(NOW)[HOUR_GROUP], ['h:2025011512']);
    assert.deepEqual(bucketsByGroups(NOW)[DAY_GROUP], ['d:20250115', 'all']);
    assert.deepEqual(bucketsByGroups(NOW), [[], ['h:2025011512'], ['d:20250115', 'all'], ['h:2025011512', 'd:20250115', 'all']]);
    assert.deepEqual([0, 1, 2, 3, 4, '1', 1.5].map(isBucketGroups), [false, true, true, true, false, false, false]);
  });

  it('maps each window to the group of buckets it reads, its previous window included', () => {
    assert.deepEqual(
      LEADERBOARD_WINDOWS.map((w) => [w, groupOfWindow(w)]),
      [
        ['hour', HOUR_GROUP],
        ['day', DAY_GROUP],
        ['week', DAY_GROUP],
        ['30d', DAY_GROUP],
        ['all', DAY_GROUP],
      ],
    );
    const kinds = (ids: string[]) => new Set(ids.map((id) => (parseBucketId(id).kind === 'hour' ? HOUR_GROUP : DAY_GROUP)));
    for (const w of LEADERBOARD_WINDOWS) {
      assert.deepEqual(kinds(bucketsFor(w, NOW)), new Set([groupOfWindow(w)]), w);
      assert.deepEqual(kinds(previousWindowBuckets(w, NOW).map((t) => t.id)), new Set([groupOfWindow(w)]), `previous ${w}`);
    }
    throwsCode(() => groupOfWindow('month' as never), 'LEADERBOARD_WINDOW_INVALID');
  });

  it('writes every increment to its UTC hour, its UTC day and all-time', () => {
    assert.deepEqual(bucketsByGroups(NOW)[EVERY_GROUP], ['h:2025011512', 'd:20250115', 'all']);
    assert.deepEqual(bucketsByGroups(at('2024-12-31T23:59:59.999Z'))[EVERY_GROUP], ['h:2024123123', 'd:20241231', 'all']);
    assert.deepEqual(bucketsByGroups(at('2025-01-01T00:00:00.000Z'))[EVERY_GROUP], ['h:2025010100', 'd:20250101', 'all']);
  });

  it('builds hour and day from the current bucket and all from the all-time bucket', () => {
    assert.deepEqual(bucketsFor('hour', NOW), ['h:2025011512']);
    assert.deepEqual(bucketsFor('day', NOW), ['d:20250115']);
    assert.deepEqual(bucketsFor('all', NOW), ['all']);
  });

  it('builds week and 30d as rolling unions of 7 and 30 day buckets, newest first', () => {
    assert.deepEqual(bucketsFor('week', NOW), ['d:20250115', 'd:20250114', 'd:20250113', 'd:20250112', 'd:20250111', 'd:20250110', 'd:20250109']);
    const month = bucketsFor('30d', NOW);
    assert.equal(month.length, 30);
    assert.equal(month[0], 'd:20250115');
    assert.equal(month[29], 'd:20241217');
    assert.equal(new Set(month).size, 30);
  });

  it('crosses a leap day correctly', () => {
    assert.deepEqual(bucketsFor('week', at('2024-03-02T05:00:00Z')).slice(0, 3), ['d:20240302', 'd:20240301', 'd:20240229']);
  });

  it('puts an increment from 2 hours ago in day but not hour, and 8 days ago in 30d but not week', () => {
    const [hour2, day2] = bucketsByGroups(NOW - 2 * HOUR)[EVERY_GROUP];
    assert.ok(!bucketsFor('hour', NOW).includes(hour2));
    assert.ok(bucketsFor('day', NOW).includes(day2));
    const day8 = bucketsByGroups(NOW - 8 * DAY)[EVERY_GROUP][1];
    assert.ok(!bucketsFor('week', NOW).includes(day8));
    assert.ok(bucketsFor('30d', NOW).includes(day8));
  });

  it('gives the previous window just before the current one', () => {
    assert.deepEqual(previousWindowBuckets('hour', NOW), [{ id: 'h:2025011511', weight: 1 }]);
    assert.deepEqual(previousWindowBuckets('day', NOW), [{ id: 'd:20250114', weight: 1 }]);
    const week = previousWindowBuckets('week', NOW).map((t) => t.id);
    assert.deepEqual([week[0], week[6], week.length], ['d:20250108', 'd:20250102', 7]);
    const month = previousWindowBuckets('30d', NOW).map((t) => t.id);
    assert.deepEqual([month[0], month[29], month.length], ['d:20241216', 'd:20241117', 30]);
    assert.deepEqual(previousWindowBuckets('all', NOW), [
      { id: 'all', weight: 1 },
      { id: 'd:20250115', weight: -1 },
    ]);
  });

  it('never overlaps a window with its previous window', () => {
    for (const w of LEADERBOARD_WINDOWS.filter((x) => x !== 'all')) {
      const current = new Set(bucketsFor(w, NOW));
      assert.ok(
        previousWindowBuckets(w, NOW).every((t) => !current.has(t.id)),
        w,
      );
    }
  });

  it('keeps every bucket alive for as long as any current or previous window reads it', () => {
    for (let t = NOW; t < NOW + 3 * DAY; t += 37 * 60_000) {
      for (const w of LEADERBOARD_WINDOWS) {
        const ids = [...bucketsFor(w, t), ...previousWindowBuckets(w, t).map((x) => x.id)];
        for (const id of ids) {
          const expiresAt = bucketExpiresAtMs(id);
          assert.ok(expiresAt === null || expiresAt > t, `${w} ${id} expired at ${t}`);
        }
      }
    }
  });

  it('expires hour buckets after 3 h and day buckets after 61 days from their start; all-time never', () => {
    assert.equal(bucketExpiresAtMs('h:2025011512'), at('2025-01-15T15:00:00Z'));
    assert.equal(bucketExpiresAtMs('d:20250115'), at('2025-03-17T00:00:00Z'));
    assert.equal(bucketExpiresAtMs('all'), null);
  });

  it('maps a rollup period start to its bucket id and back', () => {
    assert.equal(bucketIdFor('hour', at('2025-01-15T12:00:00Z')), 'h:2025011512');
    assert.equal(bucketIdFor('day', at('2025-01-15T00:00:00Z')), 'd:20250115');
    assert.equal(bucketIdFor('all', 0), 'all');
    assert.deepEqual(parseBucketId('h:2025011512'), { kind: 'hour', startMs: at('2025-01-15T12:00:00Z'), endMs: at('2025-01-15T13:00:00Z') });
    assert.deepEqual(parseBucketId('d:20250115'), { kind: 'day', startMs: at('2025-01-15T00:00:00Z'), endMs: at('2025-01-16T00:00:00Z') });
    assert.deepEqual(parseBucketId('all'), { kind: 'all', startMs: null, endMs: null });
  });

  it('rejects malformed bucket ids with a typed error', () => {
    for (const bad of ['', 'd:2025011', 'd:2025011512', 'h:20250115', 'd:20251301', 'h:2025011524', 'd:20250230', 'x:20250115', 'ALL']) {
      throwsCode(() => parseBucketId(bad), 'LEADERBOARD_BUCKET_INVALID');
    }
  });

  it('validates window names and times with typed errors', () => {
    assert.equal(parseWindow('30d'), '30d');
    throwsCode(() => parseWindow('month'), 'LEADERBOARD_WINDOW_INVALID');
    throwsCode(() => windowPlan('year' as never, NOW), 'LEADERBOARD_WINDOW_INVALID');
    throwsCode(() => bucketsByGroups(Number.NaN), 'LEADERBOARD_TIME_INVALID');
    throwsCode(() => windowPlan('day', -1, true), 'LEADERBOARD_TIME_INVALID');
    const err = (() => {
      try {
        parseWindow('month');
      } catch (e) {
        return e as LeaderboardError;
      }
    })();
    assert.match(err?.message ?? '', /hour, day, week, 30d, all/);
  });

  it('changes a window signature exactly when its bucket set changes', () => {
    assert.equal(windowPlan('hour', NOW).signature, windowPlan('hour', NOW + 29 * 60_000).signature);
    assert.notEqual(windowPlan('hour', NOW).signature, windowPlan('hour', NOW + 30 * 60_000).signature);
    assert.equal(windowPlan('30d', NOW).signature, windowPlan('30d', NOW + 11 * HOUR).signature);
    assert.notEqual(windowPlan('30d', NOW).signature, windowPlan('30d', NOW + 12 * HOUR).signature);
    assert.notEqual(windowPlan('all', NOW, true).signature, windowPlan('all', NOW + DAY, true).signature);
    assert.notEqual(windowPlan('day', NOW, true).signature, windowPlan('day', NOW).signature);
    assert.deepEqual(windowPlan('day', NOW).terms, [{ id: 'd:20250115', weight: 1 }]);
  });
});
