/**
 * Samples the server's GET /metrics (Bearer ADMIN_TOKEN) every couple of seconds during a run and
 * summarises the steady-state window: server CPU and RSS, event-loop delay, room tick and patch
 * durations, patch bytes per session from the server's own counters, passport events accepted vs
 * persisted and the writer's queue depth, leaderboard update lag.
 */
import { bucketsOf, parsePrometheusText, quantileBetween, valueOf, type Sample } from './promText.js';

export interface Snapshot {
  t: number;
  samples: Sample[];
}

export interface ServerTimelinePoint {
  t: number;
  cpuPercent: number | null;
  rssMb: number | null;
  sessionClients: number | null;
  passportQueueDepth: number | null;
  eventLoopDelayMaxMs: number | null;
}

export interface ServerSummary {
  available: boolean;
  reason?: string;
  cpuPercentAvg?: number | null;
  cpuPercentMax?: number | null;
  rssMbMax?: number | null;
  eventLoopDelayMaxMs?: number | null;
  eventLoopDelayP99MaxMs?: number | null;
  tickMs?: Record<string, { p50: number | null; p99: number | null }>;
  patchMs?: Record<string, { p50: number | null; p99: number | null }>;
  /** From ds_room_sent_bytes_total{room="session",kind="patch"} over the window ÷ average session clients. */
  patchBytesPerSessionPerSec?: number | null;
  /** ds_room_baseline_json_bytes_total over the window ÷ average session clients (PATCH_BASELINE=json servers). */
  baselineJsonBytesPerSessionPerSec?: number | null;
  sessionRooms?: number | null;
  sessionClients?: number | null;
  passport?: {
    acceptedInWindow: number | null;
    persistedInWindow: number | null;
    acceptedTotal: number | null;
    persistedTotal: number | null;
    rejectedTotal: number | null;
    queueDepthMax: number | null;
    queueDepthEnd: number | null;
    flushLatencyP50Ms: number | null;
    flushLatencyMaxMs: number | null;
  };
  leaderboardLagSec?: { p50: number | null; p95: number | null; count: number };
  timeline?: ServerTimelinePoint[];
  /** Scrapes that failed or timed out (the server summary then covers fewer samples). */
  scrapeFailures?: number;
  lastScrapeFailure?: string | null;
}

const KEEP = /^(process_cpu_seconds_total|process_resident_memory_bytes|ds_)/;
const r2 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 100) / 100);

export class ServerSampler {
  readonly snapshots: Snapshot[] = [];
  private timer: NodeJS.Timeout | null = null;
  private failure: string | null = null;
  private failures = 0;
  private lastFailure: string | null = null;
  private inFlight = false;

  constructor(
    private readonly metricsUrl: string,
    private readonly token: string | undefined,
    private readonly everyMs = 2000,
  ) {}

