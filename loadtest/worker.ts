/**
 * A bot worker thread: starts its share of bots on the runner's schedule, measures inside the
 * steady-state window, streams progress and lag events, and posts one final report.
 * Protocol: workerData = WorkerInit → 'ready'; 'start' (WorkerStart) → 'progress'*, 'lag'*, 'final'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { epochNow, WorkerContext, type WorkerInit, type WorkerStart } from './context.js';
import { SessionBot } from './sessionBot.js';
import { LightSessionBot } from './lightSessionBot.js';
import { SpectatorBot } from './spectatorBot.js';
import { addTraffic, encodeHistogram, type Counters, type Traffic } from './stats.js';
import type { LagEvent, Sighting } from './spectatorLag.js';

export interface WorkerProgress {
  type: 'progress';
  workerId: number;
  sessionsConnected: number;
  spectatorsConnected: number;
  counters: Counters;
  coliseumUnavailable: string | null;
}

export interface WorkerReport {
  workerId: number;
  counters: Counters;
  histograms: Record<string, string>;
  traffic: { session: Traffic; idleSession: Traffic; spectator: Traffic };
  /** Event-loop utilisation of this thread inside the window (1 = saturated). */
  eventLoopUtilization: number;
  /** This thread's CPU inside the window, when the runtime can tell (process.threadCpuUsage, Node ≥ 23.9). */
  threadCpuMs: number | null;
  coliseumUnavailable: string | null;
  outliers: Array<Record<string, unknown>>;
}

export type WorkerMessage =
  { type: 'ready' } | WorkerProgress | { type: 'lag'; events: LagEvent[]; sightings: Sighting[] } | { type: 'final'; report: WorkerReport } | { type: 'left' };

const port = parentPort!;
const init = workerData as WorkerInit;

// The SDK logs every unexpected close and reconnection; at thousands of bots that is noise (and main-thread work).
for (const level of ['log', 'info', 'warn', 'debug'] as const) console[level] = () => undefined;

const threadCpu = (): number | null => {
  const fn = (process as unknown as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage;
  if (!fn) return null;
  const u = fn.call(process);
  return (u.user + u.system) / 1000;
};

function run(start: WorkerStart): void {
  const ctx = new WorkerContext(init, start);
  const sessions: Array<SessionBot | LightSessionBot> = [];
  const spectators: SpectatorBot[] = [];
  const timers: NodeJS.Timeout[] = [];
  const at = (epochMs: number, fn: () => void) => timers.push(setTimeout(fn, Math.max(0, epochMs - epochNow())));

  for (const plan of start.bots) {
    if (plan.kind === 'session') {
      const bot = plan.light ? new LightSessionBot(ctx, plan) : new SessionBot(ctx, plan);
      sessions.push(bot);
      at(plan.startAt, () => void bot.start());
    } else {
      const bot = new SpectatorBot(ctx, plan);
      spectators.push(bot);
      at(plan.startAt, () => void bot.start());
    }
  }

  const progress = (): void =>
    port.postMessage({
      type: 'progress',
      workerId: init.workerId,
      sessionsConnected: sessions.reduce((n, b) => n + (b.connected ? 1 : 0), 0),
      spectatorsConnected: spectators.reduce((n, b) => n + (b.connected ? 1 : 0), 0),
      counters: ctx.counters,
      coliseumUnavailable: ctx.coliseumUnavailable,
    } satisfies WorkerProgress);
  const flushLag = (): void => {
    if (!ctx.lagEvents.length && !ctx.sightings.length) return;
    port.postMessage({ type: 'lag', events: ctx.lagEvents, sightings: ctx.sightings });
    ctx.lagEvents = [];
    ctx.sightings = [];
  };
  const progressTimer = setInterval(progress, 1000);
  const lagTimer = setInterval(flushLag, 500);

  let elu0 = performance.eventLoopUtilization();
  let cpu0 = threadCpu();
  let elu = 0;
  let cpuMs: number | null = null;
  at(start.windowStart, () => {
    ctx.measuring = true;
    elu0 = performance.eventLoopUtilization();
    cpu0 = threadCpu();
  });
  at(start.windowEnd, () => {
    ctx.measuring = false;
    ctx.stopping = true;
    elu = performance.eventLoopUtilization(elu0).utilization;
    const cpu1 = threadCpu();
    cpuMs = cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null;
    sessions.forEach((b) => b.stopActivity());
  });
  at(start.windowEnd + start.graceMs, () => {
    void (async () => {
      timers.forEach(clearTimeout);
      ctx.counters.sessions.connectedAtEnd = sessions.filter((b) => b.connected).length;
      ctx.counters.spectators.connectedAtEnd = spectators.filter((b) => b.connected).length;
      sessions.forEach((b) => b.finish());
      spectators.forEach((b) => b.finish());
      clearInterval(progressTimer);
      clearInterval(lagTimer);
      flushLag();
      for (const b of sessions) addTraffic(b.idle ? ctx.traffic.idleSession : ctx.traffic.session, b.traffic);
      for (const b of spectators) addTraffic(ctx.traffic.spectator, b.traffic);
      const histograms: Record<string, string> = {};
      for (const [name, h] of ctx.histograms) histograms[name] = encodeHistogram(h);
      const report: WorkerReport = {
        workerId: init.workerId,
        counters: ctx.counters,
        histograms,
        traffic: ctx.traffic,
        eventLoopUtilization: elu,
        threadCpuMs: cpuMs,
        coliseumUnavailable: ctx.coliseumUnavailable,
        outliers: ctx.outliers,
      };
      port.postMessage({ type: 'final', report });
      // Leave after reporting so server-side disposal never delays the numbers; bounded by the runner.
      await Promise.allSettled([...sessions.map((b) => b.leave()), ...spectators.map((b) => b.leave())]);
      port.postMessage({ type: 'left' });
    })();
  });
}

port.on('message', (msg: { type: string; start?: WorkerStart }) => {
  if (msg.type === 'start' && msg.start) run(msg.start);
});
port.postMessage({ type: 'ready' });
