/**
 * Orb motion on the server clock and camera paths (pure, unit-tested).
 *
 * The orbit rule (docs/PROTOCOL.md, "Orbs"): orbs are never streamed while they move. Each orb in the
 * state carries `startAngle` (degrees), `speed` (radians per second), `radius` and `inclination`; the
 * state carries `orbEpoch`, the server time (ms) at which every orb was at its start angle. At server
 * time t (ms):
 *
 *   angle(t) = wrap360(startAngle + speed · (180/π) · (t − orbEpoch) / 1000)
 *   x = r·cos a,  y = r·sin a·sin i,  z = r·sin a·cos i      (systems/session/orbits.ts)
 *
 * The server time comes from {@link ServerClock}, fed by `clock` round trips.
 */
import type { CameraKeyframe, Vec3 } from './protocol.js';

const DEG_PER_RAD = 180 / Math.PI;
const RAD_PER_DEG = Math.PI / 180;

export const wrap360 = (deg: number): number => ((deg % 360) + 360) % 360;

/** The angle `elapsedMs` after the orb epoch, for an orb starting at `startAngleDeg` moving at `speedRadPerSec`. */
export function orbAngleAt(startAngleDeg: number, speedRadPerSec: number, elapsedMs: number): number {
  return wrap360(startAngleDeg + speedRadPerSec * DEG_PER_RAD * (Math.max(0, elapsedMs) / 1000));
}

export function orbPosition(radius: number, angleDeg: number, inclinationDeg: number): Vec3 {
  const a = angleDeg * RAD_PER_DEG;
  const inc = inclinationDeg * RAD_PER_DEG;
  const s = radius * Math.sin(a);
  return { x: radius * Math.cos(a), y: s * Math.sin(inc), z: s * Math.cos(inc) };
}

/**
 * The server's clock as seen from here: local time plus an offset estimated from `clock` round trips
 * (send your time t0, the server answers its time; offset = server − (t0 + rtt/2)), keeping the sample
 * with the shortest round trip (the least uncertain). Seeded from the welcome's `serverTime`.
 */
export class ServerClock {
  private offsetMs: number | null = null;
  private bestRttMs = Infinity;

  /** A first estimate (one-way delay unknown) until a round trip is measured. */
  seed(serverTime: number, localNow: number): void {
    if (this.offsetMs === null) this.offsetMs = serverTime - localNow;
  }

  /** A `clock` reply: `t0` when we sent, `serverTime` the server's answer, `t1` when it arrived (local clock). */
  sample(t0: number, serverTime: number, t1: number): void {
    const rtt = Math.max(0, t1 - t0);
    if (rtt > this.bestRttMs) return;
    this.bestRttMs = rtt;
    this.offsetMs = serverTime - (t0 + rtt / 2);
  }

  /** Server time (ms) at local time `localNow`. */
  now(localNow: number): number {
    return localNow + (this.offsetMs ?? 0);
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
  return {
    position: { x: lerp(a.position.x, b.position.x), y: lerp(a.position.y, b.position.y), z: lerp(a.position.z, b.position.z) },
    fov: lerp(a.fov, b.fov),
  };
}
