import assert from 'node:assert/strict';
import { BADGE_RULES, BadgeError, badgesEarned, nextMilestone } from '../../../systems/session/badges.js';

const counts = (orbsExplored: number, starsCaptured: number) => ({ orbsExplored, starsCaptured });

describe('systems/badges', () => {
  it('awards orb badges at 1 and 10 orbs explored (seed step 6.7)', () => {
    assert.deepEqual(badgesEarned(counts(0, 0), counts(1, 0)), ['First Discovery']);
    assert.deepEqual(badgesEarned(counts(1, 0), counts(2, 0)), []);
    assert.deepEqual(badgesEarned(counts(9, 0), counts(10, 0)), ['Deep Diver']);
    assert.deepEqual(badgesEarned(counts(10, 0), counts(11, 0)), []);
  });

  it('awards star badges at 1, 10 and 50 (seed step 7.8)', () => {
    assert.deepEqual(badgesEarned(counts(0, 0), counts(0, 1)), ['First Star']);
    assert.deepEqual(badgesEarned(counts(0, 2), counts(0, 3)), []); // seed: 3rd star, no badge
    assert.deepEqual(badgesEarned(counts(0, 9), counts(0, 10)), ['Constellation Builder']);
    assert.deepEqual(badgesEarned(counts(0, 49), counts(0, 50)), ['Galaxy Master']);
  });

  it('awards every threshold a jump crosses, on both counters at once', () => {
    assert.deepEqual(badgesEarned(counts(0, 0), counts(12, 60)), ['First Discovery', 'Deep Diver', 'First Star', 'Constellation Builder', 'Galaxy Master']);
    assert.deepEqual(badgesEarned(counts(5, 8), counts(5, 20)), ['Constellation Builder']);
    assert.deepEqual(badgesEarned(counts(12, 60), counts(0, 0)), [], 'a counter going down earns nothing');
    assert.equal(BADGE_RULES.length, 5);
  });

  it('reports the next star milestone (seed: 3 stars → Constellation Builder, 7 needed, 0.3)', () => {
    assert.deepEqual(nextMilestone(3), { badge: 'Constellation Builder', starsNeeded: 7, progress: 0.3 });
    assert.deepEqual(nextMilestone(0), { badge: 'First Star', starsNeeded: 1, progress: 0 });
    assert.deepEqual(nextMilestone(1), { badge: 'Constellation Builder', starsNeeded: 9, progress: 0.1 });
    assert.deepEqual(nextMilestone(10), { badge: 'Galaxy Master', starsNeeded: 40, progress: 0.2 });
    assert.deepEqual(nextMilestone(49), { badge: 'Galaxy Master', starsNeeded: 1, progress: 0.98 });
    assert.equal(nextMilestone(50), null);
    assert.equal(nextMilestone(500), null);
  });

  it('rejects invalid counters with a named error', () => {
    const invalid = (err: unknown) => err instanceof BadgeError && err.code === 'INVALID_COUNT';
    assert.throws(() => nextMilestone(-1), invalid);
    assert.throws(() => nextMilestone(2.5), invalid);
    assert.throws(() => badgesEarned(counts(0, 0), counts(Number.NaN, 1)), invalid);
  });
});
