/**
 * `--soak`: a steady population of listeners that join, play, drop and reconnect, leave and come back for
 * N minutes against spawned servers, sampled every few seconds (loadtest/soakProbe.ts), then drained and
 * judged (loadtest/soakVerdict.ts). Idle samples before the load give the drained levels to return to.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { emptyCounters, mergeCounters, type Counters } from './stats.js';
import { SoakProbe, type SoakSample } from './soakProbe.js';
import { judgeSoak, type SoakVerdict } from './soakVerdict.js';
import type { WorkerInit } from './context.js';
import type { SoakSlot, SoakWorkerMessage, SoakWorkerStart } from './soakWorker.js';

export interface SoakOptions {
  minutes: number;
  sessions: number;
  sampleSec: number;
  /** Seconds from the start of the load (ramp included) before the steady phase's baseline. */
  warmupSec: number;
  rampSec: number;
  /** A listener's life, seconds [min, max]. */
  lifeSec: [number, number];
  /** Chance that a life includes one drop + reconnect. */
  dropChance: number;
  workers: number;
  seed: number;
  quiet: boolean;
}

export interface SoakServer {
  url: string;
  adminToken: string;
  databaseUrl: string;
}

export interface SoakResult {
  label: string;
  startedAt: string;
  options: SoakOptions;
  machine: { cores: number; model: string; loadAvg1mAtStart: number; loadAvg1mAtEnd: number };
  lives: number;
  counters: Counters;
  samples: SoakSample[];
  verdict: SoakVerdict;
  /** The last error of each probe part that failed at least once. */
  probeErrors: Record<string, string>;
}

