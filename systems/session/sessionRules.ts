import { z } from 'zod';
import { named } from '../shapes.js';

/** A session idle for less than this is resumed rather than replaced. */
export const RESUME_WINDOW_MS = 2 * 60 * 60 * 1000;
export const DEFAULT_STATION = 99.9;

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export function canResume(lastActiveMs: number, nowMs: number): boolean {
  return nowMs - lastActiveMs < RESUME_WINDOW_MS;
}

/** Returning users get time away; a first launch the greeting. */
export function welcomeMessage(isFirstLaunch: boolean, timeAwayMs: number | null): string {
  if (isFirstLaunch || timeAwayMs === null) return 'Welcome to DeepStream';
  if (timeAwayMs < HOUR_MS) return 'Welcome back! Right where you left off.';
  if (timeAwayMs < DAY_MS) return 'Welcome back! Ready to continue exploring?';
  const days = Math.floor(timeAwayMs / DAY_MS);
  return `Welcome back! You've been away for ${days} days. Check out what's new.`;
}

/** The parallax tip, once, at this many sensor engagements in a session. */
export const PARALLAX_TIP_AFTER = 3;
export const PARALLAX_TIP_MESSAGE = "You've discovered depth! Try tilting more...";

/** Once: the caller stores `seen`. */
export function parallaxTipDue(engagements: number, seen: boolean): boolean {
  return !seen && engagements >= PARALLAX_TIP_AFTER;
}

/** What changed while away; `newRecommendations` null when no engine is wired. */
export const resumeUpdatesSchema = named(
  z.object({ newRecommendations: z.number().int().nullable(), newArtists: z.number().int(), socialUpdates: z.number().int() }),
  'ResumeUpdates',
);
export type ResumeUpdates = z.infer<typeof resumeUpdatesSchema>;

export const suggestedActionSchema = z.enum(['continue_exploring', 'check_recommendations']);
export type SuggestedAction = z.infer<typeof suggestedActionSchema>;

/** Recommendations waiting → look at them; otherwise carry on from the last station. */
export function suggestedAction(updates: ResumeUpdates | null): SuggestedAction {
  return updates && (updates.newRecommendations ?? 0) > 0 ? 'check_recommendations' : 'continue_exploring';
}
