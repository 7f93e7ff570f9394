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

/** Seed step 5.4: the tip a listener gets once, when their session reaches this many sensor engagements. */
export const PARALLAX_TIP_AFTER = 3;
export const PARALLAX_TIP_MESSAGE = "You've discovered depth! Try tilting more...";

/** Seed step 5.4: `sensor_engagement_count >= 3 AND seen_parallax_tip = false` → the tip (once: the caller stores `seen`). */
export function parallaxTipDue(engagements: number, seen: boolean): boolean {
  return !seen && engagements >= PARALLAX_TIP_AFTER;
}

/** Seed step 14.4: what changed while the listener was away; `newRecommendations` null when no engine is wired. */
export interface ResumeUpdates {
  newRecommendations: number | null;
  newArtists: number;
  socialUpdates: number;
}

export type SuggestedAction = 'continue_exploring' | 'check_recommendations';

/** Seed step 14 response: recommendations waiting → look at them; otherwise carry on from the last station. */
export function suggestedAction(updates: ResumeUpdates | null): SuggestedAction {
  return updates && (updates.newRecommendations ?? 0) > 0 ? 'check_recommendations' : 'continue_exploring';
}
