import assert from 'node:assert/strict';
import { vec3 } from 'gl-matrix';
import { mulberry32 } from '../../../systems/constellation.js';
import {
  OrbitError,
  RELATIONSHIP_TYPES,
  RING_OF,
  advanceOrbs,
  createOrb,
  layoutOrbs,
  orbPosition,
  ringOf,
  wrapDegrees,
  type OrbMotion,
} from '../../../systems/orbits.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);
const RAD = Math.PI / 180;

function assertOnOrbit(orb: OrbMotion): void {
  const a = orb.angle * RAD;
  const i = orb.inclination * RAD;
  close(orb.x, orb.radius * Math.cos(a));
  close(orb.y, orb.radius * Math.sin(a) * Math.sin(i));
  close(orb.z, orb.radius * Math.sin(a) * Math.cos(i));
  close(Math.hypot(orb.x, orb.y, orb.z), orb.radius, 1e-9 * orb.radius);
}

describe('systems/orbits', () => {
  describe('layoutOrbs (seed step 11.e)', () => {
    it('lays out ancestors behind and above: angle i/n·180+90, radius 150+20i, incl 30, speed 0.2+0.05i', () => {
      const configs = layoutOrbs([
        { id: 'a0', relationshipType: 'ancestor' },
        { id: 'a1', relationshipType: 'ancestor' },
        { id: 'a2', relationshipType: 'ancestor' },
      ]);
      assert.deepEqual(
        configs.map((c) => [c.startAngle, c.orbitRadius, c.inclination, c.orbitSpeed, c.ring]),
        [
          [90, 150, 30, 0.2, 'ancestors'],
          [150, 170, 30, 0.25, 'ancestors'],
          [210, 190, 30, 0.3, 'ancestors'],
        ],
      );
    });

    it('lays out peers on a level full circle and contemporaries on a front arc', () => {
      const peers = layoutOrbs(['p0', 'p1', 'p2', 'p3'].map((id) => ({ id, relationshipType: 'peer' })));
      assert.deepEqual(
        peers.map((c) => [c.startAngle, c.orbitRadius, c.inclination, c.orbitSpeed]),
        [
          [0, 120, 0, 0.4],
          [90, 120, 0, 0.4],
          [180, 120, 0, 0.4],
          [270, 120, 0, 0.4],
        ],
      );
      const cons = layoutOrbs(['c0', 'c1', 'c2'].map((id) => ({ id, relationshipType: 'contemporary' })));
      assert.deepEqual(
        cons.map((c) => [c.startAngle, c.orbitRadius, c.inclination, c.orbitSpeed]),
        [
          [30, 100, -20, 0.5],
          [70, 100, -20, 0.5],
          [110, 100, -20, 0.5],
        ],
      );
    });

    it('maps the extra catalog types onto the three rings and counts i per ring in input order', () => {
      assert.deepEqual(RING_OF, {
        ancestor: 'ancestors',
        influence: 'peers',
        peer: 'peers',
        collaborator: 'peers',
        contemporary: 'contemporaries',
        influenced: 'contemporaries',
      });
      for (const t of RELATIONSHIP_TYPES) assert.equal(ringOf(t), RING_OF[t]);
      // Seed step 2: Wizkid's orbs are Fela (ancestor) and Sade (influence, radius 120).
      const configs = layoutOrbs([
        { id: 'fela', relationshipType: 'ancestor' },
        { id: 'sade', relationshipType: 'influence' },
        { id: 'tony', relationshipType: 'collaborator' },
        { id: 'next', relationshipType: 'influenced' },
      ]);
      assert.deepEqual(
        configs.map((c) => [c.id, c.ring, c.startAngle, c.orbitRadius]),
        [
          ['fela', 'ancestors', 90, 150],
          ['sade', 'peers', 0, 120],
          ['tony', 'peers', 180, 120],
          ['next', 'contemporaries', 30, 100],
        ],
      );
    });

    it('rejects unknown relationship types with a named error', () => {
      assert.throws(
        () => layoutOrbs([{ id: 'x', relationshipType: 'cousin' }]),
        (err: unknown) => err instanceof OrbitError && err.code === 'UNKNOWN_RELATIONSHIP',
      );
      assert.deepEqual(layoutOrbs([]), []);
    });
  });

  describe('orbPosition (seed step 2.6)', () => {
    it('computes x = r cos a, y = r sin a sin i, z = r sin a cos i', () => {
      const out = vec3.create();
      assert.equal(orbPosition(out, 150, 45, 30), out);
      const p: vec3 = [0, 0, 0];
      orbPosition(p, 150, 45, 30); // Fela around Wizkid
      close(p[0], 150 * Math.SQRT1_2);
      close(p[1], 150 * Math.SQRT1_2 * 0.5);
      close(p[2], 150 * Math.SQRT1_2 * Math.cos(30 * RAD));
      orbPosition(p, 120, 180, 0); // Sade: straight behind on x, level
      close(p[0], -120);
      close(p[1], 0);
      close(p[2], 0);
    });

    it('always keeps |position| = radius (random radii, angles, inclinations)', () => {
      const rng = mulberry32(42);
      const p: vec3 = [0, 0, 0];
      for (let k = 0; k < 2000; k++) {
        const r = 1 + rng() * 500;
        const a = rng() * 720 - 360;
        const i = rng() * 180 - 90;
        orbPosition(p, r, a, i);
        close(Math.hypot(p[0], p[1], p[2]), r, 1e-9 * r);
        close(p[0], r * Math.cos(a * RAD));
      }
    });
  });

  describe('advanceOrbs', () => {
    it('advances by speed in rad/s, wraps into [0, 360) and updates positions in place', () => {
      const [config] = layoutOrbs([{ id: 'c', relationshipType: 'contemporary' }]);
      const orb = createOrb(config);
      assertOnOrbit(orb);
      advanceOrbs([orb], 1);
      close(orb.angle, 30 + 0.5 * (180 / Math.PI)); // 0.5 rad/s for 1 s ≈ 28.65°
      assertOnOrbit(orb);
      // One full revolution takes 2π / speed seconds.
      const start = orb.angle;
      for (let i = 0; i < 100; i++) advanceOrbs([orb], (2 * Math.PI) / 0.5 / 100);
      close(orb.angle, start, 1e-9);
    });

    it('keeps every orb on its orbit over many random ticks, including retrograde orbs', () => {
      const rng = mulberry32(7);
      const orbs = layoutOrbs(
        RELATIONSHIP_TYPES.flatMap((t, k) => [0, 1, 2].map((j) => ({ id: `${t}${j}${k}`, relationshipType: t }))),
      ).map(createOrb);
      orbs[0].speed = -0.3;
      for (let tick = 0; tick < 1000; tick++) {
        advanceOrbs(orbs, rng() * 0.2);
        for (const orb of orbs) {
          assert.ok(orb.angle >= 0 && orb.angle < 360, `angle ${orb.angle} in [0, 360)`);
          assertOnOrbit(orb);
        }
      }
    });

    it('wraps angles and rejects invalid dt', () => {
      assert.equal(wrapDegrees(360), 0);
      assert.equal(wrapDegrees(-90), 270);
      assert.equal(wrapDegrees(725), 5);
      assert.equal(wrapDegrees(-1e-15), 0);
      assert.throws(() => advanceOrbs([], -1), (err: unknown) => err instanceof OrbitError && err.code === 'INVALID_DT');
      assert.throws(() => advanceOrbs([], Infinity), OrbitError);
    });
  });
});
