/** Recommendations, the pure part: preferences, each source's score and reason, the combination. */
import { z } from 'zod';
import { named } from '../shapes.js';
import { decadeOf } from './search.js';

export const REC_WEIGHTS = {
  /** An unexplored influence in a top genre. */
  genreMatch: 30,
  perConnection: 10,
  /** An era not explored yet. */
  eraDiversity: 15,
  /** × popularity_score: a boost, not too much. */
  popularity: 0.05,
  /** × similar users who captured it. */
  perSimilarUser: 20,
  trending: 25,
  /** An artist of an unexplored era in a top genre. */
  era: 20,
} as const;

/** Top genres kept; stars in common for a similar user; similar users; artists from them. */
export const TOP_GENRES = 3;
export const MIN_OVERLAP = 2;
export const MAX_SIMILAR_USERS = 20;
export const MAX_COLLABORATIVE = 10;
export const ERA_ARTISTS = 3;
export const MAX_RECOMMENDATIONS = 10;
export const ALL_ERAS = ['1960s', '1970s', '1980s', '1990s', '2000s', '2010s', '2020s'] as const;

export const REASON_SIMILAR_USERS = 'Users like you explored this';
export const REASON_TRENDING = 'Trending today';

export type RecommendationSource = 'influence' | 'similar_users' | 'trending' | 'era';

export interface ScoredRecommendation {
  artistId: string;
  score: number;
  reason: string;
  source: RecommendationSource;
}

export interface StarArtist {
  id: string;
  name: string;
  genres: readonly string[];
  era: string;
}

export interface Preferences {
  /** Descending (ties by name), at most {@link TOP_GENRES}. */
  topGenres: string[];
  eras: Set<string>;
  captured: Set<string>;
}

export function preferencesOf(stars: readonly StarArtist[]): Preferences {
  const frequency = new Map<string, number>();
  for (const star of stars) for (const g of star.genres) frequency.set(g, (frequency.get(g) ?? 0) + 1);
  // {Afrobeats: 2, Afrobeat: 1, Afrofusion: 1} → [Afrobeats, Afrobeat, Afrofusion].
  const topGenres = [...frequency.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, TOP_GENRES)
    .map(([g]) => g);
  const eras = new Set(stars.map((s) => decadeOf(s.era)).filter((e) => e !== ''));
  return { topGenres, eras, captured: new Set(stars.map((s) => s.id)) };
}

/** An artist an orb of one of the user's stars points to. */
export interface InfluenceCandidate {
  id: string;
  genres: readonly string[];
  era: string;
  popularityScore: number;
  connectionCount: number;
  /** The star with the strongest orb pointing here, and how the orb relates them. */
  sourceName: string;
  relationship: string;
}

/** +30 in a top genre, +10 per orb, +15 for an unexplored era, + popularity × 0.05. */
export function influenceScore(c: Omit<InfluenceCandidate, 'sourceName' | 'relationship'>, prefs: Preferences): number {
  let score = 0;
  if (c.genres.some((g) => prefs.topGenres.includes(g))) score += REC_WEIGHTS.genreMatch;
  score += c.connectionCount * REC_WEIGHTS.perConnection;
  const decade = decadeOf(c.era);
  if (!prefs.eras.has(decade)) score += REC_WEIGHTS.eraDiversity;
  score += c.popularityScore * REC_WEIGHTS.popularity;
  return score;
}

/** An ancestor or influence of the star "Influenced X"; an artist X influenced "Influenced by X"; others "Connected to X". */
export function influenceReason(relationship: string, sourceName: string): string {
  if (relationship === 'ancestor' || relationship === 'influence') return `Influenced ${sourceName}`;
  if (relationship === 'influenced') return `Influenced by ${sourceName}`;
  return `Connected to ${sourceName}`;
}

export function scoreInfluences(candidates: readonly InfluenceCandidate[], prefs: Preferences): ScoredRecommendation[] {
  return candidates
    .filter((c) => !prefs.captured.has(c.id))
    .map((c) => ({ artistId: c.id, score: influenceScore(c, prefs), reason: influenceReason(c.relationship, c.sourceName), source: 'influence' }));
}

export function scoreCollaborative(rows: ReadonlyArray<{ artistId: string; frequency: number }>, prefs: Preferences): ScoredRecommendation[] {
  return rows
    .filter((r) => !prefs.captured.has(r.artistId))
    .map((r) => ({ artistId: r.artistId, score: r.frequency * REC_WEIGHTS.perSimilarUser, reason: REASON_SIMILAR_USERS, source: 'similar_users' }));
}

export function scoreTrending(artistIds: readonly string[], prefs: Preferences): ScoredRecommendation[] {
  return artistIds
    .filter((id) => !prefs.captured.has(id))
    .map((id) => ({ artistId: id, score: REC_WEIGHTS.trending, reason: REASON_TRENDING, source: 'trending' }));
}

export function unexploredEras(prefs: Preferences): string[] {
  return ALL_ERAS.filter((e) => !prefs.eras.has(e));
}

/** "Explore {era} {genre}" (the artist's first genre among the top genres). */
export function scoreEraDiscovery(rows: ReadonlyArray<{ artistId: string; era: string; genre: string }>, prefs: Preferences): ScoredRecommendation[] {
  return rows
    .filter((r) => !prefs.captured.has(r.artistId))
    .map((r) => ({ artistId: r.artistId, score: REC_WEIGHTS.era, reason: `Explore ${r.era} ${r.genre}`, source: 'era' }));
}

/** One entry per artist (highest score; a tie keeps the source listed first), by score then id; the top `limit`. */
export function combineRecommendations(lists: ReadonlyArray<readonly ScoredRecommendation[]>, limit = MAX_RECOMMENDATIONS): ScoredRecommendation[] {
  const best = new Map<string, ScoredRecommendation>();
  for (const list of lists) {
    for (const rec of list) {
      const kept = best.get(rec.artistId);
      if (!kept || rec.score > kept.score) best.set(rec.artistId, rec);
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score || (a.artistId < b.artistId ? -1 : a.artistId > b.artistId ? 1 : 0)).slice(0, limit);
}

export const connectionText = (sourceName: string | null): string | null => (sourceName ? `Connected to ${sourceName}` : null);

/** One recommendation as clients receive it (HTTP, `recommendations` and `suggestions` messages). */
export const recommendedArtistSchema = named(
  z.object({
    artist: named(
      z.object({ id: z.string(), name: z.string(), thumbnail: z.string(), station: z.number().nullable(), genres: z.array(z.string()), era: z.string() }),
      'RecommendedArtistInfo',
    ),
    score: z.number(),
    reason: z.string(),
    source: z.string(),
    /** When an orb of one of the user's stars points here. */
    connectionText: z.string().nullable(),
  }),
  'RecommendedArtist',
);

/** After captures; what GET /api/recommendations answers. */
export const recommendationsSchema = named(
  z.object({ recommendations: z.array(recommendedArtistSchema), generatedAt: z.string(), newArtistIds: z.array(z.string()) }),
  'RecommendationsMessage',
);
