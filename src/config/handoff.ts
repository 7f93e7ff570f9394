/** Sessions that outlive their process: snapshot and credential lifetimes, the drain's pacing, how fast resumes are taken over. */
import { int, type Env } from './parse.js';

/** @group handoff */
export function handoffConfig(env: Env) {
  return {
    handoff: {
      /** how long a session's snapshot is kept after its last change: a session whose process went away can be restored this long */
      // The resume window (2 h): past it a returning listener gets a new session anyway.
      snapshotTtlSec: int(env, 'SESSION_SNAPSHOT_TTL_SEC', 7200, 60, 7 * 86_400),
      /**
       * life of a resume credential (`welcome.resume`, `resumed.resume`, `moving.resume`); past it the client joins with `lastSessionId` and gets its session
       * back from its row, without the live state
       */
      credentialTtlSec: int(env, 'RESUME_CREDENTIAL_TTL_SEC', 86_400, 60, 30 * 86_400),
      /** sessions a process restores at once when clients resume (after a drain or a crash elsewhere); the rest wait in a queue of `RESUME_QUEUE_MAX` */
      // A restore is ~4 database reads: 16 at once keeps a pool of 10-20 connections busy without starving live sessions.
      resumeConcurrency: int(env, 'RESUME_CONCURRENCY', 16, 1, 10_000),
      /** resumes waiting per process; past it the join is refused `RESUME_BUSY` (HTTP 503 / close 4503) with `retryAfterMs`, which the clients honour */
      resumeQueueMax: int(env, 'RESUME_QUEUE_MAX', 2000, 0, 1_000_000),
      /**
       * a drained client waits a random delay before joining again, spread over this much per session moving at once (up to `HANDOFF_SPREAD_MAX_MS`): they
       * arrive as a ramp, not a burst
       */
      moveSpreadPerSessionMs: int(env, 'HANDOFF_SPREAD_PER_SESSION_MS', 1, 0, 1000),
      /** the longest a drained client is told to wait before joining again (see `HANDOFF_SPREAD_PER_SESSION_MS`) */
      moveSpreadMaxMs: int(env, 'HANDOFF_SPREAD_MAX_MS', 500, 0, 60_000),
      /**
       * with Redis, at most this many sessions are between their `moving` and their `resumed` elsewhere, so a listener waits for one resume, not the whole
       * deploy's wave; 0 moves every session at once. Past half of `SHUTDOWN_TIMEOUT_MS` every session still waiting goes
       */
      movesInFlight: int(env, 'HANDOFF_MOVES_IN_FLIGHT', 32, 0, 100_000),
      /** a moved session not reported resumed within this frees its place; if no arrival was reported at all (a lone process), the rest move at once */
      arrivalWaitMs: int(env, 'HANDOFF_ARRIVAL_WAIT_MS', 2000, 100, 60_000),
    },
  };
}
