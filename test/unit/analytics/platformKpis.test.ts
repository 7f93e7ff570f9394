import assert from 'node:assert/strict';
import {
  captureRate,
  goalStatus,
  histogramQuantile,
  parseMetricsRange,
  platformKpis,
  sessionLengthLiftPercent,
  signedPercent,
} from '../../../systems/analytics/platformKpis.js';
import { AppError } from '../../../systems/errors.js';

// Seed 000 step 17's response, reproduced from the aggregates behind it.
const SEED = {
  sessions: 15_234,
  users: 15_234,
  newUsers: 1823,
  dailyActiveUsers: 4521,
  avgDurationSeconds: 28.4 * 60,
  avgOrbsPerSession: 3.2,
  sessionsWithSensor: 10_329,
  brackets: { '0 orbs': 2341, '1-2 orbs': 4123, '3-5 orbs': 5234, '6+ orbs': 3536 },
  captures: 6398,
  capturingUsers: 2285,
};

describe('platform KPIs (seed 000 step 17)', () => {
  it('session length lift: 28.4 min vs the 25-minute benchmark is +13.6%', () => {
    assert.ok(Math.abs((sessionLengthLiftPercent(28.4 * 60) as number) - 13.6) <= 1e-9, String(sessionLengthLiftPercent(28.4 * 60)));
    assert.equal(signedPercent(sessionLengthLiftPercent(28.4 * 60)), '+13.6%');
    assert.equal(signedPercent(sessionLengthLiftPercent(20 * 60)), '-20.0%');
    assert.equal(sessionLengthLiftPercent(null), null);
  });

  it('capture rate: 6,398 captures over 15,234 sessions is 0.42', () => {
    assert.ok(Math.abs((captureRate(6398, 15_234) as number) - 0.42) <= 0.0005, String(captureRate(6398, 15_234)));
    assert.equal(captureRate(1, 0), null);
  });

  it('goal status: 3.2 orbs vs 3.0 meets the goal, 67.8 % vs 60 % exceeds it', () => {
    assert.equal(goalStatus(3.2, 3.0), 'Meeting goal');
    assert.equal(goalStatus(67.8, 60), 'Exceeding goal');
    assert.equal(goalStatus(2.9, 3.0), 'Below goal');
    assert.equal(goalStatus(null, 3.0), 'No data');
  });

  it('reproduces the seed response blocks', () => {
    const k = platformKpis(SEED);
    assert.deepEqual(k.user_metrics, {
      total_users: 15_234,
      new_users: 1823,
      daily_active_users: 4521,
      total_sessions: 15_234,
      avg_session_duration_minutes: 28.4,
      session_duration_lift_vs_benchmark: '+13.6%',
      benchmark_minutes: 25,
    });
    assert.deepEqual(k.engagement_kpis.interaction_depth, { avg_orbs_per_session: 3.2, goal: 3.0, status: 'Meeting goal', distribution: SEED.brackets });
    assert.deepEqual(k.engagement_kpis.sensor_engagement, { percentage: 67.8, goal: 60, status: 'Exceeding goal' });
    assert.deepEqual(k.engagement_kpis.constellation_growth, { capture_rate: 0.42, avg_captures_per_user: 2.8, total_captures: 6398 });
  });

  it('an empty range gives nulls and zeros, not NaN', () => {
    const k = platformKpis({
      sessions: 0,
      users: 0,
      newUsers: 0,
      dailyActiveUsers: 0,
      avgDurationSeconds: null,
      avgOrbsPerSession: null,
      sessionsWithSensor: 0,
      brackets: {},
      captures: 0,
      capturingUsers: 0,
    });
    assert.equal(k.engagement_kpis.sensor_engagement.percentage, null);
    assert.equal(k.engagement_kpis.interaction_depth.distribution['6+ orbs'], 0);
    assert.ok(!JSON.stringify(k).includes('NaN'));
  });

  it('histogram p95 interpolates inside the bucket as histogram_quantile does', () => {
    // 100 requests: 50 ≤ 10 ms, 90 ≤ 50 ms, 100 ≤ 100 ms → p95 is halfway through (50, 100] = 75 ms.
    const h = { bounds: [0.01, 0.05, 0.1, Infinity], counts: [50, 90, 100, 100] };
    assert.ok(Math.abs((histogramQuantile(0.95, h) as number) - 0.075) <= 1e-12, String(histogramQuantile(0.95, h)));
    assert.ok(Math.abs((histogramQuantile(0.5, h) as number) - 0.01) <= 1e-12, String(histogramQuantile(0.5, h)));
    assert.equal(histogramQuantile(0.95, { bounds: [0.01, Infinity], counts: [0, 0] }), null);
    assert.equal(histogramQuantile(0.99, { bounds: [0.01, Infinity], counts: [1, 10] }), 0.01);
  });

  it('range: 7d by default, 400 details for anything else', () => {
    assert.deepEqual(parseMetricsRange(null), { label: '7 days', ms: 7 * 86_400_000 });
    assert.equal(parseMetricsRange('24h').ms, 86_400_000);
    for (const bad of ['0d', '91d', '7w', '73h', 'abc', '7d;drop']) {
      const err = (() => {
        try {
          parseMetricsRange(bad);
        } catch (e) {
          return e as AppError;
        }
        return null;
      })();
      assert.ok(err instanceof AppError, bad);
      assert.equal(err!.code, 'VALIDATION_FAILED');
      assert.equal(err!.details![0].field, 'range');
    }
  });
});
