/**
 * Sessions that outlive their process (features/handoff): how long a session's snapshot and its resume
 * credential last, how a draining process spreads its clients' departures, and how fast a process takes
 * resumed sessions over. Each variable has a row in docs/CONFIG.md.
 */
import { int, type Env } from './parse.js';

export interface HandoffConfig {
  /** A session snapshot's life in the store (Redis TTL): a crashed session can be restored this long after its last change. */
  snapshotTtlSec: number;
  /** A resume credential's life; past it a client joins with `lastSessionId` (the row still resumes the session, without its live state). */
  credentialTtlSec: number;
  /** Sessions restored at once per process; more wait in the queue. */
  resumeConcurrency: number;
  /** Resumes waiting per process; past it RESUME_BUSY with `retryAfterMs`. */
  resumeQueueMax: number;
  /** A drained client waits up to this per session moving with it, up to `moveSpreadMaxMs`, before joining again. */
  moveSpreadPerSessionMs: number;
  moveSpreadMaxMs: number;
  /** Sessions a draining process has told to move and not yet heard resumed elsewhere, at most (0: all at once). */
  movesInFlight: number;
  /** A moved session not heard resumed within this frees its place anyway. */
  arrivalWaitMs: number;
}

export function handoffConfig(env: Env): { handoff: HandoffConfig } {
  return {
    handoff: {
      // The seed's resume window (2 h): past it a returning listener gets a new session anyway.
      snapshotTtlSec: int(env, 'SESSION_SNAPSHOT_TTL_SEC', 7200, 60, 7 * 86_400),
      credentialTtlSec: int(env, 'RESUME_CREDENTIAL_TTL_SEC', 86_400, 60, 30 * 86_400),
      // A restore is ~4 database reads: 16 at once keeps a pool of 10-20 connections busy without starving live sessions.
      resumeConcurrency: int(env, 'RESUME_CONCURRENCY', 16, 1, 10_000),
      resumeQueueMax: int(env, 'RESUME_QUEUE_MAX', 2000, 0, 1_000_000),
      // 600 sessions leave over ≤ 0.5 s: the next process sees a ramp, and the listener's gap stays well under 1.5 s.
      moveSpreadPerSessionMs: int(env, 'HANDOFF_SPREAD_PER_SESSION_MS', 1, 0, 1000),
      moveSpreadMaxMs: int(env, 'HANDOFF_SPREAD_MAX_MS', 500, 0, 60_000),
      // Twice a receiving process's RESUME_CONCURRENCY: one receiver stays busy, and a fleet of several is not held back much.
      movesInFlight: int(env, 'HANDOFF_MOVES_IN_FLIGHT', 32, 0, 100_000),
      // A resume on a busy box takes 0.2-1 s; past this the receiver is not answering for it, and the next session goes.
      arrivalWaitMs: int(env, 'HANDOFF_ARRIVAL_WAIT_MS', 2000, 100, 60_000),
    },
  };
}
