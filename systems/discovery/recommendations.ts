/**
 * The recommendations engine of seed 000 step 12, the pure part: the user's preferences (12.2), the
 * score of each source (12.3–12.6) with its reason text, and the combination (12.7). Loading is
 * persistence/discovery/RecommendationRepository.ts; the use case is features/discovery/Recommendations.ts.
 */
import { decadeOf } from './search.js';

/** Step 12.3–12.7 numbers, as the seed writes them. */
export const REC_WEIGHTS = {
  /** 12.3: an unexplored influence whose genre is one of the top genres. */
  genreMatch: 30,
  /** 12.3: per orb pointing to the artist. */
  perConnection: 10,
  /** 12.3: an era the user has not explored yet. */
  eraDiversity: 15,
  /** 12.3: × popularity_score ("a boost, but not too much"). */
  popularity: 0.05,
  /** 12.4: × how many similar users captured it. */
  perSimilarUser: 20,
  /** 12.5: any trending artist. */
  trending: 25,
  /** 12.6: an artist of an unexplored era in a top genre. */
  era: 20,
} as const;

/** 12.2: top genres kept; 12.4: at least this many stars in common, at most this many similar users, this many artists from them. */
export const TOP_GENRES = 3;
export const MIN_OVERLAP = 2;
export const MAX_SIMILAR_USERS = 20;
export const MAX_COLLABORATIVE = 10;
/** 12.6: artists per unexplored era. */
export const ERA_ARTISTS = 3;
/** 12.7: the final list. */
export const MAX_RECOMMENDATIONS = 10;
/** 12.6: the eras the seed explores. */
export const ALL_ERAS = ['1960s', '1970s', '1980s', '1990s', '2000s', '2010s', '2020s'] as const;

export const REASON_SIMILAR_USERS = 'Users like you explored this';
export const REASON_TRENDING = 'Trending today';

export type RecommendationSource = 'influence' | 'similar_users' | 'trending' | 'era';

/** A scored candidate before the artist's display data is added. */
export interface ScoredRecommendation {
  artistId: string;
  score: number;
  reason: string;
  source: RecommendationSource;
}

/** A star's artist as 12.2 reads it. */
export interface StarArtist {
  id: string;
  name: string;
  genres: readonly string[];
  era: string;
}

/** 12.2: what the constellation says about the user. */
export interface Preferences {
  /** By frequency, descending (ties: by name), at most {@link TOP_GENRES}. */
  topGenres: string[];
  /** Decades of their stars (`1970s`). */
  eras: Set<string>;
  captured: Set<string>;
}

/** 12.2: genre frequency → top 3, explored eras, and the captured set. */
export function preferencesOf(stars: readonly StarArtist[]): Preferences {
  const frequency = new Map<string, number>();
  for (const star of stars) for (const g of star.genres) frequency.set(g, (frequency.get(g) ?? 0) + 1);
  // Equal counts by name: the seed's {Afrobeats: 2, Afrobeat: 1, Afrofusion: 1} → [Afrobeats, Afrobeat, Afrofusion].
  const topGenres = [...frequency.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, TOP_GENRES)
    .map(([g]) => g);
  const eras = new Set(stars.map((s) => decadeOf(s.era)).filter((e) => e !== ''));
  return { topGenres, eras, captured: new Set(stars.map((s) => s.id)) };
}

/** An artist an orb of one of the user's stars points to (12.3). */
export interface InfluenceCandidate {
  id: string;
  genres: readonly string[];
  era: string;
  popularityScore: number;
  /** Orbs pointing to this artist (12.3 "COUNT orbs pointing to this artist"). */
  connectionCount: number;
  /** The star whose orb points here (the strongest such orb) and how the orb relates them. */
  sourceName: string;
  relationship: string;
}

/** 12.3: +30 genre in top genres, +10 per orb, +15 for an unexplored era, + popularity × 0.05. */
export function influenceScore(c: Omit<InfluenceCandidate, 'sourceName' | 'relationship'>, prefs: Preferences): number {
  let score = 0;
  if (c.genres.some((g) => prefs.topGenres.includes(g))) score += REC_WEIGHTS.genreMatch;
  score += c.connectionCount * REC_WEIGHTS.perConnection;
  const decade = decadeOf(c.era);
  if (!prefs.eras.has(decade)) score += REC_WEIGHTS.eraDiversity;
  score += c.popularityScore * REC_WEIGHTS.popularity;
  return score;
}

/**
 * The reason of an influence (the seed's examples: "Influenced Fela Kuti", "Connected to Wizkid"):
 * an ancestor or influence of the star influenced it; an artist the star influenced was influenced by
 * it; peers, contemporaries and collaborators are connected.
 */
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

/** 12.4: frequency × 20, "Users like you explored this". */
export function scoreCollaborative(rows: ReadonlyArray<{ artistId: string; frequency: number }>, prefs: Preferences): ScoredRecommendation[] {
  return rows
    .filter((r) => !prefs.captured.has(r.artistId))
    .map((r) => ({ artistId: r.artistId, score: r.frequency * REC_WEIGHTS.perSimilarUser, reason: REASON_SIMILAR_USERS, source: 'similar_users' }));
}

/** 12.5: 25 for each trending artist not captured yet. */
export function scoreTrending(artistIds: readonly string[], prefs: Preferences): ScoredRecommendation[] {
  return artistIds
    .filter((id) => !prefs.captured.has(id))
    .map((id) => ({ artistId: id, score: REC_WEIGHTS.trending, reason: REASON_TRENDING, source: 'trending' }));
}

/** 12.6: the seed's eras the user has not explored. */
export function unexploredEras(prefs: Preferences): string[] {
  return ALL_ERAS.filter((e) => !prefs.eras.has(e));
}

/** 12.6: 20 each, "Explore {era} {genre}" (the genre: the artist's first genre among the top genres). */
export function scoreEraDiscovery(rows: ReadonlyArray<{ artistId: string; era: string; genre: string }>, prefs: Preferences): ScoredRecommendation[] {
  return rows
    .filter((r) => !prefs.captured.has(r.artistId))
    .map((r) => ({ artistId: r.artistId, score: REC_WEIGHTS.era, reason: `Explore ${r.era} ${r.genre}`, source: 'era' }));
}

/**
 * 12.7: all sources together, one entry per artist (the highest score; on a tie the source listed
 * first: influence, similar users, trending, era), by score descending, then artist id; the top 10.
 */
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

/** 12.8: "Connected to {source_artist_name}" when an orb of a star points to the artist. */
export const connectionText = (sourceName: string | null): string | null => (sourceName ? `Connected to ${sourceName}` : null);

/**
 * What is new in `current` compared with the artist ids recommended before (the resume
 * welcome, seed 14.4 "new recommendations"): the artists not recommended earlier.
 */
export function newSince(current: readonly ScoredRecommendation[], before: ReadonlySet<string>): string[] {
  return current.map((r) => r.artistId).filter((id) => !before.has(id));
}
