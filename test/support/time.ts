import os from 'node:os';

const DAY_MS = 86_400_000;

/**
 * `agoMs` before `nowMs`, but never before the start of `nowMs`'s UTC day: an event a test dates "a minute
 * ago" must still be today's when the suite happens to run in the first minute after midnight UTC.
 */
export function earlierToday(nowMs: number, agoMs: number): number {
  return Math.max(nowMs - agoMs, Math.floor(nowMs / DAY_MS) * DAY_MS);
}

/**
 * A latency bound that allows for a loaded box: `ms` on an idle machine, stretched by the load average per core
 * when other work competes for the CPU (the suite shares two cores with other runs). Use it for upper bounds on
 * real time that a test cannot put on a clock it controls; it never tightens a bound.
 */
export function allowingForLoad(ms: number): number {
  const perCore = os.loadavg()[0] / Math.max(1, os.availableParallelism());
  return Math.round(ms * Math.max(1, perCore));
}
