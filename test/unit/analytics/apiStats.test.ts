import assert from 'node:assert/strict';
import {
  apiRangeStats,
  createApiStatsAccumulator,
  drainApiStats,
  hourRowsOf,
  observeApiRequest,
  OTHER_ENDPOINT,
  periodForRange,
  restoreApiStats,
} from '../../../systems/analytics/apiStats.js';
import { minutesSeconds } from '../../../systems/analytics/platformKpis.js';

const T = Date.UTC(2026, 10, 20, 12, 0, 0);

describe('API statistics accumulator (systems/analytics/apiStats.ts)', () => {
  it('buckets requests per minute and route pattern, with 4xx/5xx and a latency histogram', () => {
    const acc = createApiStatsAccumulator(10);
    observeApiRequest(acc, 'GET /a', 200, 0.004, T + 1000);
    observeApiRequest(acc, 'GET /a', 404, 0.02, T + 59_000);
    observeApiRequest(acc, 'GET /a', 503, 3, T + 61_000);
    const rows = drainApiStats(acc).sort((x, y) => x.bucketStart - y.bucketStart);
    assert.deepEqual(
      rows.map((r) => [r.bucketStart - T, r.requests, r.clientErrors, r.serverErrors]),
      [
        [0, 2, 1, 0],
        [60_000, 1, 0, 1],
      ],
    );
    assert.equal(rows[0].counts[2], 1, '4 ms lands in the ≤ 5 ms slot');
    assert.equal(drainApiStats(acc).length, 0, 'drained');
    const [hour] = hourRowsOf(rows);
    assert.deepEqual([hour.period, hour.bucketStart, hour.requests, hour.serverErrors], ['hour', T, 3, 1]);
    const stats = apiRangeStats('GET /a', hour);
    assert.equal(stats.error_rate, 1 / 3);
    assert.equal(stats.alert, true);
    assert.equal(stats.avg_ms, Math.round(((4 + 20 + 3000) / 3) * 100) / 100);
  });

  it('keeps at most maxRoutes named endpoints; the rest count under one row', () => {
    const acc = createApiStatsAccumulator(2);
    for (const e of ['GET /a', 'GET /b', 'GET /c', 'GET /d', 'GET /a']) observeApiRequest(acc, e, 200, 0.001, T);
    const rows = drainApiStats(acc);
    assert.deepEqual(
      rows.map((r) => [r.endpoint, r.requests]).sort(),
      [
        [OTHER_ENDPOINT, 2],
        ['GET /a', 2],
        ['GET /b', 1],
      ].sort(),
    );
  });

  it('a failed flush puts rows back, newest first, up to the bound; the rest are counted as dropped', () => {
    const acc = createApiStatsAccumulator(5);
    for (let m = 0; m < 4; m++) observeApiRequest(acc, 'GET /a', 200, 0.001, T + m * 60_000);
    const rows = drainApiStats(acc);
    assert.equal(restoreApiStats(acc, rows, 3), 1);
    assert.deepEqual(
      drainApiStats(acc)
        .map((r) => r.bucketStart - T)
        .sort((a, b) => a - b),
      [60_000, 120_000, 180_000],
    );
  });

  it('ranges up to the minute retention read minute buckets', () => {
    assert.equal(periodForRange(24 * 3_600_000, 72 * 3_600_000), 'minute');
    assert.equal(periodForRange(7 * 86_400_000, 72 * 3_600_000), 'hour');
  });

  it('prints avg_time_spent as the seed does (m:ss)', () => {
    assert.equal(minutesSeconds(222), '3:42');
    assert.equal(minutesSeconds(198), '3:18');
    assert.equal(minutesSeconds(59.6), '1:00');
    assert.equal(minutesSeconds(3725), '62:05');
    assert.equal(minutesSeconds(null), null);
  });
});
