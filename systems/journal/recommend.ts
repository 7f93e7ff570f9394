/**
 * Three artists sharing a genre with the constellation and not in it: most popular first, then the heavier genre weight,
 * then the dial's order. No two picks give the same reason (three "Afrobeats, like Mr Eazi" tell the listener nothing).
 */
import type { JournalRecommendation, JournalStarInput } from './types.js';

export interface RecommendationCandidate {
  id: string;
  name: string;
  genres: readonly string[];
  frequency: number | null;
  thumbnail: string;
  popularity?: number;
}

export function journalRecommendations(stars: readonly JournalStarInput[], candidates: readonly RecommendationCandidate[]): JournalRecommendation[] {
  const weight = new Map<string, number>();
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
    // Every pairing is taken: say how much of the sky the genre is instead.
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
    .slice(0, 3)
    .map(({ c, shared }) => ({ artistId: c.id, name: c.name, reason: reasonFor(shared), station: c.frequency, thumbnail: c.thumbnail }));
}
