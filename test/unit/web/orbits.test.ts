import assert from 'node:assert/strict';
import { ServerClock, orbAngleAt, orbPosition, sampleCameraPath, wrap360 } from '../../../web/src/play/orbits.js';
import {
  RELATIONSHIP_TYPES,
  layoutOrbs,
  orbPosition as serverOrbPosition,
  orbitPositionAt,
  wrapDegrees,
  type OrbConfig,
  type Orbit,
} from '../../../systems/session/orbits.js';

/** A layout slot as the session's simulation orbits it (the catalog stores the slot; SessionSimulation reads it back). */
const orbitOf = (c: OrbConfig): Orbit => ({ startAngle: wrapDegrees(c.startAngle), radius: c.orbitRadius, inclination: c.inclination, speed: c.orbitSpeed });

const close = (a: number, b: number, eps = 1e-6) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

describe('web/play orbits: motion on the server clock (docs/PROTOCOL.md "Orbs")', () => {
  it('turns by speed (rad/s) converted to degrees from the start angle, wrapped to [0, 360)', () => {
    close(orbAngleAt(350, Math.PI / 4, 1000), 35); // 45°/s for 1 s from 350 → 395 → 35
    close(orbAngleAt(10, -Math.PI, 500), 280); // backwards 90°
    close(wrap360(-30), 330);
  });

  it('the client formula and the server agree to 1e-6 over 60 s of motion, for every demo orbit shape', () => {
    const orbits = layoutOrbs(RELATIONSHIP_TYPES.flatMap((t) => [0, 1, 2].map((j) => ({ id: `${t}${j}`, relationshipType: t })))).map(orbitOf);
    orbits.push({ startAngle: 271.3, radius: 133.7, inclination: -12.5, speed: -0.37 }); // retrograde, odd numbers
    const server = [0, 0, 0] as [number, number, number];
    for (const orbit of orbits) {
      for (let ms = 0; ms <= 60_000; ms += 250) {
        orbitPositionAt(server, orbit, ms / 1000);
        const client = orbPosition(orbit.radius, orbAngleAt(orbit.startAngle, orbit.speed, ms), orbit.inclination);
        close(client.x, server[0]);
        close(client.y, server[1]);
        close(client.z, server[2]);
      }
    }
  });

  it('uses the same position formula as systems/session/orbits.ts', () => {
    const ours = orbPosition(150, 123, 30);
    const theirs = serverOrbPosition([0, 0, 0], 150, 123, 30);
    close(ours.x, theirs[0]);
    close(ours.y, theirs[1]);
    close(ours.z, theirs[2]);
  });

  it('ServerClock: seeded by the welcome, then set by the round trip with the shortest time', () => {
    const clock = new ServerClock();
    assert.equal(clock.now(1000), 1000, 'no estimate yet: local time');
    clock.seed(5_000, 1_000);
    assert.equal(clock.now(1_500), 5_500);
    clock.sample(2_000, 6_100, 2_200); // rtt 200 → offset 6100 − 2100 = 4000
    assert.equal(clock.now(3_000), 7_000);
    clock.sample(4_000, 8_030, 4_060); // rtt 60 (better) → offset 8030 − 4030 = 4000
    assert.equal(clock.now(5_000), 9_000);
    clock.sample(6_000, 11_000, 6_500); // rtt 500 (worse): ignored
    assert.equal(clock.now(7_000), 11_000);
    clock.seed(0, 0);
    assert.equal(clock.now(7_000), 11_000, 'a later welcome does not override a measured offset');
  });

  it('samples a camera path like the server: keyframes exact, smoothstep in between', () => {
    const path = [
      { time: 0, position: { x: 0, y: 0, z: 0 }, fov: 60 },
      { time: 0.3, position: { x: 100, y: 0, z: 0 }, fov: 45 },
      { time: 0.5, position: { x: 100, y: 0, z: 0 }, fov: 30 },
      { time: 0.8, position: { x: 0, y: 0, z: 0 }, fov: 60 },
    ];
    assert.deepEqual(sampleCameraPath(path, -1), { position: { x: 0, y: 0, z: 0 }, fov: 60 });
    assert.deepEqual(sampleCameraPath(path, 0.3), { position: { x: 100, y: 0, z: 0 }, fov: 45 });
    close(sampleCameraPath(path, 0.15).position.x, 50); // smoothstep(0.5) = 0.5
    close(sampleCameraPath(path, 0.4).fov, 37.5);
    assert.deepEqual(sampleCameraPath(path, 2), { position: { x: 0, y: 0, z: 0 }, fov: 60 });
  });
});