  start(): void {
    if (!this.token) {
      this.failure = 'no --admin-token: server CPU, RSS and passport stats not sampled';
      return;
    }
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.everyMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.token) await this.sample();
  }

  async sample(): Promise<void> {
    if (this.inFlight) return; // a slow scrape must not pile up behind itself
    this.inFlight = true;
    try {
      const res = await fetch(this.metricsUrl, { headers: { authorization: `Bearer ${this.token}` }, signal: AbortSignal.timeout(5000) });
      if (res.status !== 200) {
        this.fail(`GET /metrics answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
        return;
      }
      const samples = parsePrometheusText(await res.text()).filter((s) => KEEP.test(s.name));
      this.snapshots.push({ t: Date.now(), samples });
      this.failure = null;
    } catch (err) {
      this.fail(`GET /metrics failed: ${(err as Error).message}`);
    } finally {
      this.inFlight = false;
    }
  }

  private fail(message: string): void {
    this.failure = message;
    this.lastFailure = message;
    this.failures++;
  }

  summarize(windowStart: number, windowEnd: number): ServerSummary {
    const summary = summarizeSnapshots(this.snapshots, windowStart, windowEnd, this.failure);
    return this.failures ? { ...summary, scrapeFailures: this.failures, lastScrapeFailure: this.lastFailure } : summary;
  }
}

/** Pure summary of snapshots over [windowStart, windowEnd] (epoch ms); exported for tests. */
export function summarizeSnapshots(snapshots: readonly Snapshot[], windowStart: number, windowEnd: number, failure: string | null = null): ServerSummary {
  if (snapshots.length < 2) return { available: false, reason: failure ?? 'fewer than two /metrics samples' };
  const inWindow = snapshots.filter((s) => s.t >= windowStart - 1000 && s.t <= windowEnd + 1000);
  const a = inWindow[0] ?? snapshots[0];
  const b = inWindow[inWindow.length - 1] ?? snapshots[snapshots.length - 1];
  const last = snapshots[snapshots.length - 1];
  const dt = (b.t - a.t) / 1000;
  const v = (s: Snapshot, name: string, labels?: Record<string, string>) => valueOf(s.samples, name, labels);
  const delta = (name: string, labels?: Record<string, string>) => {
    const x = v(a, name, labels);
    const y = v(b, name, labels);
    return x === null || y === null ? null : y - x;
  };

  const timeline: ServerTimelinePoint[] = snapshots.map((s, i) => {
    const prev = snapshots[i - 1];
    const cpu = prev ? ((v(s, 'process_cpu_seconds_total') ?? NaN) - (v(prev, 'process_cpu_seconds_total') ?? NaN)) / ((s.t - prev.t) / 1000) : NaN;
    const rss = v(s, 'process_resident_memory_bytes');
    const loopMax = v(s, 'ds_event_loop_delay_seconds', { quantile: '1' });
    return {
      t: s.t,
      cpuPercent: r2(cpu * 100),
      rssMb: r2(rss === null ? null : rss / 2 ** 20),
      sessionClients: v(s, 'ds_room_clients', { room: 'session' }),
      passportQueueDepth: v(s, 'ds_passport_queue_depth'),
      eventLoopDelayMaxMs: r2(loopMax === null ? null : loopMax * 1000),
    };
  });
  const windowPoints = timeline.filter((p) => p.t > a.t && p.t <= b.t);
  const max = (xs: Array<number | null>) => {
    const ok = xs.filter((x): x is number => x !== null && Number.isFinite(x));
    return ok.length ? Math.max(...ok) : null;
  };

  const roomTypes = new Set(
    b.samples.filter((s) => s.name === 'ds_room_tick_duration_seconds_bucket' || s.name === 'ds_room_patch_duration_seconds_bucket').map((s) => s.labels.room),
  );
  const durations = (name: string) => {
    const out: Record<string, { p50: number | null; p99: number | null }> = {};
    for (const room of roomTypes) {
      const s0 = bucketsOf(a.samples, name, { room });
      const s1 = bucketsOf(b.samples, name, { room });
      if (!s1.size) continue;
      const q = (p: number) => r2((quantileBetween(s0, s1, p) ?? NaN) * 1000);
      out[room] = { p50: q(0.5), p99: q(0.99) };
    }
    return out;
  };

  const patchBytes = delta('ds_room_sent_bytes_total', { room: 'session', kind: 'patch' });
  const baselineBytes = delta('ds_room_baseline_json_bytes_total', { room: 'session' });
  const clientsAvg = (() => {
    const xs = inWindow.map((s) => v(s, 'ds_room_clients', { room: 'session' })).filter((x): x is number => x !== null);
    return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null;
  })();
  const lag0 = bucketsOf(a.samples, 'ds_leaderboard_update_lag_seconds');
  const lag1 = bucketsOf(b.samples, 'ds_leaderboard_update_lag_seconds');
  const ms = (s: number | null) => r2(s === null ? null : s * 1000);

  return {
    available: true,
    cpuPercentAvg: r2(dt > 0 ? ((delta('process_cpu_seconds_total') ?? NaN) / dt) * 100 : null),
    cpuPercentMax: max(windowPoints.map((p) => p.cpuPercent)),
    rssMbMax: max(windowPoints.map((p) => p.rssMb)),
    eventLoopDelayMaxMs: max(windowPoints.map((p) => p.eventLoopDelayMaxMs)),
    eventLoopDelayP99MaxMs: max(inWindow.map((s) => ms(v(s, 'ds_event_loop_delay_seconds', { quantile: '0.99' })))),
    tickMs: durations('ds_room_tick_duration_seconds'),
    patchMs: durations('ds_room_patch_duration_seconds'),
    patchBytesPerSessionPerSec: r2(patchBytes !== null && clientsAvg && dt > 0 ? patchBytes / dt / clientsAvg : null),
    baselineJsonBytesPerSessionPerSec: r2(baselineBytes && clientsAvg && dt > 0 ? baselineBytes / dt / clientsAvg : null),
    sessionRooms: v(b, 'ds_rooms', { room: 'session' }),
    sessionClients: v(b, 'ds_room_clients', { room: 'session' }),
    passport: {
      acceptedInWindow: delta('ds_passport_events_accepted_total'),
      persistedInWindow: delta('ds_passport_events_persisted_total'),
      acceptedTotal: v(last, 'ds_passport_events_accepted_total'),
      persistedTotal: v(last, 'ds_passport_events_persisted_total'),
      rejectedTotal: v(last, 'ds_passport_events_rejected_total'),
      queueDepthMax: max(timeline.map((p) => p.passportQueueDepth)),
      queueDepthEnd: v(last, 'ds_passport_queue_depth'),
      flushLatencyP50Ms: ms(v(last, 'ds_passport_flush_latency_p50_seconds')),
      flushLatencyMaxMs: ms(v(last, 'ds_passport_flush_latency_max_seconds')),
    },
    leaderboardLagSec: {
      p50: r2(quantileBetween(lag0, lag1, 0.5)),
      p95: r2(quantileBetween(lag0, lag1, 0.95)),
      count: (lag1.get(Infinity) ?? 0) - (lag0.get(Infinity) ?? 0),
    },
    timeline,
  };
}
