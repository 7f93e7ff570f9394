/**
 * The journal's insights (seed 000 step 8.7), as text rules over the statistics:
 * 1. stars spanning two decades or more: "You're exploring the evolution of {genre of the oldest star}";
 *    otherwise "You're deep in {most common genre}".
 * 2. oldest and newest decades differ: "From {oldest artist}'s {decade} to {newest artist}'s {decade}"
 *    (the seed's "From the original Shrine to Lagos street corners", from data instead of copy).
 * 3. "{n} stars captured, spanning {d} decades" (singulars for 1).
 */
import { decadeOf, genreOf, type JournalStatistics } from './statistics.js';
import type { JournalStarInput } from './types.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function journalInsights(stars: readonly JournalStarInput[], stats: JournalStatistics): string[] {
  if (!stars.length) return ['Capture your first star to start your constellation'];
  const dated = stars.map((s) => ({ s, d: decadeOf(s.artist.era) })).filter((x): x is { s: JournalStarInput; d: number } => x.d !== null);
  // The first star of the oldest (newest) decade, in capture order.
  const oldest = dated.reduce<(typeof dated)[number] | null>((best, x) => (!best || x.d < best.d ? x : best), null);
  const newest = dated.reduce<(typeof dated)[number] | null>((best, x) => (!best || x.d > best.d ? x : best), null);
  const insights: string[] = [];
  const spanned = stats.discovery.decadesSpanned;
  if (oldest && spanned >= 2) insights.push(`You're exploring the evolution of ${genreOf(oldest.s)}`);
  else insights.push(`You're deep in ${stats.genreDistribution[0]?.genre ?? 'music'}`);
  if (oldest && newest && oldest.d !== newest.d) insights.push(`From ${oldest.s.artist.name}'s ${oldest.d}s to ${newest.s.artist.name}'s ${newest.d}s`);
  insights.push(`${plural(stars.length, 'star')} captured${spanned ? `, spanning ${plural(spanned, 'decade')}` : ''}`);
  return insights;
}
