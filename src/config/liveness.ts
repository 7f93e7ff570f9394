/**
 * How a process finds out it is cut off from its stores (src/http/redisLiveness.ts, src/http/healthRoutes.ts):
 * how often it pings Redis, how long a ping may go unanswered before the process says it is not ready and
 * refuses what needs Redis, and how long the health checks wait for the database. Each variable has a row
 * in docs/CONFIG.md.
 */
import { ConfigError } from '../errors.js';
import { int, type Env } from './parse.js';

export function livenessConfig(env: Env) {
  /**
   * with REDIS_URL, each process pings its Redis this often (no second ping while one is out), so a partition that raises no error (packets dropped, commands
   * waiting) is noticed
   */
  // One ping a second, each given two: a partition shows within ≈ 3 s; a slow Redis (p99 ≪ 1 s) does not trip it,
  // nor (seen on the fleet testbed with one) an event loop stalled for a second on a box at load 19.
  const redisPingEveryMs = int(env, 'REDIS_PING_INTERVAL_MS', 1000, 100, 60_000);
  /**
   * a ping unanswered this long marks Redis down: `/health/ready` answers 503, matchmaking and sign-ins answer 503 `REDIS_UNAVAILABLE` at once (the nginx
   * entry passes them to another process), and those already waiting on Redis are answered so too; the next answer clears it
   */
  const redisTripMs = int(env, 'REDIS_PING_TRIP_MS', 2000, 100, 60_000);
  /** a ping out this long is given up on and another sent (its connection may have been replaced under it); above `REDIS_PING_TRIP_MS` */
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
      /**
       * `/health` and `/health/ready` wait this long for the database's `SELECT 1` before reporting it down (503); Redis is reported as the pings above last
       * found it
       */
      readyProbeTimeoutMs: int(env, 'READY_PROBE_TIMEOUT_MS', 2000, 100, 60_000),
    },
  };
}

export type LivenessConfig = ReturnType<typeof livenessConfig>['liveness'];
