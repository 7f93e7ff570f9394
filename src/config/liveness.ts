/** How a process notices it is cut off from its stores: Redis pings, and how long the health checks wait for the database. */
import { bounded, int, type Env } from './parse.js';

export function livenessConfig(env: Env) {
  /** with REDIS_URL, each process pings Redis this often (one at a time), so a partition that raises no error is noticed */
  const redisPingEveryMs = int(env, 'REDIS_PING_INTERVAL_MS', 1000, 100, 60_000);
  /** a ping unanswered this long marks Redis down (`/health/ready` and what needs Redis answer 503) until the next answer */
  const redisTripMs = int(env, 'REDIS_PING_TRIP_MS', 2000, 100, 60_000);
  /** a ping out this long is given up on and another sent (its connection may have been replaced under it); above `REDIS_PING_TRIP_MS` */
  const redisPingStuckMs = int(env, 'REDIS_PING_STUCK_MS', 10_000, 1000, 600_000);
  bounded('REDIS_PING_STUCK_MS', redisPingStuckMs, '>', 'REDIS_PING_TRIP_MS', redisTripMs, 'a ping is given up on only after it tripped the process');
  return {
    liveness: {
      redisPingEveryMs,
      redisTripMs,
      redisPingStuckMs,
      /** `/health` and `/health/ready` wait this long for the database's `SELECT 1` before reporting it down (503) */
      readyProbeTimeoutMs: int(env, 'READY_PROBE_TIMEOUT_MS', 2000, 100, 60_000),
    },
  };
}

export type LivenessConfig = ReturnType<typeof livenessConfig>['liveness'];
