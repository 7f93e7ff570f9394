import type { PassportWriter } from '../../features/passport/PassportWriter.js';
import type { LiveCounts } from '../../features/leaderboard/boards.js';
import { liveCountsOf } from '../../rooms/coliseum/ColiseumRoom.js';
import { clusterRoomCounts, createOpsMonitor } from './opsMonitor.js';
import type { OpsMonitor } from '../../features/ops/OpsMonitor.js';
import type { LogTail } from '../../features/ops/logTail.js';
import { opsRoutes } from '../http/opsRoutes.js';
import { metricsRoutes } from '../http/metricsRoutes.js';
import type { FeatureParts, WireContext } from './context.js';

/**
 * The ops console's data: this process's heartbeat on the backplane (every process's row on /ops), live
 * rooms, the passport writer's state, history, the log tail, and Prometheus metrics. Sampling starts
 * with `start()`, after the server listens (the matchmaker's process id is read then).
 */
export function wire(
  ctx: WireContext,
  deps: { writer: PassportWriter; logTail?: LogTail; transport: string; liveness: { readonly down: boolean } },
): FeatureParts & { ops: OpsMonitor; liveCounts: () => Promise<LiveCounts>; start(): void } {
  const { config, log, metrics } = ctx;
  const ops = createOpsMonitor({
    sql: ctx.sql,
    backplane: ctx.backplane,
    transport: deps.transport,
    liveness: deps.liveness,
    probeTimeoutMs: config.liveness.readyProbeTimeoutMs,
    startedAt: ctx.startedAt,
    publicAddress: config.publicAddress,
    role: { rooms: config.roomsEnabled, jobs: config.jobs.enabled },
    log: log.child({ component: 'ops' }),
    passportStats: () => deps.writer.stats(),
    metricsRegistry: metrics.registry,
    localRooms: () => metrics.liveRooms(),
    historyHours: config.opsHistoryHours,
    sampling: config.opsMonitor,
  });
  let started = false;
  return {
    ops,
    // KPI live counts: this process's rooms in memory plus the other processes' heartbeats once sampling runs; the cluster's events of the last minute.
    liveCounts: async () => ({
      ...liveCountsOf(started ? await clusterRoomCounts(ops, metrics.liveRooms) : metrics.liveRooms()),
      eventsPerMinute: ops.eventsLastMinute(),
    }),
    start: () => {
      ops.start();
      started = true;
      // Stops before the backplane closes and removes this process's heartbeat.
      ctx.life.add('ops', () => ops.stop());
    },
    routes: [
      ...opsRoutes(ops, config.adminToken, log.child({ component: 'ops-audit' }), deps.logTail, ops.longHistory, {
        activityWindowSec: config.opsActivityWindowSec,
      }),
      ...metricsRoutes(metrics, config.adminToken),
    ],
  };
}
