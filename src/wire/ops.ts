import { matchMaker } from '@colyseus/core';
import type { PassportWriter } from '../../features/passport/PassportWriter.js';
import type { LiveCounts } from '../../features/leaderboard/boards.js';
import { liveCountsOf } from '../../rooms/coliseum/ColiseumRoom.js';
import { OpsMonitor, sumRooms } from '../../features/ops/OpsMonitor.js';
import { ProcessRegistry } from '../../features/ops/processRegistry.js';
import { promStatsReader } from '../../features/ops/promStats.js';
import { CounterRates } from '../../features/ops/counterRates.js';
import type { LogTail } from '../../features/ops/logTail.js';
import type { OpsSources, Probe, RoomListing } from '../../features/ops/types.js';
import { OpsRepository } from '../../persistence/ops/OpsRepository.js';
import { OpsHistoryStore } from '../../persistence/ops/OpsHistoryStore.js';
import { healthReport, type HealthDeps } from '../http/healthRoutes.js';
import { opsRoutes } from '../http/opsRoutes.js';
import { metricsRoutes } from '../http/metricsRoutes.js';
import type { FeatureParts, WireContext } from './context.js';

/** How long an operator's room call (inspect, dispose, kick) waits for the process holding the room. */
const ROOM_CALL_MS = 2000;

/**
 * The ops console's data: this process's heartbeat on the backplane (every process's row on /ops), live
 * rooms, the passport writer's state, history, the log tail, and Prometheus metrics. Sampling starts
 * with `start()`, after the server listens (the matchmaker's process id is read then).
 */
export function wire(
  ctx: WireContext,
  deps: { writer: PassportWriter; logTail?: LogTail; health: HealthDeps },
): FeatureParts & { ops: OpsMonitor; liveCounts: () => Promise<LiveCounts>; start(): void } {
  const { config, log, metrics } = ctx;
  const prom = promStatsReader(metrics.registry);
  const { sampleMs, historyMinutes, ratesWindowMs } = config.ops;
  // Two snapshots per sample over the window: a summary read between samples finds room too.
  const rates = new CounterRates(metrics.registry, { windowMs: ratesWindowMs, maxSnapshots: Math.ceil((2 * ratesWindowMs) / sampleMs) });
  // With the Redis driver `query` lists every process's rooms and `remoteRoomCall` reaches a room wherever it lives.
  const listed = async (roomId: string) => (await matchMaker.query({ roomId })).length > 0;
  const sources: OpsSources = {
    process: {
      get processId() {
        return matchMaker.processId;
      },
      publicAddress: config.publicAddress ?? null,
      transport: deps.health.transport,
      startedAt: ctx.startedAt,
      role: { rooms: config.roomsEnabled, jobs: config.jobs.enabled },
    },
    summary: async () => ({ ...(await prom()), passport: deps.writer.stats(), rates: await rates.sample(Date.now()) }),
    health: async () => {
      const { body } = await healthReport(deps.health, true);
      return { database: body.database as Probe, redis: body.redis as Probe };
    },
    rooms: async () => (await matchMaker.query({})) as unknown as RoomListing[],
    inspectRoom: async (roomId) => {
      if (!(await listed(roomId))) return null;
      // null: disposed between the query and the call
      return matchMaker.remoteRoomCall(roomId, 'getInspectorView', [], ROOM_CALL_MS).catch(() => null);
    },
    disposeRoom: async (roomId) => {
      if (!(await listed(roomId))) return false;
      // Room.disconnect() closes every client and disposes the room, on whichever process holds it.
      await matchMaker.remoteRoomCall(roomId, 'disconnect', [], ROOM_CALL_MS);
      return true;
    },
    kickClient: async (roomId, sessionId) => {
      if (!(await listed(roomId))) return 'no_room';
      return (await matchMaker.remoteRoomCall(roomId, 'opsKick', [sessionId], ROOM_CALL_MS)) ? 'kicked' : 'no_client';
    },
    localRooms: () => metrics.liveRooms(),
    dia: new OpsRepository(ctx.sql),
    registry: new ProcessRegistry(ctx.backplane),
  };
  const longHistory = new OpsHistoryStore(ctx.sql, config.ops.historyHours);
  const ops = new OpsMonitor(sources, { sampleMs, historyMinutes, log: log.child({ component: 'ops' }), longHistory });
  let started = false;
  return {
    ops,
    // KPI live counts: this process's rooms in memory plus the other processes' heartbeats (at most one sample old) once
    // sampling runs; the cluster's events of the last minute. No matchmaker query: cheap enough for every broadcaster tick.
    liveCounts: async () => {
      const { self, processes } = started ? await ops.overview() : { self: '', processes: [] };
      const rooms = sumRooms([metrics.liveRooms(), ...processes.filter((p) => p.processId !== self).map((p) => p.rooms)]);
      return { ...liveCountsOf(rooms), eventsPerMinute: ops.eventsLastMinute() };
    },
    start: () => {
      ops.start();
      started = true;
      // Stops before the backplane closes and removes this process's heartbeat.
      ctx.life.add('ops', () => ops.stop());
    },
    routes: [
      ...opsRoutes(ops, config.adminToken, log.child({ component: 'ops-audit' }), deps.logTail, longHistory, config.ops),
      ...metricsRoutes(metrics, config.adminToken),
    ],
  };
}
