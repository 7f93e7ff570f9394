/**
 * The decoded `session` state as a client reads it (schema/SessionState.ts; docs/PROTOCOL.md "State").
 * Hand-written views: the SDK decodes without the generated schema classes (clients/ts/session/).
 */

export interface OrbView {
  artistId: string;
  name: string;
  relationship: string;
  radius: number;
  /** Radians per second. */
  speed: number;
  /** Degrees at the state's `orbEpoch`; the angle at server time t is startAngle + speed·(t − orbEpoch). */
  startAngle: number;
  /** Degrees. */
  inclination: number;
}

export interface SessionStateView {
  /** `frequency` is a float64: exactly the station's MHz (99.9, not 99.9000015). */
  station: { frequency: number; artistId: string; artistName: string; genre: string; era: string };
  /**
   * The glide of the last swipe, never streamed: draw `dialFrequencyAt(dial, serverNow)` (glide.ts). float64 values.
   * `frequency` is where it started (at `movedAt`), `predicted` the station it settles on (at `settlesAt`).
   */
  dial: { frequency: number; velocity: number; locked: boolean; predicted: number; movedAt: number; settlesAt: number; deceleration: number; maxSpeed: number };
  orbs: { forEach(cb: (orb: OrbView, id: string) => void): void; get(id: string): OrbView | undefined; size: number };
  /** Server time (ms) at which every orb was at its startAngle. */
  orbEpoch: number;
  camera: { x: number; y: number; z: number; fov: number; transitioning: boolean; progress: number };
  totalStars: number;
  badges: { length: number; forEach(cb: (badge: string) => void): void };
  orbsExplored: number;
  interactions: number;
}
