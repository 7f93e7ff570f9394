/**
 * Orb-zoom camera and audio crossfade timing. Keyframes at 0, 0.3, 0.5, 0.8 s: start → orb → orb → centre, fov
 * 60 → 45 → 30 → 60, eased with smoothstep per segment, so fov never leaves [30, 60] and the camera never passes the orb.
 */
import { vec3, type ReadonlyVec3 } from 'gl-matrix';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { named, vec3Schema } from '../shapes.js';

export const ZOOM_DURATION_S = 0.8;
export const ZOOM_KEYFRAME_TIMES: readonly number[] = Object.freeze([0, 0.3, 0.5, 0.8]);
export const ZOOM_KEYFRAME_FOVS: readonly number[] = Object.freeze([60, 45, 30, 60]);
export const FOV_MIN = 30;
export const FOV_MAX = 60;

/** Seconds from the start of the transition. */
export const AUDIO_CROSSFADE = Object.freeze({
  fadeOutStart: 0.2,
  fadeOutEnd: 0.5,
  fadeInStart: 0.5,
  fadeInEnd: 0.8,
  curve: 'ease_in_out' as const,
});

/** float64 tuples, so given values round-trip exactly. */
export interface CameraKeyframe {
  readonly time: number;
  readonly position: readonly [number, number, number];
  readonly fov: number;
}

/** `{ time, position: {x,y,z}, fov }` for clients. */
export const cameraKeyframeSchema = named(z.object({ time: z.number(), position: vec3Schema, fov: z.number() }), 'CameraKeyframe');

export interface CameraTransition {
  readonly keyframes: readonly CameraKeyframe[];
  readonly duration: number;
  elapsed: number;
}

export interface CameraPose {
  position: vec3;
  fov: number;
}

/** Mutated in place by {@link stepCamera}. */
export interface CameraState extends CameraPose {
  transition: CameraTransition | null;
}

/** `done_now` exactly once per transition. */
export type CameraStep = 'running' | 'done_now' | 'idle';

export class CameraError extends AppError<'INVALID_POSITION' | 'INVALID_TIME' | 'INVALID_DT'> {}

const ORIGIN: ReadonlyVec3 = [0, 0, 0];
// Ticks accumulate dt in floating point: 16 × 0.05 may land a hair below 0.8.
const END_EPSILON = 1e-9;

export function createCamera(): CameraState {
  return { position: [0, 0, 0], fov: FOV_MAX, transition: null };
}

/** `to` defaults to the centre. */
export function startTransition(from: ReadonlyVec3, orbPos: ReadonlyVec3, to: ReadonlyVec3 = ORIGIN): CameraTransition {
  const points = [from, orbPos, orbPos, to].map(toTuple);
  const keyframes = points.map((position, k) => Object.freeze({ time: ZOOM_KEYFRAME_TIMES[k], position, fov: ZOOM_KEYFRAME_FOVS[k] }));
  return { keyframes: Object.freeze(keyframes), duration: ZOOM_DURATION_S, elapsed: 0 };
}

/** `t` clamped to [0, duration]; the end pose is exact. Returns `out`. */
export function sampleCamera(out: CameraPose, transition: CameraTransition, t: number): CameraPose {
  if (Number.isNaN(t)) throw new CameraError('INVALID_TIME', 'Sample time must be a number of seconds, got NaN.');
  const kfs = transition.keyframes;
  const last = kfs[kfs.length - 1];
  if (t <= kfs[0].time) return copyKeyframe(out, kfs[0]);
  if (t >= last.time) return copyKeyframe(out, last);
  let k = 0;
  while (k < kfs.length - 2 && t > kfs[k + 1].time) k++;
  const a = kfs[k];
  const b = kfs[k + 1];
  const s = smoothstep((t - a.time) / (b.time - a.time));
  vec3.lerp(out.position, a.position, b.position, s);
  // Guards FP rounding only: s ∈ [0,1] already keeps fov between a.fov and b.fov.
  out.fov = Math.min(FOV_MAX, Math.max(FOV_MIN, a.fov + (b.fov - a.fov) * s));
  return out;
}

/** Returns `done_now` on the tick the transition ends (pose exactly centre/60, transition cleared). */
export function stepCamera(cam: CameraState, dt: number): CameraStep {
  const tr = cam.transition;
  if (tr === null) return 'idle';
  if (!(dt >= 0) || !Number.isFinite(dt)) throw new CameraError('INVALID_DT', `dt must be a finite number of seconds ≥ 0, got ${dt}.`);
  tr.elapsed += dt;
  if (tr.elapsed >= tr.duration - END_EPSILON) {
    sampleCamera(cam, tr, tr.duration);
    cam.transition = null;
    return 'done_now';
  }
  sampleCamera(cam, tr, tr.elapsed);
  return 'running';
}

/** For the `transition.camera_path` sent to clients. */
export function keyframesToJSON(transition: CameraTransition): z.infer<typeof cameraKeyframeSchema>[] {
  return transition.keyframes.map(({ time, position, fov }) => ({
    time,
    position: { x: position[0], y: position[1], z: position[2] },
    fov,
  }));
}

/** 3u² − 2u³, clamped: monotone, zero slope at both ends. */
export function smoothstep(u: number): number {
  if (u <= 0) return 0;
  if (u >= 1) return 1;
  return u * u * (3 - 2 * u);
}

function copyKeyframe(out: CameraPose, kf: CameraKeyframe): CameraPose {
  vec3.copy(out.position, kf.position);
  out.fov = kf.fov;
  return out;
}

function toTuple([x, y, z]: ReadonlyVec3): readonly [number, number, number] {
  if (![x, y, z].every(Number.isFinite)) throw new CameraError('INVALID_POSITION', `Camera positions need three finite coordinates, got [${x}, ${y}, ${z}].`);
  return Object.freeze([x, y, z] as [number, number, number]);
}
