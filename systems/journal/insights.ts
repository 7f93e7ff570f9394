/**
 * Text rules over the statistics: a genre family held by most stars ("exploring the evolution of" across two
 * decades, else "deep in"), or the three largest; oldest to newest decade; the count. A family is spelled as its
 * oldest star spells it, and "Afrobeats"/"Afrobeat" are one (compared as connections compare genres).
 */
import { andList } from '../text.js';
import { decadeOf, genreOf } from './statistics.js';
import { genreSimilarity } from '../constellation/constellation.js';
import type { JournalStarInput, JournalStatistics } from './types.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function journalInsights(stars: readonly JournalStarInput[], stats: JournalStatistics): string[] {
  if (!stars.length) return ['Capture your first star to start your constellation'];
  const dated = stars.map((s) => ({ s, d: decadeOf(s.artist.era) })).filter((x): x is { s: JournalStarInput; d: number } => x.d !== null);
  const oldest = dated.reduce<(typeof dated)[number] | null>((best, x) => (!best || x.d < best.d ? x : best), null);
  const newest = dated.reduce<(typeof dated)[number] | null>((best, x) => (!best || x.d > best.d ? x : best), null);
  const insights: string[] = [mainInsight(stars)];
  const spanned = stats.discovery.decadesSpanned;
  if (oldest && newest && oldest.d !== newest.d) insights.push(`From ${oldest.s.artist.name}'s ${oldest.d}s to ${newest.s.artist.name}'s ${newest.d}s`);
  insights.push(`${plural(stars.length, 'star')} captured${spanned ? `, spanning ${plural(spanned, 'decade')}` : ''}`);
  return insights;
}

interface Family {
  name: string;
  members: JournalStarInput[];
  oldest: number;
}

/** Largest first (ties: the family reaching further back). */
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
  return `You're ranging across ${andList(names)}`;
}
