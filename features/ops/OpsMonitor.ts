import os from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { round } from '../../systems/numbers.js';
import { sumRates } from './counterRates.js';
import type { HistoryPoint, OpsOverview, OpsSources, PassportHeartbeat, ProcessHeartbeat, ProcessStatsInput, RoomTypeCount } from './types.js';

export interface OpsMonitorOptions {
  /** How often this process samples and publishes its heartbeat (OPS_MONITOR_SAMPLE_MS). */
  sampleMs: number;
  /** Minutes of cluster history kept in memory for the charts (OPS_MONITOR_HISTORY_MINUTES); a longer range reads the minute points. */
  historyMinutes: number;
  /** Where one point a minute goes for the long chart (OPS_HISTORY_HOURS), surviving restarts. */
  longHistory?: { record(processId: string, point: HistoryPoint): Promise<void> };
  log?: { warn(obj: object, msg: string): void };
}

const EMPTY_STATS: ProcessStatsInput = { tickMsP99: null, patchBytesTotal: null, passport: null, leaderboardLagMs: null, rates: null };
const MB = 2 ** 20;
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Rate of a cumulative counter between two samples; null when unknown or reset (process restart). */
export function ratePerSec(previous: number | null | undefined, current: number | null | undefined, dtMs: number): number | null {
  if (previous == null || current == null || dtMs <= 0 || current < previous) return null;
  return round(((current - previous) * 1000) / dtMs, 2);
}

export function sumRooms(rows: ReadonlyArray<Record<string, RoomTypeCount>>): Record<string, RoomTypeCount> {
  const out: Record<string, RoomTypeCount> = {};
  for (const row of rows) {
    for (const [name, c] of Object.entries(row)) {
      const entry = (out[name] ??= { rooms: 0, clients: 0 });
      entry.rooms += c.rooms;
      entry.clients += c.clients;
    }
  }
  return out;
}

/**
 * Samples this process every `sampleMs`, publishes its heartbeat and records a cluster history point; readers get the
 * latest sample, so any number of open panels costs nothing extra.
 */
export class OpsMonitor {
  private readonly historySize: number;
  private readonly now: () => number;
  private readonly lag: IntervalHistogram;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private previous: { at: number; stats: ProcessStatsInput } | null = null;
  private latest: OpsOverview | null = null;
  private readonly points: HistoryPoint[] = [];

  constructor(
    readonly sources: OpsSources,
    readonly options: OpsMonitorOptions,
  ) {
    this.historySize = Math.ceil((options.historyMinutes * 60_000) / options.sampleMs);
    this.now = sources.now ?? Date.now;
    this.lag = monitorEventLoopDelay({ resolution: 10 });
  }

