import assert from 'node:assert/strict';
import { mulberry32 } from '../../../systems/constellation/constellation.js';
import {
  AUDIO_CROSSFADE,
  CameraError,
  FOV_MAX,
  FOV_MIN,
  ZOOM_DURATION_S,
  createCamera,
  keyframesToJSON,
  sampleCamera,
  smoothstep,
  startTransition,
  stepCamera,
  type CameraPose,
  type CameraStep,
} from '../../../systems/session/camera.js';

const ORB: [number, number, number] = [90, 60, -40]; // seed step 6: Fela's orb
const pose = (): CameraPose => ({ position: [0, 0, 0], fov: 0 });

describe('systems/camera', () => {
  it("builds the seed's keyframes and crossfade config", () => {
    const tr = startTransition([0, 0, 0], ORB);
    assert.equal(tr.duration, 0.8);
    assert.equal(ZOOM_DURATION_S, 0.8);
    assert.deepEqual(keyframesToJSON(tr), [
      { time: 0.0, position: { x: 0, y: 0, z: 0 }, fov: 60 },
      { time: 0.3, position: { x: 90, y: 60, z: -40 }, fov: 45 },
      { time: 0.5, position: { x: 90, y: 60, z: -40 }, fov: 30 },
      { time: 0.8, position: { x: 0, y: 0, z: 0 }, fov: 60 },
    ]);
    assert.deepEqual({ ...AUDIO_CROSSFADE }, { fadeOutStart: 0.2, fadeOutEnd: 0.5, fadeInStart: 0.5, fadeInEnd: 0.8, curve: 'ease_in_out' });
  });

  it('samples each keyframe exactly and holds on the orb between 0.3 and 0.5 s', () => {
    const tr = startTransition([10, -5, 3], ORB);
    const out = pose();
    for (const kf of tr.keyframes) {
      sampleCamera(out, tr, kf.time);
      assert.deepEqual([...out.position], [...kf.position]);
      assert.equal(out.fov, kf.fov);
    }
    for (let t = 0.3; t <= 0.5; t += 0.01) {
      sampleCamera(out, tr, t);
      assert.deepEqual([...out.position], ORB);
    }
  });

  it('keeps fov within [30, 60] for every t and eases monotonically inside each segment', () => {
    const tr = startTransition([0, 0, 0], ORB);
    const out = pose();
    let prevFov = 60;
    for (let k = -100; k <= 1000; k++) {
      const t = k / 1000;
      sampleCamera(out, tr, t);
      assert.ok(out.fov >= FOV_MIN && out.fov <= FOV_MAX, `fov ${out.fov} at t=${t}`);
      if (t > 0 && t <= 0.5) assert.ok(out.fov <= prevFov, 'narrows towards the orb');
      if (t > 0.5 && t <= 0.8) assert.ok(out.fov >= prevFov, 'widens back to 60');
      prevFov = out.fov;
    }
  });

  it('steps at 20 Hz to done_now once, ending exactly at the centre with fov 60', () => {
    const cam = createCamera();
    cam.transition = startTransition(cam.position, ORB);
    const steps: CameraStep[] = [];
    for (let i = 0; i < 20; i++) steps.push(stepCamera(cam, 0.05));
    assert.equal(steps.filter((s) => s === 'done_now').length, 1);
    assert.equal(steps.indexOf('done_now'), 15); // 16 ticks × 0.05 s = 0.8 s
    assert.ok(steps.slice(0, 15).every((s) => s === 'running'));
    assert.ok(steps.slice(16).every((s) => s === 'idle'));
    assert.deepEqual([...cam.position], [0, 0, 0]);
    assert.equal(cam.fov, 60);
    assert.equal(cam.transition, null);
  });

  it('ends exactly at the centre for random dts and starting points, fov always in range', () => {
    const rng = mulberry32(99);
    for (let run = 0; run < 200; run++) {
      const cam = createCamera();
      cam.position[0] = rng() * 200 - 100;
      cam.transition = startTransition(cam.position, [rng() * 300 - 150, rng() * 300 - 150, rng() * 300 - 150]);
      let done = 0;
      for (let i = 0; i < 1000 && cam.transition !== null; i++) {
        if (stepCamera(cam, rng() * 0.3) === 'done_now') done++;
        assert.ok(cam.fov >= 30 && cam.fov <= 60);
      }
      assert.equal(done, 1);
      assert.deepEqual([...cam.position], [0, 0, 0]);
      assert.equal(cam.fov, 60);
    }
  });

  it('eases in and out', () => {
    assert.equal(smoothstep(0.5), 0.5);
    assert.equal(smoothstep(-1), 0);
    assert.equal(smoothstep(2), 1);
  });

  it('rejects invalid input with named errors', () => {
    const isCode = (code: string) => (err: unknown) => err instanceof CameraError && err.code === code;
    assert.throws(() => startTransition([0, 0, 0], [Number.NaN, 0, 0]), isCode('INVALID_POSITION'));
    assert.throws(() => sampleCamera(pose(), startTransition([0, 0, 0], ORB), Number.NaN), isCode('INVALID_TIME'));
    const cam = createCamera();
    assert.equal(stepCamera(cam, 0.05), 'idle');
    cam.transition = startTransition(cam.position, ORB);
    assert.throws(() => stepCamera(cam, -0.05), isCode('INVALID_DT'));
  });
});
