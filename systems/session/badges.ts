/**
 * Achievement badges (seed 000 step 6.7 for orbs explored, step 7.8 for stars captured).
 * A badge is earned when its counter crosses the threshold, so a jump over several thresholds earns
 * all of them at once (e.g. an offline sync adding many captures).
 */

import { AppError } from '../errors.js';

/** Badge names exactly as the seed spells them. */
export const BADGES = ['First Discovery', 'Deep Diver', 'First Star', 'Constellation Builder', 'Galaxy Master'] as const;
export type Badge = (typeof BADGES)[number];

/** Counter a badge is tracked on. */
export type BadgeCounter = 'orbsExplored' | 'starsCaptured';

/** One milestone: earned when `counter` reaches `threshold`. */
export interface BadgeRule {
  readonly badge: Badge;
  readonly counter: BadgeCounter;
  readonly threshold: number;
}

/** Counters the badges are computed from. */
export interface BadgeCounts {
  readonly orbsExplored: number;
  readonly starsCaptured: number;
}

/** Next star milestone (seed: 3 stars → Constellation Builder, 7 needed, progress 0.3). */
export interface NextMilestone {
  readonly badge: Badge;
  readonly starsNeeded: number;
  /** totalStars / threshold, in [0, 1). */
  readonly progress: number;
}

/** All badge rules, ordered by counter then threshold. */
export const BADGE_RULES: readonly BadgeRule[] = Object.freeze([
  Object.freeze({ badge: 'First Discovery', counter: 'orbsExplored', threshold: 1 } as const),
  Object.freeze({ badge: 'Deep Diver', counter: 'orbsExplored', threshold: 10 } as const),
  Object.freeze({ badge: 'First Star', counter: 'starsCaptured', threshold: 1 } as const),
  Object.freeze({ badge: 'Constellation Builder', counter: 'starsCaptured', threshold: 10 } as const),
  Object.freeze({ badge: 'Galaxy Master', counter: 'starsCaptured', threshold: 50 } as const),
]);

const STAR_RULES = BADGE_RULES.filter((r) => r.counter === 'starsCaptured');

/** Codes of {@link BadgeError}. */
export type BadgeErrorCode = 'INVALID_COUNT';

/** A counter that is not a non-negative integer. */
export class BadgeError extends AppError<BadgeErrorCode> {
  override readonly name = 'BadgeError';
}

/**
 * Badges whose threshold lies in (before, after] on their counter, in {@link BADGE_RULES} order.
 * Counters that went down earn nothing.
 * @throws BadgeError `INVALID_COUNT` for a negative, fractional or non-finite counter.
 */
export function badgesEarned(before: BadgeCounts, after: BadgeCounts): Badge[] {
  const earned: Badge[] = [];
  for (const rule of BADGE_RULES) {
    const from = count(before, rule.counter);
    const to = count(after, rule.counter);
    if (from < rule.threshold && to >= rule.threshold) earned.push(rule.badge);
  }
  return earned;
}

/**
 * The star badges a capture earns: the one rule for live and offline captures. Orb badges are earned
 * when an orb zoom arrives, never by a capture (its orb count does not change).
 */
export function badgesForCapture(starsBefore: number): Badge[] {
  return badgesEarned({ orbsExplored: 0, starsCaptured: starsBefore }, { orbsExplored: 0, starsCaptured: starsBefore + 1 });
}

/**
 * The next star badge after `totalStars`: stars still needed and progress = totalStars / threshold;
 * null once the last star badge (Galaxy Master, 50) is earned.
 * @throws BadgeError `INVALID_COUNT`.
 */
export function nextMilestone(totalStars: number): NextMilestone | null {
  assertCount(totalStars, 'totalStars');
  const rule = STAR_RULES.find((r) => r.threshold > totalStars);
  if (rule === undefined) return null;
  return { badge: rule.badge, starsNeeded: rule.threshold - totalStars, progress: totalStars / rule.threshold };
}

function count(counts: BadgeCounts, counter: BadgeCounter): number {
  const value = counts[counter];
  assertCount(value, counter);
  return value;
}

function assertCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new BadgeError('INVALID_COUNT', `${name} must be a non-negative integer, got ${value}.`);
  }
}
