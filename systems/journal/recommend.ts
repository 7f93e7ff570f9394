/**
 * The journal's recommendations block (seed 000 step 8.7): artists in a genre among the constellation's
 * genres and not in it, most popular first (the popularity job's score, seed 9.4); among equals, the
 * heavier genre weight (each shared genre counts as many points as the constellation has stars of it),
 * then the dial's order. The reason names a genre the candidate shares and a star that has it: the
 * weightiest genre and its newest star unless an earlier pick already said that, then the next star or
 * genre, so no two picks give the same reason (three "Afrobeats, like Mr Eazi" tell the listener nothing).
 */
import type { JournalStarInput } from './types.js';

export const JOURNAL_RECOMMENDATIONS = 3;

export interface RecommendationCandidate {
  id: string;
  name: string;
  genres: readonly string[];
  frequency: number | null;
  thumbnail: string;
  /** Default 0. */
  popularity?: number;
}

export interface JournalRecommendation {
  artistId: string;
  name: string;
  reason: string;
  station: number | null;
  thumbnail: string;
}

export function journalRecommendations(
  stars: readonly JournalStarInput[],
  candidates: readonly RecommendationCandidate[],
  limit = JOURNAL_RECOMMENDATIONS,
): JournalRecommendation[] {
  const weight = new Map<string, number>();
  // Per genre, the stars that have it, newest first.
  const withGenre = new Map<string, string[]>();
  for (const s of stars)
    for (const g of s.artist.genres) {
      weight.set(g, (weight.get(g) ?? 0) + 1);
      withGenre.set(g, [s.artist.name, ...(withGenre.get(g) ?? [])]);
    }
  const said = new Set<string>();
  const reasonFor = (shared: readonly string[]): string => {
    for (const g of shared)
      for (const name of withGenre.get(g) ?? []) {
        const reason = `${g}, like ${name}`;
        if (!said.has(reason)) return (said.add(reason), reason);
      }
    // Every pairing is taken (one star, one genre): say how much of the sky the genre is instead.
    const reason = shared.length > 1 ? `${shared.slice(0, 2).join(' and ')} again` : `more ${shared[0]}`;
    return said.has(reason) ? `${shared[0]}, ${weight.get(shared[0])} of your stars` : (said.add(reason), reason);
  };
  const captured = new Set(stars.map((s) => s.artist.id));
  return candidates
    .filter((c) => !captured.has(c.id))
    .map((c) => {
      const shared = c.genres.filter((g) => weight.has(g)).sort((a, b) => weight.get(b)! - weight.get(a)!);
      return { c, score: shared.reduce((sum, g) => sum + weight.get(g)!, 0), shared };
    })
    .filter((r) => r.score > 0)
    .sort(
      (a, b) =>
        (b.c.popularity ?? 0) - (a.c.popularity ?? 0) ||
        b.score - a.score ||
        (a.c.frequency ?? Infinity) - (b.c.frequency ?? Infinity) ||
        a.c.name.localeCompare(b.c.name),
    )
    .slice(0, limit)
    .map(({ c, shared }) => ({ artistId: c.id, name: c.name, reason: reasonFor(shared), station: c.frequency, thumbnail: c.thumbnail }));
}
