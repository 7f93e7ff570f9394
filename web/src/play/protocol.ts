/**
 * The `session` room protocol as the client sees it (docs/PROTOCOL.md is the reference).
 * Plain types only: the iOS client mirrors these as Codable structs.
 */

export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

/**
 * Join options of the `session` room. Identity is not among them: it comes from the access token
 * (`client.auth.token`); a join that sends `userId` or `deviceId` is refused (4400).
 */
export interface SessionJoinOptions {
  deviceModel?: string;
  appVersion?: string;
  lastSessionId?: string;
}

// ── server → client ─────────────────────────────────────────────────────────────────────────────

export interface WelcomeMessage {
  sessionId: string;
  userId: string;
  isFirstLaunch: boolean;
  resumed: boolean;
  message: string;
  frequency: number;
  /** Server time (ms since epoch) when the welcome was sent: a first clock estimate for orb motion. */
  serverTime: number;
}

/** Reply to `clock`: the client's `t0` echoed and the server's time (ms since epoch). */
export interface ClockMessage {
  t0: number;
  serverTime: number;
}

export interface LockedMessage {
  frequency: number;
  artistId: string;
  haptic: unknown;
}

export interface CameraKeyframe {
  time: number;
  position: Vec3;
  fov: number;
}

export interface TransitionMessage {
  orbId: string;
  toArtistId: string;
  /** Server time (ms) of the tap: the camera flies to where the orb was then. */
  at: number;
  /** Seconds. */
  duration: number;
  cameraPath: CameraKeyframe[];
  audioCrossfade: { fadeOutStart: number; fadeOutEnd: number; fadeInStart: number; fadeInEnd: number; curve: string };
}

export interface StarConnection {
  from: string;
  to: string;
  strength: number;
  type: 'discovery_path' | 'genre_similarity';
}

export interface CapturedMessage {
  alreadyCaptured: boolean;
  message?: string;
  star: { artistId: string; artistName: string; position: Vec3 };
  connections: StarConnection[];
  flyAway: { duration: number; path: Array<{ t: number; pos: Vec3 }>; scaleCurve: number[]; glowCurve: number[] } | null;
  totalStars: number;
  badgesEarned: string[];
  nextMilestone: unknown;
}

export type SessionErrorCode = 'BAD_INPUT' | 'UNKNOWN_MESSAGE' | 'UNKNOWN_ORB' | 'UNKNOWN_ARTIST' | 'RATE_LIMITED' | 'BACKPRESSURE' | 'BUSY' | 'INTERNAL';

export interface ErrorMessage {
  code: SessionErrorCode;
  message: string;
  /** The client message type this error answers. */
  for: string;
  details?: Array<{ field: string; message: string }>;
}

// ── client → server ─────────────────────────────────────────────────────────────────────────────

export interface SwipeMessage {
  direction: 'left' | 'right';
  /** Release velocity in px/s, 0..20000. Right moves up the band. */
  velocity: number;
}

export const MAX_SWIPE_VELOCITY = 20_000;

// ── state (decoded schema; see schema/SessionState.ts) ──────────────────────────────────────────

export interface OrbView {
  artistId: string;
  name: string;
  relationship: string;
  radius: number;
  /** Radians per second. */
  speed: number;
  /** Degrees at the state's `orbEpoch`; the angle at server time t is startAngle + speed·(t − orbEpoch) (orbits.ts). */
  startAngle: number;
  /** Degrees. */
  inclination: number;
}

export interface SessionStateView {
  station: { frequency: number; artistId: string; artistName: string; genre: string; era: string };
  dial: { frequency: number; velocity: number; locked: boolean; predicted: number };
  orbs: { forEach(cb: (orb: OrbView, id: string) => void): void; get(id: string): OrbView | undefined; size: number };
  /** Server time (ms) at which every orb was at its startAngle. */
  orbEpoch: number;
  camera: { x: number; y: number; z: number; fov: number; transitioning: boolean; progress: number };
  totalStars: number;
  badges: { length: number; forEach(cb: (badge: string) => void): void };
  orbsExplored: number;
  interactions: number;
}
