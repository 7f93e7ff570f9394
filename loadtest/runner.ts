/**
 * Runs one load test against one server: plans the bots, starts the worker threads, samples the
 * server's /metrics, and aggregates the workers' reports into a {@link RunResult}. Every run ends on
 * its own: ramp + duration + grace, cut off at the hard timeout if a worker hangs.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { hardTimeoutSec, type LoadTestOptions } from './args.js';
import { epochNow, prng, type BotPlan, type WorkerInit } from './context.js';
import { ServerSampler, type ServerSummary } from './serverSampler.js';
import { RedisSampler, type RedisSummary } from './redisSampler.js';
import { PostgresSampler, type PostgresSummary } from './postgresSampler.js';
import { computeSpectatorLag, type LagEvent, type Sighting, type SpectatorLagResult } from './spectatorLag.js';
import { summarizeHandoff, type HandoffSummary } from './handoff.js';
import {
  addTraffic,
  emptyCounters,
  emptyTraffic,
  HISTOGRAMS,
  mergeCounters,
  mergeHistograms,
  perBotRates,
  RATE_HISTOGRAMS,
  summarize,
  type Counters,
  type LatencySummary,
  type Traffic,
} from './stats.js';
import type { WorkerMessage, WorkerProgress, WorkerReport } from './worker.js';

export interface RunResult {
  label: string;
  url: string;
  startedAt: string;
  options: {
    sessions: number;
    spectators: number;
    durationSec: number;
    rampSec: number;
    graceSec: number;
    workers: number;
    patchHz: number;
    dropFraction: number;
    idleFraction: number;
    measureFraction: number;
    joinMethod: string;
    seed: number;
  };
  /** Session bots by kind: measured (SDK, latencies) and light (raw WebSocket, frames and bytes only). */
  bots: { measured: number; light: number };
  timedOut: boolean;
  coliseum: string;
  counters: Counters;
  /** Moves (drain) and crash resumes as the bots saw them: loadtest/handoff.ts HandoffSummary. */
  handoff: HandoffSummary;
  latencyMs: Record<string, LatencySummary>;
  traffic: {
    session: Traffic & { perBot: ReturnType<typeof perBotRates> };
    idleSession: Traffic & { perBot: ReturnType<typeof perBotRates> };
    spectator: Traffic & { perBot: ReturnType<typeof perBotRates> };
  };
  /** Distribution across bots of each bot's own average rate (bytes/s). */
  perBotRateDistribution: Record<string, LatencySummary>;
  spectatorLag: SpectatorLagResult;
  generator: {
    workers: number;
    processCpuCoresAvg: number | null;
    workerEventLoopUtilization: number[];
    workerThreadCpuMs: Array<number | null>;
    saturated: boolean;
  };
  /** The server, or with several processes their sum (CPU, clients, passport) and worst case (latencies, RSS). */
  server: ServerSummary;
  /** Each process's own summary (one entry for a single server). */
  servers: ServerSummary[];
  /** Redis over the window (with --redis-url or a spawned server's REDIS_URL). */
  redis: RedisSummary;
  /** Transactions in the server's database over the window (spawned servers, or `statementsDatabaseUrl`). */
  postgres: PostgresSummary;
  /** The whole machine during the window (Linux /proc/stat): other processes compete for the same cores. */
  machine: { cores: number; model: string; loadAvg1mAtStart: number; busyCoresAvg: number | null; otherProcessesCoresAvg: number | null };
  /** Measurements over 1 s with the bot's view at the time (first 20 per worker). */
  outliers: Array<Record<string, unknown>>;
}

/** Spreads sessions and spectators evenly over the ramp and the workers; picks lag probes and drops. */
export function planBots(
  o: Pick<LoadTestOptions, 'sessions' | 'spectators' | 'rampSec' | 'durationSec' | 'workers' | 'dropFraction' | 'lagProbesPerWorker' | 'seed'> & {
    idleFraction?: number;
    measureFraction?: number;
  },
  t0: number,
): BotPlan[][] {
  const total = o.sessions + o.spectators;
  const random = prng(o.seed);
  const perWorker: BotPlan[][] = Array.from({ length: o.workers }, () => []);
  const probes = new Array<number>(o.workers).fill(0);
  const windowStart = t0 + o.rampSec * 1000;
  for (let i = 0; i < total; i++) {
    const spectator = Math.floor(((i + 1) * o.spectators) / total) > Math.floor((i * o.spectators) / total);
    const w = i % o.workers;
    const plan: BotPlan = { index: i, kind: spectator ? 'spectator' : 'session', startAt: t0 + (total > 1 ? (o.rampSec * 1000 * i) / total : 0) };
    if (spectator && probes[w] < o.lagProbesPerWorker) {
      plan.probe = true;
      probes[w]++;
    }
    if (!spectator && o.idleFraction && random() < o.idleFraction) plan.idle = true;
    // Measured (SDK) bots: the planned fraction; only they drop and reconnect.
    const fraction = o.measureFraction ?? 1;
    if (!spectator && fraction < 1 && random() >= fraction) plan.light = true;
    else if (!spectator && !plan.idle && random() < o.dropFraction) plan.dropAt = windowStart + random() * o.durationSec * 800;
    perWorker[w].push(plan);
  }
  return perWorker;
}

