/**
 * The journal's insights (seed 000 step 8.7), as text rules over the statistics:
 * 1. by majority: when more than half the stars share a genre family (main genres compared the way
 *    connections compare them, so "Afrobeats" and "Afrobeat" are one), "You're exploring the evolution of
 *    {family}" if its stars span two decades or more, else "You're deep in {family}"; with no majority,
 *    "You're ranging across {a}, {b} and {c}" (the three largest families). The family is spelled as its
 *    oldest star spells it (seed: Fela Kuti's "Afrobeat").
 * 2. oldest and newest decades differ: "From {oldest artist}'s {decade} to {newest artist}'s {decade}"
 *    (the seed's "From the original Shrine to Lagos street corners", from data instead of copy).
 * 3. "{n} stars captured, spanning {d} decades" (singulars for 1).
 */
import { decadeOf, genreOf, type JournalStatistics } from './statistics.js';
import { genreSimilarity } from '../constellation/constellation.js';
import type { JournalStarInput } from './types.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function journalInsights(stars: readonly JournalStarInput[], stats: JournalStatistics): string[] {
  if (!stars.length) return ['Capture your first star to start your constellation'];
  const dated = stars.map((s) => ({ s, d: decadeOf(s.artist.era) })).filter((x): x is { s: JournalStarInput; d: number } => x.d !== null);
  // The first star of the oldest (newest) decade, in capture order.
  const oldest = dated.reduce<(typeof dated)[number] | null>((best, x) => (!best || x.d < best.d ? x : best), null);
  const newest = dated.reduce<(typeof dated)[number] | null>((best, x) => (!best || x.d > best.d ? x : best), null);
  const insights: string[] = [mainInsight(stars)];
  const spanned = stats.discovery.decadesSpanned;
  if (oldest && newest && oldest.d !== newest.d) insights.push(`From ${oldest.s.artist.name}'s ${oldest.d}s to ${newest.s.artist.name}'s ${newest.d}s`);
  insights.push(`${plural(stars.length, 'star')} captured${spanned ? `, spanning ${plural(spanned, 'decade')}` : ''}`);
  return insights;
}

interface Family {
  /** The family as its oldest star spells it. */
  name: string;
  members: JournalStarInput[];
  oldest: number;
}

/** Stars grouped by main genre family, largest first (ties: the family reaching further back). */
function families(stars: readonly JournalStarInput[]): Family[] {
  const out: Family[] = [];
  for (const s of stars) {
    const genre = genreOf(s);
    const decade = decadeOf(s.artist.era) ?? Infinity;
    const family = out.find((f) => genreSimilarity([f.name], [genre]) === 1);
    if (!family) out.push({ name: genre, members: [s], oldest: decade });
    else {
      family.members.push(s);
      if (decade < family.oldest) [family.name, family.oldest] = [genre, decade];
    }
  }
  return out.sort((a, b) => b.members.length - a.members.length || a.oldest - b.oldest);
}

function mainInsight(stars: readonly JournalStarInput[]): string {
  const [top, ...rest] = families(stars);
  if (top.members.length * 2 > stars.length) {
    const decades = new Set(top.members.map((s) => decadeOf(s.artist.era)).filter((d) => d !== null));
    return decades.size >= 2 ? `You're exploring the evolution of ${top.name}` : `You're deep in ${top.name}`;
  }
  const names = [top, ...rest].slice(0, 3).map((f) => f.name);
  return `You're ranging across ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
