import assert from 'node:assert/strict';
import { fillSeries, KPI_SERIES_SOURCES, seriesBuckets } from '../../../systems/leaderboard/rollupMetrics.js';

const NOW = Date.parse('2026-11-25T03:20:00Z');

describe('coliseum KPI sparklines (systems/leaderboard/rollupMetrics)', () => {
  it('spans 24 hours for the day window, ending with the current hour', () => {
    const b = seriesBuckets('day', NOW);
    assert.equal(b.length, 24);
    assert.equal(new Date(b[23]).toISOString(), '2026-11-25T03:00:00.000Z');
    assert.equal(new Date(b[0]).toISOString(), '2026-11-24T04:00:00.000Z');
  });

  it('spans days for week and 30 days, months for all time (across a year boundary)', () => {
    assert.deepEqual(
      seriesBuckets('week', NOW).map((t) => new Date(t).toISOString().slice(0, 10)),
      ['2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25'],
    );
    assert.equal(seriesBuckets('30d', NOW).length, 30);
    const months = seriesBuckets('all', Date.parse('2026-02-10T00:00:00Z')).map((t) => new Date(t).toISOString().slice(0, 7));
    assert.deepEqual([months[0], months[10], months[11]], ['2025-03', '2026-01', '2026-02']);
  });

  it('fills buckets the rollups do not hold with zero, in bucket order', () => {
    assert.deepEqual(
      fillSeries(
        [1, 2, 3, 4],
        [
          { bucketMs: 4, value: 7 },
          { bucketMs: 2, value: 5 },
        ],
      ),
      [0, 5, 0, 7],
    );
  });

  it('draws only tiles a rollup counts (live tiles and sessions have none)', () => {
    assert.deepEqual(Object.keys(KPI_SERIES_SOURCES).sort(), [
      'attendanceToday',
      'capturesToday',
      'playsToday',
      'revenueToday',
      'transitionsToday',
      'visitsToday',
      'votesToday',
    ]);
  });
});
