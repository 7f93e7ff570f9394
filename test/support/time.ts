const DAY_MS = 86_400_000;

/**
 * `agoMs` before `nowMs`, but never before the start of `nowMs`'s UTC day: an event a test dates "a minute
 * ago" must still be today's when the suite happens to run in the first minute after midnight UTC.
 */
export function earlierToday(nowMs: number, agoMs: number): number {
  return Math.max(nowMs - agoMs, Math.floor(nowMs / DAY_MS) * DAY_MS);
}
