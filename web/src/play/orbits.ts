/**
 * Orb motion between server syncs, camera paths and a 2-D projection (pure, unit-tested).
 *
 * The extrapolation rule (docs/PROTOCOL.md): the server writes each orb's `angle` (degrees) about
 * 4 times a second; between syncs the client advances it locally by `speed` (radians per second):
 *
 *   angle(now) = wrap360(angle_synced + speed · (180/π) · (now − t_sync) / 1000)
 *
 * where t_sync is when the patch carrying that angle arrived. Position from the angle, exactly as
 * the server computes it (systems/orbits.ts, seed 2.6):
 *
 *   x = r·cos a,  y = r·sin a·sin i,  z = r·sin a·cos i
 */
import type { CameraKeyframe, Vec3 } from './protocol.js';

const DEG_PER_RAD = 180 / Math.PI;
const RAD_PER_DEG = Math.PI / 180;

export const wrap360 = (deg: number): number => ((deg % 360) + 360) % 360;

/** The angle `elapsedMs` after a sync at `angleDeg`, for an orb moving at `speedRadPerSec`. */
export function extrapolateAngle(angleDeg: number, speedRadPerSec: number, elapsedMs: number): number {
  return wrap360(angleDeg + speedRadPerSec * DEG_PER_RAD * (Math.max(0, elapsedMs) / 1000));
}

export function orbPosition(radius: number, angleDeg: number, inclinationDeg: number): Vec3 {
  const a = angleDeg * RAD_PER_DEG;
  const inc = inclinationDeg * RAD_PER_DEG;
  const s = radius * Math.sin(a);
  return { x: radius * Math.cos(a), y: s * Math.sin(inc), z: s * Math.cos(inc) };
}

/**
 * Remembers, per orb, the last synced angle and when it arrived. Call `sync` whenever a patch
 * arrives (cheap: it only records angles that changed) and `angleAt` every frame.
 */
export class OrbClock {
  private readonly bases = new Map<string, { angle: number; at: number }>();

  /** Records `angle` for `id` if it changed since the last sync; returns true when it did. */
  sync(id: string, angle: number, nowMs: number): boolean {
    const base = this.bases.get(id);
    if (base && base.angle === angle) return false;
    this.bases.set(id, { angle, at: nowMs });
    return true;
  }

  angleAt(id: string, fallbackAngle: number, speedRadPerSec: number, nowMs: number): number {
    const base = this.bases.get(id);
    if (!base) return wrap360(fallbackAngle);
    // Never run more than 2 s ahead of the last sync: a stalled connection should freeze, not spin.
    return extrapolateAngle(base.angle, speedRadPerSec, Math.min(nowMs - base.at, 2000));
  }

  /** Forgets orbs that are no longer in the state (a new station replaced them). */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.bases.keys()) if (!ids.has(id)) this.bases.delete(id);
  }
}

export const smoothstep = (u: number): number => {
  const x = Math.min(1, Math.max(0, u));
  return x * x * (3 - 2 * x);
};

/** Camera pose at `t` seconds along a `transition.cameraPath`, eased like the server (smoothstep per segment). */
export function sampleCameraPath(path: readonly CameraKeyframe[], t: number): { position: Vec3; fov: number } {
  if (!path.length) return { position: { x: 0, y: 0, z: 0 }, fov: 60 };
  if (t <= path[0].time) return { position: { ...path[0].position }, fov: path[0].fov };
  const last = path[path.length - 1];
  if (t >= last.time) return { position: { ...last.position }, fov: last.fov };
  let k = 0;
  while (k < path.length - 2 && t > path[k + 1].time) k++;
  const a = path[k];
  const b = path[k + 1];
  const s = smoothstep((t - a.time) / (b.time - a.time));
  const lerp = (p: number, q: number) => p + (q - p) * s;
  return { position: { x: lerp(a.position.x, b.position.x), y: lerp(a.position.y, b.position.y), z: lerp(a.position.z, b.position.z) }, fov: lerp(a.fov, b.fov) };
}

/** A simple viewer above the orbit plane, looking at `focus`. */
export interface View {
  /** Screen centre in px. */
  cx: number;
  cy: number;
  /** Pixels per scene unit at the focus, before the fov zoom. */
  pxPerUnit: number;
  /** Degrees the view looks down onto the orbit plane. */
  tiltDeg: number;
  /** Viewer distance from the focus, scene units (perspective strength). */
  distance: number;
  focus: Vec3;
  /** Camera fov in degrees; 60 is the resting zoom, 30 is 2×. */
  fov: number;
}

export interface Projected {
  x: number;
  y: number;
  /** Larger is nearer the viewer (draw far to near). */
  depth: number;
  /** Perspective scale at that depth (1 at the focus). */
  scale: number;
}

/** Projects a scene point onto the screen: tilt about X, perspective divide, fov zoom. */
export function project(p: Vec3, view: View): Projected {
  const t = view.tiltDeg * RAD_PER_DEG;
  const dx = p.x - view.focus.x;
  const dy = p.y - view.focus.y;
  const dz = p.z - view.focus.z;
  const up = dy * Math.cos(t) - dz * Math.sin(t);
  const depth = dy * Math.sin(t) + dz * Math.cos(t);
  const scale = view.distance / Math.max(view.distance - depth, view.distance * 0.1);
  const zoom = Math.tan((30 * RAD_PER_DEG)) / Math.tan((view.fov / 2) * RAD_PER_DEG);
  const k = view.pxPerUnit * scale * zoom;
  return { x: view.cx + dx * k, y: view.cy - up * k, depth, scale: scale * zoom };
}