  start(): void {
    if (this.timer) return;
    this.lag.enable();
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.options.sampleMs);
    this.timer.unref();
  }

  /** Stops sampling and withdraws this process's heartbeat. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.lag.disable();
    await this.running;
    await this.sources.registry.remove(this.sources.process.processId).catch(() => undefined);
  }

  /** Takes one sample now (a sample already running is awaited instead of overlapping it). */
  sample(): Promise<void> {
    this.running ??= this.takeSample().finally(() => (this.running = null));
    return this.running;
  }

  /** The latest sample (taking one first if there is none yet). */
  async overview(): Promise<OpsOverview> {
    if (!this.latest) await this.sample();
    return this.latest!;
  }

  /** Events the cluster stored over the last minute (the mean of its per-second rates), 0 before any rate is known. */
  eventsLastMinute(): number {
    const rates = this.history(1).flatMap((p) => (p.eventsPerSec === null ? [] : [p.eventsPerSec]));
    return rates.length ? Math.round((sum(rates) / rates.length) * 60) : 0;
  }

  /** Cluster history, oldest first, covering the last `minutes`. */
  history(minutes = 15): HistoryPoint[] {
    const since = this.now() / 1000 - minutes * 60;
    return this.points.filter((p) => p.t >= since);
  }

  private async takeSample(): Promise<void> {
    const at = this.now();
    const [stats, rooms, health] = await Promise.all([
      this.guard('summary', async () => (await this.sources.summary()) ?? EMPTY_STATS, EMPTY_STATS),
      this.guard('rooms', async () => this.sources.localRooms(), {} as Record<string, RoomTypeCount>),
      this.guard('health', () => this.sources.health(), { database: 'down' as const, redis: 'down' as const }),
    ]);
    const self = this.heartbeat(at, stats, rooms);
    this.previous = { at, stats };

    const registry = this.sources.registry;
    let processes: ProcessHeartbeat[] = [self];
    let registryError: string | null = null;
    try {
      await registry.publish(self, this.options.sampleMs * 5); // live for five samples without a newer one
      processes = await registry.list(at);
      if (!processes.some((p) => p.processId === self.processId)) processes = [...processes, self];
    } catch (err) {
      registryError = (err as Error).message;
      this.options.log?.warn({ err: registryError }, 'ops: process registry unavailable; showing this process only');
    }

    const rates = processes.map((p) => p.passport?.persistedPerSec).filter((r): r is number => r != null);
    const eventsPerSec = rates.length ? round(sum(rates), 2) : null;
    const ccu = sum(processes.map((p) => p.ccu));
    this.latest = {
      at,
      self: self.processId,
      registry: registry.kind,
      health,
      totals: {
        rooms: sumRooms(processes.map((p) => p.rooms)),
        ccu,
        eventsPerSec,
        processes: processes.length,
        rates: sumRates(processes.map((p) => p.rates)),
      },
      processes,
      registryError,
    };
    const point = { t: Math.round(at / 1000), eventsPerSec, ccu };
    this.points.push(point);
    if (this.points.length > this.historySize) this.points.splice(0, this.points.length - this.historySize);
    await this.recordMinute(point);
  }

  private lastMinute = -1;
  /** The first point of each minute goes to the long history; a failed write is logged, the live view goes on. */
  private async recordMinute(point: HistoryPoint): Promise<void> {
    const minute = Math.floor(point.t / 60);
    if (!this.options.longHistory || minute === this.lastMinute) return;
    this.lastMinute = minute;
    await this.options.longHistory
      .record(this.sources.process.processId, point)
      .catch((err: Error) => this.options.log?.warn({ err: err.message }, 'ops: long history write failed'));
  }

  private heartbeat(at: number, stats: ProcessStatsInput, mine: Record<string, RoomTypeCount>): ProcessHeartbeat {
    const { process: identity } = this.sources;
    const dt = this.previous ? at - this.previous.at : 0;
    const lagP99 = this.lag.count > 0 ? round(this.lag.percentile(99) / 1e6, 2) : null;
    this.lag.reset();
    const memory = process.memoryUsage();
    return {
      ...identity,
      pid: process.pid,
      hostname: os.hostname(),
      at,
      uptimeSec: Math.round((at - identity.startedAt) / 1000),
      rssMb: round(memory.rss / MB),
      heapUsedMb: round(memory.heapUsed / MB),
      rooms: mine,
      ccu: sum(Object.values(mine).map((c) => c.clients)),
      tickMsP99: stats.tickMsP99,
      patchBytesPerSec: ratePerSec(this.previous?.stats.patchBytesTotal, stats.patchBytesTotal, dt),
      eventLoopLagMsP99: lagP99,
      passport: stats.passport ? this.passportBlock(stats, dt) : null,
      leaderboardLagMs: stats.leaderboardLagMs,
      rates: stats.rates ?? null,
    };
  }

  private passportBlock(stats: ProcessStatsInput, dt: number): PassportHeartbeat {
    const p = stats.passport!;
    return {
      queueDepth: p.queueDepth,
      maxQueue: p.maxQueue,
      persistedPerSec: ratePerSec(this.previous?.stats.passport?.persisted, p.persisted, dt),
      persistedTotal: p.persisted,
      rejected: p.rejected,
      deadLettered: p.deadLettered,
      flushLatencyMsP50: p.flushLatencyMsP50,
      flushLatencyMsMax: p.flushLatencyMsMax,
      lastError: p.lastError,
      lastErrorAt: p.lastErrorAt,
      retrying: p.retrying,
    };
  }

  private async guard<T>(what: string, work: () => Promise<T> | T, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (err) {
      this.options.log?.warn({ err: (err as Error).message, source: what }, 'ops: a source failed; showing n/a');
      return fallback;
    }
  }
}