const DRAIN_TIMEOUT_MS = 90_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Slots spread over workers and the ramp; each slot alternates between two returning users. */
export function planSlots(sessions: number, workers: number, rampSec: number, t0: number): SoakSlot[][] {
  const out: SoakSlot[][] = Array.from({ length: workers }, () => []);
  for (let i = 0; i < sessions; i++) {
    const secrets = [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')];
    out[i % workers].push({ index: i, secrets, startAt: t0 + (sessions > 1 ? (rampSec * 1000 * i) / sessions : 0) });
  }
  return out;
}

class SoakWorkers {
  readonly counters = new Map<number, { connected: number; lives: number; counters: Counters }>();
  private readonly workers: Worker[] = [];
  private readonly drained = new Set<number>();
  private readonly readySet = new Set<number>();
  readonly errors: string[] = [];

  constructor(count: number, init: Omit<WorkerInit, 'workerId'>) {
    for (let w = 0; w < count; w++) {
      const worker = new Worker(new URL('./soakWorkerBoot.mjs', import.meta.url), { workerData: { ...init, workerId: w } satisfies WorkerInit });
      worker.on('message', (msg: SoakWorkerMessage) => {
        if (msg.type === 'ready') this.readySet.add(w);
        else if (msg.type === 'progress') this.counters.set(msg.workerId, msg);
        else if (msg.type === 'drained') this.drained.add(msg.workerId);
      });
      worker.on('error', (err) => this.errors.push(`worker ${w}: ${err.stack ?? err.message}`));
      this.workers.push(worker);
    }
  }

  async ready(deadline: number): Promise<void> {
    while (this.readySet.size < this.workers.length && Date.now() < deadline && !this.errors.length) await sleep(100);
    if (this.readySet.size < this.workers.length) throw new Error(`soak workers did not start: ${this.errors.join('; ') || 'timeout'}`);
  }

  start(plans: SoakSlot[][], start: Omit<SoakWorkerStart, 'slots'>): void {
    this.workers.forEach((w, i) => w.postMessage({ type: 'start', start: { ...start, slots: plans[i] } }));
  }

  get population(): number {
    return [...this.counters.values()].reduce((n, c) => n + c.connected, 0);
  }

  get lives(): number {
    return [...this.counters.values()].reduce((n, c) => n + c.lives, 0);
  }

  mergedCounters(): Counters {
    const all = emptyCounters();
    for (const c of this.counters.values()) mergeCounters(all, c.counters);
    return all;
  }

  /** Asks every worker to drain; resolves when all have, or at the deadline. */
  async drain(deadline: number): Promise<boolean> {
    for (const w of this.workers) w.postMessage({ type: 'drain' });
    while (this.drained.size < this.workers.length && Date.now() < deadline && !this.errors.length) await sleep(200);
    return this.drained.size === this.workers.length;
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export async function runSoak(
  o: SoakOptions,
  servers: readonly SoakServer[],
  redisUrl: string | undefined,
  adminDatabaseUrl: string,
  label: string,
  log: (line: string) => void,
): Promise<SoakResult> {
  const startedAt = new Date().toISOString();
  const loadAvg1mAtStart = Math.round(os.loadavg()[0] * 100) / 100;
  const databaseName = new URL(servers[0].databaseUrl).pathname.slice(1);
  const probe = new SoakProbe(
    servers.map((s) => ({ url: s.url, adminToken: s.adminToken })),
    redisUrl,
    adminDatabaseUrl,
    databaseName,
  );
  const samples: SoakSample[] = [];
  const t0 = Date.now();
  const take = async (phase: SoakSample['phase'], population: number) => {
    const s = await probe.sample(Math.round((Date.now() - t0) / 100) / 10, phase, population);
    samples.push(s);
    if (!o.quiet)
      log(
        `[${label}] t ${s.t}s ${phase}: population ${population}, session rooms ${s.sessionRooms ?? '–'}, RSS ${s.rssMb ?? '–'} MB, heap ${s.heapUsedMb ?? '–'} MB (after GC ${s.heapAfterGcMb ?? '–'}), handles ${s.handles ?? '–'}, timers ${s.timers ?? '–'}, Redis keys ${s.redisKeys ?? '–'} channels ${s.redisChannels ?? '–'}, PG ${s.pgConnections ?? '–'}`,
      );
    return s;
  };

  const workers = new SoakWorkers(Math.max(1, Math.min(o.workers, o.sessions)), {
    runId: randomBytes(4).toString('hex'),
    url: servers[0].url,
    urls: servers.map((s) => s.url),
    patchHz: 20,
    window: 'all',
    seed: o.seed,
    joinMethod: 'create',
  });
  try {
    const idle = await take('idle', 0);
    await sleep(1000);
    await take('idle', 0);
    await workers.ready(Date.now() + 30_000);
    const loadStart = Date.now() + 300;
    const churnEnd = loadStart + o.minutes * 60_000;
    workers.start(planSlots(o.sessions, Math.max(1, Math.min(o.workers, o.sessions)), o.rampSec, loadStart), {
      lifeMs: [o.lifeSec[0] * 1000, o.lifeSec[1] * 1000],
      pauseMs: [500, 3000],
      dropChance: o.dropChance,
    });
    const phaseAt = (now: number): SoakSample['phase'] =>
      now < loadStart + o.rampSec * 1000 ? 'ramp' : now < loadStart + o.warmupSec * 1000 ? 'warmup' : 'steady';
    for (let next = loadStart + o.sampleSec * 1000; next <= churnEnd && !workers.errors.length; next += o.sampleSec * 1000) {
      await sleep(next - Date.now());
      await take(phaseAt(Date.now()), workers.population);
    }
    if (workers.errors.length) throw new Error(`soak worker failed: ${workers.errors.join('; ')}`);
    log(`[${label}] draining: every listener leaves`);
    const counters = workers.mergedCounters();
    const lives = workers.lives;
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    await workers.drain(deadline);
    // Seats of listeners dropped at the end are held for the reconnection window, idle pooled connections
    // close after 10–30 s, and the last sockets and their timers close a few seconds after their rooms: wait
    // for all of them (bounded by the deadline) before the drained samples. What has not returned by then fails.
    let settled = false;
    const back = (value: number | null, idleValue: number | null, slack: number) => value === null || value <= (idleValue ?? 0) + slack * servers.length;
    while (!settled && Date.now() < deadline) {
      await sleep(o.sampleSec * 1000);
      const s = await take('drain', workers.population);
      settled =
        s.sessionRooms !== null &&
        s.sessionRooms <= (idle.sessionRooms ?? 0) &&
        (s.sessionClients ?? 0) === 0 &&
        back(s.pgConnections, idle.pgConnections, 2) &&
        back(s.handles, idle.handles, 3) &&
        back(s.timers, idle.timers, 3);
    }
    await sleep(2000);
    await take('drain', workers.population);
    const verdict = judgeSoak(samples, servers.length);
    return {
      label,
      startedAt,
      options: o,
      machine: {
        cores: os.availableParallelism(),
        model: os.cpus()[0]?.model ?? 'unknown',
        loadAvg1mAtStart,
        loadAvg1mAtEnd: Math.round(os.loadavg()[0] * 100) / 100,
      },
      lives,
      counters,
      samples,
      verdict,
      probeErrors: Object.fromEntries(probe.errors),
    };
  } finally {
    await workers.terminate();
    await probe.close();
  }
}
