import assert from 'node:assert/strict';
import { vec3 } from 'gl-matrix';
import { mulberry32 } from '../../../systems/constellation/constellation.js';
import {
  OrbitError,
  RELATIONSHIP_TYPES,
  RING_OF,
  orbitAngleAt,
  orbitPositionAt,
  layoutOrbs,
  orbPosition,
  ringOf,
  wrapDegrees,
  type OrbConfig,
  type Orbit,
} from '../../../systems/session/orbits.js';

/** A layout slot as the session's simulation orbits it (the catalog stores the slot; SessionSimulation reads it back). */
const orbitOf = (c: OrbConfig): Orbit => ({ startAngle: wrapDegrees(c.startAngle), radius: c.orbitRadius, inclination: c.inclination, speed: c.orbitSpeed });

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);
const RAD = Math.PI / 180;

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

  describe('orbitAngleAt / orbitPositionAt (motion as a function of time)', () => {
    it('turns by speed in rad/s from the start angle, wrapped into [0, 360), on the orbit', () => {
      const [config] = layoutOrbs([{ id: 'c', relationshipType: 'contemporary' }]);
      const orbit = orbitOf(config);
      close(orbitAngleAt(orbit, 0), 30);
      close(orbitAngleAt(orbit, 1), 30 + 0.5 * (180 / Math.PI)); // 0.5 rad/s for 1 s ≈ 28.65°
      close(orbitAngleAt(orbit, (2 * Math.PI) / 0.5), 30, 1e-9); // one revolution later: back at the start
      const p = orbitPositionAt([0, 0, 0], orbit, 1);
      close(Math.hypot(p[0], p[1], p[2]), orbit.radius);
    });

    it('stays on the orbit at any time, including retrograde orbits', () => {
      const rng = mulberry32(7);
      const orbits = layoutOrbs(RELATIONSHIP_TYPES.flatMap((t, k) => [0, 1, 2].map((j) => ({ id: `${t}${j}${k}`, relationshipType: t })))).map(orbitOf);
      orbits[0].speed = -0.3;
      for (let i = 0; i < 1000; i++) {
        const t = rng() * 3600;
        for (const orbit of orbits) {
          const angle = orbitAngleAt(orbit, t);
          assert.ok(angle >= 0 && angle < 360, `angle ${angle} in [0, 360)`);
          const p = orbitPositionAt([0, 0, 0], orbit, t);
          close(Math.hypot(p[0], p[1], p[2]), orbit.radius, 1e-9);
        }
      }
    });

    it('wraps angles and rejects invalid times', () => {
      assert.equal(wrapDegrees(360), 0);
      assert.equal(wrapDegrees(-90), 270);
      assert.equal(wrapDegrees(725), 5);
      assert.equal(wrapDegrees(-1e-15), 0);
      const orbit = orbitOf(layoutOrbs([{ id: 'p', relationshipType: 'peer' }])[0]);
      assert.throws(
        () => orbitAngleAt(orbit, -1),
        (err: unknown) => err instanceof OrbitError && err.code === 'INVALID_DT',
      );
      assert.throws(() => orbitAngleAt(orbit, Infinity), OrbitError);
    });
  });
});
