/**
 * The `session` room protocol as the client sees it (docs/PROTOCOL.md is the reference).
 * Plain types only; the iOS client has the same types as Codable structs (clients/swift/DeepStreamRealtime/Sources/DeepStreamRealtime/messages/).
 */

export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

// Message types are generated from the server's zod schemas (contract/registry.ts → clients/ts/src/messages.ts).
export type {
  CameraKeyframe,
  CapturedMessage,
  ClockMessage,
  LockedMessage,
  SessionErrorMessage as ErrorMessage,
  SessionJoinOptions,
  StarConnection,
  SwipeMessage,
  TransitionMessage,
  WelcomeMessage,
} from '../../../clients/ts/src/messages.js';
export type { OrbView, SessionStateView } from '../../../clients/ts/src/state.js';

// ── client → server ─────────────────────────────────────────────────────────────────────────────

export const MAX_SWIPE_VELOCITY = 20_000;
