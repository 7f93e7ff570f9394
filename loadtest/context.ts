/**
 * What the bots of one worker thread share: the plan's time window, counters, histograms, traffic
 * totals, the lag event buffers, and a seeded random source. Times: `performance.now()` for
 * durations inside one thread, {@link epochNow} for anything compared across threads.
 */
import { performance } from 'node:perf_hooks';
import {
  emptyCounters,
  emptyTraffic,
  HISTOGRAMS,
  newHistogram,
  RATE_HISTOGRAMS,
  recordMs,
  type Counters,
  type Histogram,
  type HistogramName,
  type RateHistogramName,
  type Traffic,
} from './stats.js';
import type { LagEvent, Sighting } from './spectatorLag.js';

/** Epoch milliseconds with sub-millisecond resolution; comparable between worker threads. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/**
 * Deterministic PRNG (Mulberry32) so a seed reproduces the same journeys. The harness is a client and
 * shares no code with the server, so it keeps its own copy (same algorithm as systems/constellation/constellation.ts).
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BotPlan {
  index: number;
  kind: 'session' | 'spectator';
  /** Epoch ms. */
  startAt: number;
  /** Spectator: records leaderboard sightings for the lag measurement. */
  probe?: boolean;
  /** Session: drops its connection at this epoch ms and reconnects with its token. */
  dropAt?: number;
  /** Session: joins and sends nothing (orbs orbit; measures the idle patch stream). */
  idle?: boolean;
  /** Session: a raw-WebSocket bot that counts frames but measures no latency (loadtest/lightSessionBot.ts). */
  light?: boolean;
  /** Session: sign in with this device secret (a returning user) instead of a fresh one. */
  deviceSecret?: string;
}

export interface WorkerInit {
  workerId: number;
  runId: string;
  url: string;
  /** Every server process of the run; a bot uses urls[index mod length]. */
  urls: string[];
  patchHz: number;
  leaderboards?: string[];
  window: string;
  seed: number;
  joinMethod?: 'joinOrCreate' | 'create';
}

export interface WorkerStart {
  bots: BotPlan[];
  /** Epoch ms bounds of the steady-state measurement window. */
  windowStart: number;
  windowEnd: number;
  graceMs: number;
}

export class WorkerContext {
  readonly counters: Counters = emptyCounters();
  readonly histograms = new Map<HistogramName | RateHistogramName, Histogram>();
  readonly traffic: { session: Traffic; idleSession: Traffic; spectator: Traffic } = {
    session: emptyTraffic(),
    idleSession: emptyTraffic(),
    spectator: emptyTraffic(),
  };
  readonly random: () => number;
  lagEvents: LagEvent[] = [];
  sightings: Sighting[] = [];
  stopping = false;
  coliseumUnavailable: string | null = null;
  /** Measurements over 1 s with their context (at most 20 per worker), to explain tails. */
  readonly outliers: Array<Record<string, unknown>> = [];
  private measuringNow = false;

  constructor(
    readonly init: WorkerInit,
    readonly start: WorkerStart,
  ) {
    this.random = prng(init.seed + init.workerId * 7919);
    for (const name of [...HISTOGRAMS, ...RATE_HISTOGRAMS]) this.histograms.set(name, newHistogram());
  }

  /** True inside the steady-state window; updated by the worker's timers (cheap on hot paths). */
  get measuring(): boolean {
    return this.measuringNow;
  }

  set measuring(v: boolean) {
    this.measuringNow = v;
  }

  /** The server a bot signs in and matchmakes at: bots are spread over the processes by index. */
  urlFor(plan: BotPlan): string {
    const urls = this.init.urls.length ? this.init.urls : [this.init.url];
    return urls[plan.index % urls.length];
  }

  outlier(entry: Record<string, unknown>): void {
    if (this.outliers.length < 20) this.outliers.push({ ...entry, at: new Date().toISOString() });
  }

  get patchPeriodMs(): number {
    return 1000 / this.init.patchHz;
  }

  record(name: HistogramName, ms: number): void {
    recordMs(this.histograms.get(name)!, ms);
  }

  /** A per-bot rate, stored ×1000 so the integer histogram keeps three decimals. */
  recordRate(name: RateHistogramName, perSec: number): void {
    if (Number.isFinite(perSec) && perSec >= 0) this.histograms.get(name)!.recordValue(Math.round(perSec * 1000));
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.random();
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }
}
