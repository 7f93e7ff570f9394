/**
 * How a process finds out it is cut off from its stores (src/http/redisLiveness.ts, src/http/healthRoutes.ts):
 * how often it pings Redis, how long a ping may go unanswered before the process says it is not ready and
 * refuses what needs Redis, and how long the health checks wait for the database. Each variable has a row
 * in docs/CONFIG.md.
 */
import { ConfigError } from '../errors.js';
import { int, type Env } from './parse.js';

export interface LivenessConfig {
  /** A ping to Redis this often (none while one is out). */
  redisPingEveryMs: number;
  /** A ping unanswered this long trips the process: `/health/ready` 503, matchmaking and sign-ins refused 503 `REDIS_UNAVAILABLE`. */
  redisTripMs: number;
  /** A ping out this long is given up on and another sent (its connection may have been replaced under it). */
  redisPingStuckMs: number;
  /** `/health` and `/health/ready` wait this long for the database's `SELECT 1` (and a Redis ping where the pings above do not run). */
  readyProbeTimeoutMs: number;
}

export function livenessConfig(env: Env): { liveness: LivenessConfig } {
  // One ping a second, each given two: a partition shows within ≈ 3 s; a slow Redis (p99 ≪ 1 s) does not trip it,
  // nor (seen on the fleet testbed with one) an event loop stalled for a second on a box at load 19.
  const redisPingEveryMs = int(env, 'REDIS_PING_INTERVAL_MS', 1000, 100, 60_000);
  const redisTripMs = int(env, 'REDIS_PING_TRIP_MS', 2000, 100, 60_000);
  const redisPingStuckMs = int(env, 'REDIS_PING_STUCK_MS', 10_000, 1000, 600_000);
  if (redisPingStuckMs <= redisTripMs)
    throw new ConfigError(
      'REDIS_PING_STUCK_MS',
      `${redisPingStuckMs} is not above REDIS_PING_TRIP_MS (${redisTripMs}): a ping is given up on only after it tripped the process. Set it above ${redisTripMs}.`,
    );
  return {
    liveness: {
      redisPingEveryMs,
      redisTripMs,
      redisPingStuckMs,
      readyProbeTimeoutMs: int(env, 'READY_PROBE_TIMEOUT_MS', 2000, 100, 60_000),
    },
  };
}
