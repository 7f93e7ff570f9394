import type { Backplane } from '../../persistence/backplane/Backplane.js';
import type { Registry } from 'prom-client';
import { matchMaker } from '@colyseus/core';
import type { Logger } from '../logger.js';
import type { Sql } from '../../persistence/db.js';
import { OpsRepository } from '../../persistence/ops/OpsRepository.js';
import { healthReport } from '../http/healthRoutes.js';
import { colyseusRoomSources } from './opsRoomSources.js';
import { OpsHistoryStore } from '../../persistence/ops/OpsHistoryStore.js';
import { OpsMonitor, sumRooms } from '../../features/ops/OpsMonitor.js';
import { ProcessRegistry } from '../../features/ops/processRegistry.js';
import { promStatsReader } from '../../features/ops/promStats.js';
import { CounterRates } from '../../features/ops/counterRates.js';
import type { OpsSources, PassportStatsInput, Probe, ProcessRole, RoomTypeCount } from '../../features/ops/types.js';

/** What the wiring already has that the ops panel reads. */
export interface OpsWiring {
  sql: Sql;
  /** The process registry lives on it. */
  backplane: Backplane;
  /** 'uws' | 'ws'. */
  transport: string;
  /** Redis as the process's pings find it (src/http/redisLiveness.ts); the health probes' bound (READY_PROBE_TIMEOUT_MS). */
  liveness?: { readonly down: boolean };
  probeTimeoutMs: number;
  /** Epoch ms the process booted. */
  startedAt: number;
  publicAddress?: string;
  /** What this process runs (ROOMS_ENABLED, JOBS_ENABLED); default both. */
  role?: ProcessRole;
  /** The passport writer's stats (`() => writer.stats()`), when this process has a writer. */
  passportStats?: () => PassportStatsInput;
  /** src/metrics.ts registry: tick p99, patch bytes and leaderboard lag are read from it. */
  metricsRegistry?: Registry;
  /** This process's rooms and clients per type, in memory (src/metrics.ts `liveRooms`). */
  localRooms: () => Record<string, RoomTypeCount>;
  log?: Logger;
  /** The panel's sampling: interval, minutes kept in memory, the rates' window (OPS_MONITOR_SAMPLE_MS, OPS_MONITOR_HISTORY_MINUTES, OPS_RATES_WINDOW_MS). */
  sampling: { sampleMs: number; historyMinutes: number; ratesWindowMs: number };
  /** Hours of one-point-a-minute history kept in Postgres for the long chart (OPS_HISTORY_HOURS). */
  historyHours: number;
}

/**
 * Builds the ops monitor from the wiring's components: Colyseus rooms, the health probes, the DIA
 * repository, a Redis process registry when Redis is configured (Local otherwise), and the numbers
 * from the metrics registry and passport writer. Call `start()` after the server listens (the
 * matchmaker's processId is read lazily) and `stop()` on shutdown, before Redis closes.
 */
export function createOpsMonitor(w: OpsWiring): OpsMonitor & { longHistory: OpsHistoryStore } {
  const prom = w.metricsRegistry ? promStatsReader(w.metricsRegistry) : null;
  const { sampleMs, historyMinutes, ratesWindowMs } = w.sampling;
  // Two snapshots per sample over the window: a summary read between samples finds room too.
  const rates = w.metricsRegistry
    ? new CounterRates(w.metricsRegistry, { windowMs: ratesWindowMs, maxSnapshots: Math.ceil((2 * ratesWindowMs) / sampleMs) })
    : null;
  const sources: OpsSources = {
    process: {
      get processId() {
        return matchMaker.processId;
      },
      publicAddress: w.publicAddress ?? null,
      transport: w.transport,
      startedAt: w.startedAt,
      role: w.role ?? { rooms: true, jobs: true },
    },
    summary: async () => ({
      ...(prom ? await prom() : { tickMsP99: null, patchBytesTotal: null, leaderboardLagMs: null }),
      passport: w.passportStats ? w.passportStats() : null,
      rates: rates ? await rates.sample(Date.now()) : null,
    }),
    health: async () => {
      const { body } = await healthReport({
        sql: w.sql,
        backplane: w.backplane,
        liveness: w.liveness,
        probeTimeoutMs: w.probeTimeoutMs,
        transport: w.transport,
        startedAt: w.startedAt,
      });
      return { database: body.database as Probe, redis: body.redis as Probe };
    },
    ...colyseusRoomSources(),
    localRooms: w.localRooms,
    dia: new OpsRepository(w.sql),
    registry: new ProcessRegistry(w.backplane),
  };
  const longHistory = new OpsHistoryStore(w.sql, w.historyHours);
  return Object.assign(new OpsMonitor(sources, { sampleMs, historyMinutes, log: w.log, longHistory }), { longHistory });
}

/**
 * Rooms and clients per type across the cluster: this process's counted now, every other process's from
 * its last heartbeat (at most one sample old). No matchmaker query: cheap enough for every broadcaster tick.
 */
export async function clusterRoomCounts(monitor: OpsMonitor, local: () => Record<string, RoomTypeCount>): Promise<Record<string, RoomTypeCount>> {
  const { self, processes } = await monitor.overview();
  return sumRooms([local(), ...processes.filter((p) => p.processId !== self).map((p) => p.rooms)]);
}
