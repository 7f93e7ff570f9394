/**
 * A soak worker thread: keeps its share of population slots filled. Each slot is one listener at a time:
 * it signs in (one of the slot's few returning users), joins, plays the {@link SessionBot} journey for a
 * random life, sometimes drops and reconnects with its token mid-life, leaves with consent, pauses, and
 * starts again, until the runner says drain; then every bot leaves and the worker answers 'drained'.
 * Protocol: workerData = WorkerInit → 'ready'; 'start' (SoakWorkerStart) → 'progress'*; 'drain' → 'drained'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { epochNow, WorkerContext, type BotPlan, type WorkerInit } from './context.js';
import { SessionBot } from './sessionBot.js';
import type { Counters } from './stats.js';

export interface SoakSlot {
  index: number;
  /** Device secrets of the slot's users, signed in in turn: the user count stays constant under churn. */
  secrets: string[];
  /** Epoch ms at which the slot's first listener joins (the ramp). */
  startAt: number;
}

export interface SoakWorkerStart {
  slots: SoakSlot[];
  lifeMs: [number, number];
  pauseMs: [number, number];
  /** Chance that a life includes one drop + reconnect with the reconnection token. */
  dropChance: number;
}

export type SoakWorkerMessage =
  { type: 'ready' } | { type: 'progress'; workerId: number; connected: number; lives: number; counters: Counters } | { type: 'drained'; workerId: number };

const port = parentPort!;
const init = workerData as WorkerInit;

// The SDK logs every unexpected close and reconnection; churn makes that noise.
for (const level of ['log', 'info', 'warn', 'debug'] as const) console[level] = () => undefined;

let draining = false;
const wakers = new Set<() => void>();

/** Sleeps `ms`, or less when the drain starts. */
function nap(ms: number): Promise<void> {
  if (draining) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      wakers.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, Math.max(0, ms));
    wakers.add(wake);
  });
}

function run(start: SoakWorkerStart): void {
  const ctx = new WorkerContext(init, { bots: [], windowStart: epochNow(), windowEnd: Number.MAX_SAFE_INTEGER, graceMs: 0 });
  const live = new Map<number, SessionBot>();
  let lives = 0;

  const slotLoop = async (slot: SoakSlot): Promise<void> => {
    await nap(slot.startAt - epochNow());
    for (let life = 0; !draining; life++) {
      const lifeMs = ctx.between(start.lifeMs[0], start.lifeMs[1]);
      const plan: BotPlan = { index: slot.index, kind: 'session', startAt: epochNow(), deviceSecret: slot.secrets[life % slot.secrets.length] };
      if (ctx.random() < start.dropChance) plan.dropAt = epochNow() + ctx.between(0.2, 0.6) * lifeMs;
      const bot = new SessionBot(ctx, plan);
      live.set(slot.index, bot);
      const started = bot.start();
      await nap(lifeMs);
      // A join still in flight at the end of a life is left as soon as it lands (SessionBot's own guard).
      await bot.leave();
      await Promise.race([started, nap(5000)]);
      live.delete(slot.index);
      lives++;
      await nap(ctx.between(start.pauseMs[0], start.pauseMs[1]));
    }
  };

  const progress = () =>
    port.postMessage({
      type: 'progress',
      workerId: init.workerId,
      connected: [...live.values()].filter((b) => b.connected).length,
      lives,
      counters: ctx.counters,
    } satisfies SoakWorkerMessage);
  const timer = setInterval(progress, 1000);
  const loops = start.slots.map((slot) => slotLoop(slot));
  port.on('message', (msg: { type: string }) => {
    if (msg.type !== 'drain') return;
    draining = true;
    ctx.stopping = true;
    for (const wake of [...wakers]) wake();
    void Promise.allSettled(loops).then(() => {
      clearInterval(timer);
      progress();
      port.postMessage({ type: 'drained', workerId: init.workerId } satisfies SoakWorkerMessage);
    });
  });
}

port.once('message', (msg: { type: string; start?: SoakWorkerStart }) => {
  if (msg.type === 'start' && msg.start) run(msg.start);
});
port.postMessage({ type: 'ready' } satisfies SoakWorkerMessage);
