/**
 * The journal's recommendations block (seed 000 step 8.7): artists who share genres with the
 * constellation and are not in it, best first. The seed orders by popularity; this catalog has no
 * popularity, so the rule is genre weight: each of a candidate's genres counts as many points as the
 * constellation has stars of that genre (ties: lower frequency first, the dial's order). The reason
 * names the genre that weighed most and the newest star that has it.
 */
import type { JournalStarInput } from './types.js';

export const JOURNAL_RECOMMENDATIONS = 3;

export interface RecommendationCandidate {
  id: string;
  name: string;
  genres: readonly string[];
  frequency: number | null;
  thumbnail: string;
}

export interface JournalRecommendation {
  artistId: string;
  name: string;
  reason: string;
  station: number | null;
  thumbnail: string;
}

export function journalRecommendations(stars: readonly JournalStarInput[], candidates: readonly RecommendationCandidate[], limit = JOURNAL_RECOMMENDATIONS): JournalRecommendation[] {
  const weight = new Map<string, number>();
  const newestWith = new Map<string, string>();
  for (const s of stars)
    for (const g of s.artist.genres) {
      weight.set(g, (weight.get(g) ?? 0) + 1);
      newestWith.set(g, s.artist.name);
    }
  const captured = new Set(stars.map((s) => s.artist.id));
  return candidates
    .filter((c) => !captured.has(c.id))
    .map((c) => {
      const shared = c.genres.filter((g) => weight.has(g)).sort((a, b) => weight.get(b)! - weight.get(a)!);
      return { c, score: shared.reduce((sum, g) => sum + weight.get(g)!, 0), genre: shared[0] };
    })
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || (a.c.frequency ?? Infinity) - (b.c.frequency ?? Infinity) || a.c.name.localeCompare(b.c.name))
    .slice(0, limit)
    .map(({ c, genre }) => ({ artistId: c.id, name: c.name, reason: `${genre}, like ${newestWith.get(genre)}`, station: c.frequency, thumbnail: c.thumbnail }));
}
