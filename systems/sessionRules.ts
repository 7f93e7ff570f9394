/** Session start and resume rules from seed 000 steps 1 and 14. */

/** A session idle for less than this is resumed rather than replaced. */
export const RESUME_WINDOW_MS = 2 * 60 * 60 * 1000;
export const DEFAULT_STATION = 99.9;

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** True when a session last active at `lastActiveMs` may be resumed at `nowMs`. */
export function canResume(lastActiveMs: number, nowMs: number): boolean {
  return nowMs - lastActiveMs < RESUME_WINDOW_MS;
}

/** Seed step 14.5 for returning users; step 1's greeting for a first launch. */
export function welcomeMessage(isFirstLaunch: boolean, timeAwayMs: number | null): string {
  if (isFirstLaunch || timeAwayMs === null) return 'Welcome to DeepStream';
  if (timeAwayMs < HOUR_MS) return 'Welcome back! Right where you left off.';
  if (timeAwayMs < DAY_MS) return 'Welcome back! Ready to continue exploring?';
  const days = Math.floor(timeAwayMs / DAY_MS);
  return `Welcome back! You've been away for ${days} days. Check out what's new.`;
}