/** Busy and total jiffies of all CPUs since boot, or null off Linux. */
export function readProcStat(text?: string): { busy: number; total: number } | null {
  try {
    const line = (text ?? fs.readFileSync('/proc/stat', 'utf8')).split('\n').find((l) => l.startsWith('cpu '));
    if (!line) return null;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.slice(0, 8).reduce((s, x) => s + x, 0); // user nice system idle iowait irq softirq steal
    return { busy: total - v[3] - v[4], total };
  } catch {
    return null;
  }
}

/** Sums worker reports into one result body (everything but server and lag). */
export function aggregateReports(reports: readonly WorkerReport[]): {
  counters: Counters;
  latencyMs: Record<string, LatencySummary>;
  perBotRateDistribution: Record<string, LatencySummary>;
  traffic: { session: Traffic; idleSession: Traffic; spectator: Traffic };
  coliseum: string | null;
} {
  const counters = emptyCounters();
  const traffic = { session: emptyTraffic(), idleSession: emptyTraffic(), spectator: emptyTraffic() };
  for (const r of reports) {
    mergeCounters(counters, r.counters);
    addTraffic(traffic.session, r.traffic.session);
    if (r.traffic.idleSession) addTraffic(traffic.idleSession, r.traffic.idleSession);
    addTraffic(traffic.spectator, r.traffic.spectator);
  }
  const latencyMs: Record<string, LatencySummary> = {};
  for (const name of HISTOGRAMS) latencyMs[name] = summarize(mergeHistograms(reports.map((r) => r.histograms[name])));
  const perBotRateDistribution: Record<string, LatencySummary> = {};
  for (const name of RATE_HISTOGRAMS) perBotRateDistribution[name] = summarize(mergeHistograms(reports.map((r) => r.histograms[name])));
  return { counters, latencyMs, perBotRateDistribution, traffic, coliseum: reports.find((r) => r.coliseumUnavailable)?.coliseumUnavailable ?? null };
}

