import assert from 'node:assert/strict';
import { vec3 } from 'gl-matrix';
import { JITTER, MIN_STAR_DISTANCE, distance, mulberry32, placeStar, type Star } from '../../../systems/constellation/constellation.js';
import { turnOffset } from '../../../systems/constellation/heading.js';
import { layoutOrbs, orbPosition } from '../../../systems/session/orbits.js';
import { SessionState } from '../../../schema/SessionState.js';
import { SessionSimulation } from '../../../rooms/session/SessionSimulation.js';

/** Each deliberate difference from seed 000, pinned (docs/PROTOCOL.md "Deviations from the product documents"). */
describe('deviations from seed 000, pinned', () => {
  it('collision jitter is a bounded walk: one ±20 step cannot clear a 60-unit collision (7.3)', () => {
    // The largest single step moves 20·√3 ≈ 34.6 < 60: from a star's exact spot one jitter never clears it.
    assert.ok(Math.hypot(JITTER, JITTER, JITTER) < MIN_STAR_DISTANCE);
    // A peer may take any horizontal heading: block all twelve so only the jitter walk is left.
    const ring: Star[] = Array.from({ length: 12 }, (_, k) => ({ artistId: `b${k}`, position: turnOffset({ x: 100, y: 0, z: 0 }, k * 30), genres: [] }));
    const origin: Star = { artistId: 'base', position: { x: 0, y: 0, z: 0 }, genres: [] };
    const p = placeStar({ existing: [origin, ...ring], discoveryPath: ['base'], artistId: 'new', relationshipFrom: () => 'peer', rng: mulberry32(7) });
    // Every heading's spot is a blocker's, so clearing all of them took a walk of several steps.
    for (const b of ring) assert.ok(distance(p.position, b.position) >= MIN_STAR_DISTANCE);
  });

  it("the step 2 example orb (Fela at 45°, (106, 75, −50)) is not on its own orbit; orbs follow step 11.e's layout", () => {
    // |(106, 75, −50)| ≈ 139.6 ≠ radius 150, and z = r·sin a·cos i > 0 for a = 45°, |i| < 90°.
    assert.ok(Math.abs(Math.hypot(106, 75, -50) - 150) > 10);
    const p = vec3.create();
    for (let inc = -89; inc <= 89; inc++) {
      orbPosition(p, 150, 45, inc);
      assert.ok(p[2] > 0);
    }
    // 11.e: a single ancestor (Wizkid → Fela) starts at 90°, radius 150, inclination 30.
    const [fela] = layoutOrbs([{ id: 'fela', relationshipType: 'ancestor' }]);
    assert.deepEqual([fela.startAngle, fela.orbitRadius, fela.inclination], [90, 150, 30]);
  });

  it('dial.predicted carries the target station (seed 3.4 predicted_destination 105.5), not the raw 104.15', () => {
    const state = new SessionState();
    const sim = new SessionSimulation(state, [99.9, 102.7, 105.5], 99.9, 0);
    assert.equal(sim.swipe({ direction: 'right', velocity: 850 }, 0), 105.5);
    assert.equal(state.dial.predicted, 105.5);
  });
});
