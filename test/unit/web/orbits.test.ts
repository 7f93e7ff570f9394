import assert from 'node:assert/strict';
import { OrbClock, extrapolateAngle, orbPosition, project, sampleCameraPath, wrap360 } from '../../../web/src/play/orbits.js';
import { orbPosition as serverOrbPosition, advanceOrbs, createOrb } from '../../../systems/orbits.js';

const close = (a: number, b: number, eps = 1e-6) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

describe('web/play orbits: extrapolation between ~4 Hz syncs', () => {
  it('advances angle by speed (rad/s) converted to degrees, wrapped to [0, 360)', () => {
    close(extrapolateAngle(350, Math.PI / 4, 1000), 35); // 45°/s for 1 s from 350 → 395 → 35
    close(extrapolateAngle(10, -Math.PI, 500), 280); // backwards 90°
    close(wrap360(-30), 330);
  });

  it('matches the server simulation: extrapolating 250 ms equals 5 server ticks of 50 ms', () => {
    const orb = createOrb({ id: 'o', relationshipType: 'peer', ring: 'peers', orbitRadius: 120, orbitSpeed: 0.4, startAngle: 72, inclination: 0 });
    for (let i = 0; i < 5; i++) advanceOrbs([orb], 0.05);
    close(extrapolateAngle(72, 0.4, 250), orb.angle, 1e-9);
    const p = orbPosition(orb.radius, orb.angle, orb.inclination);
    close(p.x, orb.x, 1e-9);
    close(p.z, orb.z, 1e-9);
  });

  it('uses the same position formula as systems/orbits.ts', () => {
    const ours = orbPosition(150, 123, 30);
    const theirs = serverOrbPosition([0, 0, 0], 150, 123, 30);
    close(ours.x, theirs[0]);
    close(ours.y, theirs[1]);
    close(ours.z, theirs[2]);
  });

  it('OrbClock extrapolates from the arrival time of the last changed angle, at most 2 s ahead', () => {
    const clock = new OrbClock();
    assert.equal(clock.sync('a', 90, 1000), true);
    assert.equal(clock.sync('a', 90, 1100), false); // unchanged angle keeps the first arrival time
    close(clock.angleAt('a', 0, Math.PI / 2, 1500), 135); // 90°/s × 0.5 s
    close(clock.angleAt('a', 0, Math.PI / 2, 60_000), 270); // capped at 2 s: 90 + 180
    close(clock.angleAt('unknown', 42, 1, 5000), 42);
    clock.retain(new Set());
    close(clock.angleAt('a', 7, 1, 5000), 7);
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

  it('projects the focus to the screen centre; nearer points are larger; fov 30 doubles the zoom', () => {
    const view = { cx: 400, cy: 300, pxPerUnit: 1, tiltDeg: 30, distance: 900, focus: { x: 0, y: 0, z: 0 }, fov: 60 };
    const c = project({ x: 0, y: 0, z: 0 }, view);
    close(c.x, 400);
    close(c.y, 300);
    close(c.scale, 1);
    const near = project({ x: 0, y: 0, z: 100 }, view);
    const far = project({ x: 0, y: 0, z: -100 }, view);
    assert.ok(near.scale > far.scale && near.y > far.y, 'front of the orbit is lower and larger');
    const zoomed = project({ x: 10, y: 0, z: 0 }, { ...view, fov: 30 });
    close(zoomed.x - 400, 10 * Math.tan(Math.PI / 6) / Math.tan(Math.PI / 12));
  });
});