export async function runLoad(o: LoadTestOptions, label: string, log: (line: string) => void): Promise<RunResult> {
  const runId = randomBytes(4).toString('hex');
  const startedAt = new Date().toISOString();
  const workers: Worker[] = [];
  const finals = new Map<number, WorkerReport>();
  const left = new Set<number>();
  const progress = new Map<number, WorkerProgress>();
  const lagEvents: LagEvent[] = [];
  const sightings: Sighting[] = [];
  const errors: string[] = [];
  const ready = new Set<number>();
  let onChange: () => void = () => undefined;

  for (let w = 0; w < o.workers; w++) {
    const init: WorkerInit = {
      workerId: w,
      runId,
      url: o.url,
      urls: o.urls ?? [o.url],
      patchHz: o.patchHz,
      leaderboards: o.leaderboards,
      window: o.window,
      seed: o.seed,
      joinMethod: o.joinMethod,
    };
    const worker = new Worker(new URL('./workerBoot.mjs', import.meta.url), { workerData: init });
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'progress') progress.set(msg.workerId, msg);
      else if (msg.type === 'lag') {
        for (const e of msg.events) lagEvents.push(e);
        for (const s of msg.sightings) sightings.push(s);
      } else if (msg.type === 'final') finals.set(msg.report.workerId, msg.report);
      else if (msg.type === 'left') left.add(w);
      else if (msg.type === 'ready') ready.add(w);
      onChange();
    });
    worker.on('error', (err) => {
      errors.push(`worker ${w}: ${err.stack ?? err.message}`);
      onChange();
    });
    workers.push(worker);
  }
  const until = (cond: () => boolean, deadline: number) =>
    new Promise<boolean>((resolve) => {
      const check = () => {
        if (cond()) return resolve(true);
        if (Date.now() >= deadline || errors.length) return resolve(cond());
      };
      onChange = check;
      const timer = setInterval(() => {
        check();
        if (cond() || Date.now() >= deadline || errors.length) clearInterval(timer);
      }, 200);
      check();
    });

  try {
    if (!(await until(() => ready.size === o.workers, Date.now() + 30_000))) throw new Error(`workers did not start: ${errors.join('; ') || 'timeout'}`);
    const t0 = epochNow() + 300;
    const windowStart = t0 + o.rampSec * 1000;
    const windowEnd = windowStart + o.durationSec * 1000;
    const plans = planBots(o, t0);
    const counted = plans.flat();
    const plannedSessions = counted.filter((b) => b.kind === 'session');
    workers.forEach((worker, w) => worker.postMessage({ type: 'start', start: { bots: plans[w], windowStart, windowEnd, graceMs: o.graceSec * 1000 } }));

    const samplers = (o.urls ?? [o.url]).map((url) => new ServerSampler(`${url.replace(/^ws/, 'http')}/metrics`, o.adminToken));
    for (const sampler of samplers) sampler.start();
    const redisSampler = o.redisUrl ? new RedisSampler(o.redisUrl) : null;
    let redisReads: Promise<unknown> = Promise.resolve();
    const pgSampler = o.statementsDatabaseUrl ? new PostgresSampler(o.statementsDatabaseUrl) : null;
    let pgReads: Promise<unknown> = Promise.resolve();
    let cpu0: NodeJS.CpuUsage | null = null;
    let cpuCores: number | null = null;
    let stat0: ReturnType<typeof readProcStat> = null;
    let machineCores: number | null = null;
    const cores = os.availableParallelism();
    const loadAvg1mAtStart = Math.round(os.loadavg()[0] * 100) / 100;
    const cpuStart = setTimeout(
      () => {
        cpu0 = process.cpuUsage();
        stat0 = readProcStat();
        if (redisSampler) redisReads = redisSampler.markStart();
        if (pgSampler) pgReads = pgSampler.markStart();
      },
      Math.max(0, windowStart - epochNow()),
    );
    const cpuEnd = setTimeout(
      () => {
        if (cpu0) {
          const d = process.cpuUsage(cpu0);
          cpuCores = (d.user + d.system) / 1000 / (windowEnd - windowStart);
        }
        const stat1 = readProcStat();
        if (stat0 && stat1 && stat1.total > stat0.total) machineCores = ((stat1.busy - stat0.busy) / (stat1.total - stat0.total)) * cores;
        if (redisSampler) redisReads = redisReads.then(() => redisSampler.markEnd());
        if (pgSampler) pgReads = pgReads.then(() => pgSampler.markEnd());
      },
      Math.max(0, windowEnd - epochNow()),
    );
    const ticker = o.quiet ? null : setInterval(() => log(progressLine(label, progress, windowStart, windowEnd)), 5000);

    const hardDeadline = Date.now() + hardTimeoutSec(o) * 1000;
    const complete = await until(() => finals.size === o.workers, hardDeadline);
    if (ticker) clearInterval(ticker);
    clearTimeout(cpuStart);
    clearTimeout(cpuEnd);
    await Promise.all(samplers.map((sampler) => sampler.stop()));
    await redisReads;
    await redisSampler?.close();
    await pgReads;
    // Let bots leave (bounded) so the server is idle before the next run; the numbers are already in.
    await until(() => left.size === o.workers, Date.now() + 15_000);
    if (errors.length) log(`worker errors:\n${errors.join('\n')}`);

    const reports = [...finals.values()];
    const perProcess = samplers.map((sampler) => sampler.summarize(windowStart, windowEnd));
    const serverSummary = perProcess.length === 1 ? perProcess[0] : combineServers(perProcess);
    const agg = aggregateReports(reports);
    agg.counters.sessions.planned = plannedSessions.length;
    agg.counters.spectators.planned = counted.length - plannedSessions.length;
    agg.counters.reconnects.planned = plannedSessions.filter((b) => b.dropAt !== undefined).length;
    const elu = reports.map((r) => Math.round(r.eventLoopUtilization * 100) / 100);
    return {
      label,
      url: o.url,
      startedAt,
      options: {
        sessions: o.sessions,
        spectators: o.spectators,
        durationSec: o.durationSec,
        rampSec: o.rampSec,
        graceSec: o.graceSec,
        workers: o.workers,
        patchHz: o.patchHz,
        dropFraction: o.dropFraction,
        idleFraction: o.idleFraction,
        measureFraction: o.measureFraction,
        joinMethod: o.joinMethod,
        seed: o.seed,
      },
      bots: { measured: plannedSessions.filter((b) => !b.light).length, light: plannedSessions.filter((b) => b.light).length },
      timedOut: !complete,
      coliseum: o.spectators === 0 ? 'not requested' : (agg.coliseum ?? 'available'),
      counters: agg.counters,
      handoff: summarizeHandoff(agg.counters.handoff, agg.latencyMs),
      latencyMs: agg.latencyMs,
      traffic: {
        session: { ...agg.traffic.session, perBot: perBotRates(agg.traffic.session) },
        idleSession: { ...agg.traffic.idleSession, perBot: perBotRates(agg.traffic.idleSession) },
        spectator: { ...agg.traffic.spectator, perBot: perBotRates(agg.traffic.spectator) },
      },
      perBotRateDistribution: agg.perBotRateDistribution,
      spectatorLag: computeSpectatorLag(lagEvents, sightings),
      generator: {
        workers: o.workers,
        processCpuCoresAvg: cpuCores === null ? null : Math.round((cpuCores as number) * 100) / 100,
        workerEventLoopUtilization: elu,
        workerThreadCpuMs: reports.map((r) => r.threadCpuMs),
        saturated: elu.some((u) => u > 0.9),
      },
      server: serverSummary,
      servers: perProcess,
      redis: redisSampler ? redisSampler.summarize(o.durationSec, agg.counters.sessions.connected) : { available: false, reason: 'no --redis-url' },
      postgres: pgSampler
        ? pgSampler.summarize(o.durationSec, plannedSessions.filter((b) => !b.idle).length)
        : { available: false, reason: 'not a spawned server' },
      outliers: reports.flatMap((r) => r.outliers ?? []),
      machine: machineSummary(cores, loadAvg1mAtStart, machineCores, cpuCores, serverSummary.cpuPercentAvg ?? null),
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Several processes as one server: CPU, clients, rooms and passport counts add up; maxima take the worst. */
export function combineServers(parts: readonly ServerSummary[]): ServerSummary {
  const ok = parts.filter((p) => p.available);
  if (ok.length < parts.length)
    return {
      available: false,
      reason: parts
        .map((p, i) => (p.available ? null : `process ${i + 1}: ${p.reason}`))
        .filter(Boolean)
        .join('; '),
    };
  const sum = (f: (p: ServerSummary) => number | null | undefined) =>
    ok.reduce<number | null>((acc, p) => (f(p) == null || acc === null ? null : acc + (f(p) as number)), 0);
  const max = (f: (p: ServerSummary) => number | null | undefined) =>
    ok.reduce<number | null>((acc, p) => (f(p) == null ? acc : Math.max(acc ?? -Infinity, f(p) as number)), null);
  const first = ok[0];
  return {
    ...first,
    cpuPercentAvg: sum((p) => p.cpuPercentAvg),
    cpuPercentMax: sum((p) => p.cpuPercentMax),
    rssMbMax: sum((p) => p.rssMbMax),
    eventLoopDelayMaxMs: max((p) => p.eventLoopDelayMaxMs),
    eventLoopDelayP99MaxMs: max((p) => p.eventLoopDelayP99MaxMs),
    sessionRooms: sum((p) => p.sessionRooms),
    sessionClients: sum((p) => p.sessionClients),
    passport: first.passport && {
      acceptedInWindow: sum((p) => p.passport?.acceptedInWindow),
      persistedInWindow: sum((p) => p.passport?.persistedInWindow),
      acceptedTotal: sum((p) => p.passport?.acceptedTotal),
      persistedTotal: sum((p) => p.passport?.persistedTotal),
      rejectedTotal: sum((p) => p.passport?.rejectedTotal),
      queueDepthMax: max((p) => p.passport?.queueDepthMax),
      queueDepthEnd: sum((p) => p.passport?.queueDepthEnd),
      flushLatencyP50Ms: max((p) => p.passport?.flushLatencyP50Ms),
      flushLatencyMaxMs: max((p) => p.passport?.flushLatencyMaxMs),
    },
    timeline: undefined,
  };
}

function machineSummary(
  cores: number,
  loadAvg1mAtStart: number,
  busy: number | null,
  generator: number | null,
  serverPercent: number | null,
): RunResult['machine'] {
  const r2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
  const other = busy !== null && generator !== null && serverPercent !== null ? Math.max(0, busy - generator - serverPercent / 100) : null;
  return { cores, model: os.cpus()[0]?.model ?? 'unknown', loadAvg1mAtStart, busyCoresAvg: r2(busy), otherProcessesCoresAvg: r2(other) };
}

function progressLine(label: string, progress: Map<number, WorkerProgress>, windowStart: number, windowEnd: number): string {
  let sessions = 0;
  let spectators = 0;
  const counters = emptyCounters();
  for (const p of progress.values()) {
    sessions += p.sessionsConnected;
    spectators += p.spectatorsConnected;
    mergeCounters(counters, p.counters);
  }
  const now = epochNow();
  const phase =
    now < windowStart
      ? `ramp ${Math.round((windowStart - now) / 1000)}s left`
      : now < windowEnd
        ? `steady ${Math.round((windowEnd - now) / 1000)}s left`
        : 'grace';
  const errs = Object.values(counters.errors).reduce((s, n) => s + n, 0);
  return `[${label}] ${phase}: sessions ${sessions} connected (${counters.sessions.failed} failed, ${counters.sessions.dropped} dropped), spectators ${spectators} (${counters.spectators.unavailable} unavailable), locks ${counters.actions.locks}, errors ${errs}`;
}
