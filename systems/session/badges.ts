/** Badges: earned when a counter crosses a threshold, so a jump over several (an offline sync) earns them all at once. */

import { z } from 'zod';
import { AppError } from '../errors.js';
import { named } from '../shapes.js';

/** Spelled as the product spells them. */
export const BADGES = ['First Discovery', 'Deep Diver', 'First Star', 'Constellation Builder', 'Galaxy Master'] as const;
export const badgeNameSchema = named(z.enum(BADGES), 'BadgeName');
export type Badge = z.infer<typeof badgeNameSchema>;

export type BadgeCounter = 'orbsExplored' | 'starsCaptured';

export interface BadgeRule {
  readonly badge: Badge;
  readonly counter: BadgeCounter;
  readonly threshold: number;
}

export type BadgeCounts = Readonly<Record<BadgeCounter, number>>;

/** 3 stars → Constellation Builder: 7 needed, progress 0.3. */
export const nextMilestoneSchema = named(
  z.object({ badge: badgeNameSchema, starsNeeded: z.number().int().min(1), progress: z.number().min(0).max(1) }),
  'NextMilestone',
  'The next star badge: stars still needed and progress = totalStars / threshold in [0, 1).',
);
export type NextMilestone = z.infer<typeof nextMilestoneSchema>;

/** By counter, then threshold. */
export const BADGE_RULES: readonly BadgeRule[] = Object.freeze([
  Object.freeze({ badge: 'First Discovery', counter: 'orbsExplored', threshold: 1 } as const),
  Object.freeze({ badge: 'Deep Diver', counter: 'orbsExplored', threshold: 10 } as const),
  Object.freeze({ badge: 'First Star', counter: 'starsCaptured', threshold: 1 } as const),
  Object.freeze({ badge: 'Constellation Builder', counter: 'starsCaptured', threshold: 10 } as const),
  Object.freeze({ badge: 'Galaxy Master', counter: 'starsCaptured', threshold: 50 } as const),
]);

const STAR_RULES = BADGE_RULES.filter((r) => r.counter === 'starsCaptured');

export class BadgeError extends AppError<'INVALID_COUNT'> {}

/** Thresholds in (before, after], in {@link BADGE_RULES} order; a counter that went down earns nothing. */
export function badgesEarned(before: BadgeCounts, after: BadgeCounts): Badge[] {
  const earned: Badge[] = [];
  for (const rule of BADGE_RULES) {
    if (count(before[rule.counter], rule.counter) < rule.threshold && count(after[rule.counter], rule.counter) >= rule.threshold) earned.push(rule.badge);
  }
  return earned;
}

/** The one rule for live and offline captures. Orb badges come with an orb zoom, never a capture. */
export function badgesForCapture(starsBefore: number): Badge[] {
  return badgesEarned({ orbsExplored: 0, starsCaptured: starsBefore }, { orbsExplored: 0, starsCaptured: starsBefore + 1 });
}

/** null once Galaxy Master (50) is earned. */
export function nextMilestone(totalStars: number): NextMilestone | null {
  const rule = STAR_RULES.find((r) => r.threshold > count(totalStars, 'totalStars'));
  if (rule === undefined) return null;
  return { badge: rule.badge, starsNeeded: rule.threshold - totalStars, progress: totalStars / rule.threshold };
}

/** `value`, once checked. */
function count(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new BadgeError('INVALID_COUNT', `${name} must be a non-negative integer, got ${value}.`);
  return value;
}
