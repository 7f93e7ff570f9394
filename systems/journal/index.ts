/** The constellation journal: what `GET /api/constellations/me`, the room's `journal` reply and a share page show. */
import { journalInsights } from './insights.js';
import { journalLayout, labelClusters } from './layout.js';
import { eraKey, genreOf, journalStatistics, regionOf } from './statistics.js';
import type { Journal, JournalConnectionInput, JournalStarInput } from './types.js';
import { journalRecommendations, type RecommendationCandidate } from './recommend.js';
import { BASE_STAR_SIZE, CONNECTION_COLORS, connectionThickness, starGlowColor, starSizes } from './style.js';

export * from './types.js';
export { clusterCount } from './layout.js';
export { compareConstellations, shareComparisonSchema } from './compare.js';

/** `assignment[i]` is the k-means cluster of `stars[i]`. Lines whose ends are not both stars are left out. */
export function buildJournal(
  stars: readonly JournalStarInput[],
  connections: readonly JournalConnectionInput[],
  assignment: readonly number[],
  candidates: readonly RecommendationCandidate[] = [],
): Journal {
  const byArtist = new Map(stars.map((s) => [s.artist.id, s]));
  const lines = connections.filter((c) => byArtist.has(c.from) && byArtist.has(c.to));
  const statistics = journalStatistics(stars, lines);
  const sizes = starSizes(stars, lines);
  return {
    stars: stars.map((s, i) => ({
      id: s.id,
      order: i + 1,
      artist: {
        id: s.artist.id,
        name: s.artist.name,
        thumbnail: s.artist.thumbnail,
        genre: genreOf(s),
        genres: [...s.artist.genres],
        era: eraKey(s.artist.era),
        region: regionOf(s.artist.origin),
        station: s.artist.frequency,
      },
      position: { ...s.position },
      capturedAt: s.capturedAt,
      glowColor: starGlowColor(s.artist.id),
      size: sizes.get(s.artist.id) ?? BASE_STAR_SIZE,
    })),
    connections: lines.map((c, i) => {
      const from = byArtist.get(c.from)!;
      const to = byArtist.get(c.to)!;
      return {
        id: `connection_${String(i + 1).padStart(3, '0')}`,
        fromStarId: from.id,
        toStarId: to.id,
        fromPosition: { ...from.position },
        toPosition: { ...to.position },
        strength: c.strength,
        type: c.type,
        style: c.type === 'genre_similarity' ? 'dashed' : 'solid',
        color: CONNECTION_COLORS[c.type],
        thickness: connectionThickness(c.strength),
      };
    }),
    layout: journalLayout(stars.map((s) => s.position)),
    clusters: labelClusters(stars, assignment),
    statistics,
    insights: journalInsights(stars, statistics),
    recommendations: journalRecommendations(stars, candidates),
  };
}
