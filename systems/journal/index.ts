/** The constellation journal: what `GET /api/constellations/me`, the room's `journal` reply and a share page show. */
import { journalInsights } from './insights.js';
import { journalLayout, labelClusters, type JournalCluster, type JournalLayout } from './layout.js';
import { eraKey, genreOf, journalStatistics, regionOf, type JournalStatistics } from './statistics.js';
import type { JournalConnectionInput, JournalStarInput, Vec3 } from './types.js';
import { journalRecommendations, type JournalRecommendation, type RecommendationCandidate } from './recommend.js';
import { BASE_STAR_SIZE, CONNECTION_COLORS, connectionThickness, starGlowColor, starSizes } from './style.js';

export * from './types.js';
export { clusterCount, clusterLabel, journalLayout, labelClusters, CAMERA_FOV_DEG, CAMERA_PULL_BACK } from './layout.js';
export { journalStatistics, decadeOf, eraKey, regionOf } from './statistics.js';
export { journalRecommendations, JOURNAL_RECOMMENDATIONS, type JournalRecommendation, type RecommendationCandidate } from './recommend.js';
export { compareConstellations, SHARE_REASON, shareComparisonSchema, type ShareComparison } from './compare.js';

export interface JournalStar {
  id: string;
  order: number;
  artist: { id: string; name: string; thumbnail: string; genre: string; genres: string[]; era: string; region: string; station: number | null };
  position: Vec3;
  capturedAt: string;
  /** The artist palette's orb colour; size 1.2 for an influence (style.ts). */
  glowColor: string;
  size: number;
}

export interface JournalConnection {
  id: string;
  fromStarId: string;
  toStarId: string;
  fromPosition: Vec3;
  toPosition: Vec3;
  strength: number;
  type: JournalConnectionInput['type'];
  /** Discovery paths solid, genre similarities dashed. */
  style: 'solid' | 'dashed';
  color: string;
  thickness: number;
}

export interface Journal {
  stars: JournalStar[];
  connections: JournalConnection[];
  layout: JournalLayout;
  clusters: JournalCluster[];
  statistics: JournalStatistics;
  insights: string[];
  recommendations: JournalRecommendation[];
}

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
