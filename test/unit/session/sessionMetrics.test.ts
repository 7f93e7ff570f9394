import assert from 'node:assert/strict';
import {
  applyDelta,
  immersionLevel,
  isLowEngagement,
  popularityScore,
  reaggregate,
  sessionMetrics,
  sessionQuality,
  type UserProfile,
} from '../../../systems/session/sessionMetrics.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);
/** The seed's running average (9.2.d) of a profile after one more session: what the aggregation must equal. */
const profileAfter = (p: UserProfile, durationSeconds: number, orbsPerInteraction: number): UserProfile => ({
  totalSessionSeconds: p.totalSessionSeconds + durationSeconds,
  avgOrbExploration: (p.avgOrbExploration * p.sessionCount + orbsPerInteraction) / (p.sessionCount + 1),
  sessionCount: p.sessionCount + 1,
});

describe('systems/sessionMetrics (seed 000 step 9)', () => {
  it('computes duration, interactions per minute, orbs per interaction and sensor rate (9.2.a)', () => {
    // 12 minutes, 48 interactions, 12 orbs, 6 sensor engagements
    const m = sessionMetrics({ startedAtMs: 0, lastActiveMs: 12 * 60_000, interactions: 48, orbsExplored: 12, sensorEngagements: 6 });
    assert.equal(m.durationSeconds, 720);
    assert.equal(m.interactionsPerMinute, 4);
    assert.equal(m.orbsPerInteraction, 0.25);
    close(m.sensorEngagementRate, 6 / 720);
    assert.equal(m.quality, 'medium_curiosity');
    assert.equal(m.immersion, 'high');
  });

  it('labels quality by orbs per interaction: > 0.3 high, > 0.1 medium, else low (9.2.b)', () => {
    assert.equal(sessionQuality(0.31), 'high_curiosity');
    assert.equal(sessionQuality(0.3), 'medium_curiosity');
    assert.equal(sessionQuality(0.11), 'medium_curiosity');
    assert.equal(sessionQuality(0.1), 'low_curiosity');
    assert.equal(immersionLevel(6), 'high');
    assert.equal(immersionLevel(5), 'medium');
    assert.equal(immersionLevel(1), 'medium');
    assert.equal(immersionLevel(0), 'low');
  });

  it('treats an empty session as 0 everywhere rather than dividing by zero', () => {
    const m = sessionMetrics({ startedAtMs: 5, lastActiveMs: 5, interactions: 0, orbsExplored: 0, sensorEngagements: 0 });
    assert.deepEqual(m, {
      durationSeconds: 0,
      interactionsPerMinute: 0,
      orbsPerInteraction: 0,
      sensorEngagementRate: 0,
      quality: 'low_curiosity',
      immersion: 'low',
    });
  });

  it("updates the user profile with the seed's running average (9.2.d), once per session", () => {
    const before = { totalSessionSeconds: 1000, avgOrbExploration: 0.2, sessionCount: 4 };
    const seed = profileAfter(before, 720, 0.25); // (0.2·4 + 0.25) / 5 = 0.21
    close(seed.avgOrbExploration, 0.21);
    assert.equal(seed.sessionCount, 5);
    assert.equal(seed.totalSessionSeconds, 1720);
    // The first aggregation of a session is exactly the seed's update…
    assert.deepEqual(applyDelta(before, reaggregate(null, { durationSeconds: 720, orbsPerInteraction: 0.25 })), seed);
    // …a later run of the same (still active) session replaces its contribution instead of counting it again.
    const later = applyDelta(seed, reaggregate({ durationSeconds: 720, orbsPerInteraction: 0.25 }, { durationSeconds: 1020, orbsPerInteraction: 0.5 }));
    const once = profileAfter(before, 1020, 0.5);
    assert.equal(later.sessionCount, once.sessionCount);
    assert.equal(later.totalSessionSeconds, once.totalSessionSeconds);
    close(later.avgOrbExploration, once.avgOrbExploration);
  });

  it('weights popularity 0.4 / 0.3 / 0.3 over 7 days (9.4)', () => {
    close(popularityScore(100, 20, 10), 40 + 6 + 3);
    assert.equal(popularityScore(0, 0, 0), 0);
  });

  it('flags stations whose visitors tap under 0.5 orbs each (9.3), given enough visitors', () => {
    assert.equal(isLowEngagement(10, 4), true);
    assert.equal(isLowEngagement(10, 5), false);
    assert.equal(isLowEngagement(2, 0), false);
  });
});
