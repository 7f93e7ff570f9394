/**
 * The recommendations engine: scores the user's stars and the sources (systems/discovery/recommendations.ts) and keeps
 * the list, so what is new since a time is one count; also suggestions after an orb zoom, by the same rule.
 */
import {
  combineRecommendations,
  connectionText,
  ERA_ARTISTS,
  MAX_COLLABORATIVE,
  MAX_SIMILAR_USERS,
  MIN_OVERLAP,
  preferencesOf,
  scoreCollaborative,
  scoreEraDiscovery,
  scoreInfluences,
  scoreTrending,
  unexploredEras,
  type RecommendationSource,
  type ScoredRecommendation,
} from '../../systems/discovery/recommendations.js';
import type { RecommendationRepository, RecommendedArtist } from '../../persistence/discovery/RecommendationRepository.js';
import type { SearchRepository } from '../../persistence/discovery/SearchRepository.js';

/** One recommendation as clients receive it (HTTP, `recommendations` and `suggestions` messages). */
export interface Recommendation {
  artist: { id: string; name: string; thumbnail: string; station: number | null; genres: string[]; era: string };
  score: number;
  reason: string;
  source: RecommendationSource;
  /** 12.8: "Connected to {star}" when an orb of one of the user's stars points here, else null. */
  connectionText: string | null;
}

export interface RecommendationList {
  recommendations: Recommendation[];
  generatedAt: string;
  /** Artist ids in this list that were not in the user's previous list (empty on a first list). */
  newArtistIds: string[];
}

/** Artist ids trending today, from the coliseum boards. */
export type TrendingSource = (nowMs: number) => Promise<string[]>;

export interface RecommendationDeps {
  repo: Pick<RecommendationRepository, 'sourcesOf' | 'zoomSources' | 'saveCurrentWithArtists' | 'countNewSince' | 'madeSince'>;
  stars: Pick<SearchRepository, 'tasteOf'>;
  trending: TrendingSource;
  now: () => number;
  /** Told of every list computed (after it is stored), off the caller's path. */
  onList?: (userId: string, list: RecommendationList) => void;
}

/** Suggestions after an orb zoom: two shown, one more leaves room for a captured one. */
export const SUGGESTIONS_AFTER_ZOOM = 3;

export class Recommendations {
  constructor(private readonly deps: RecommendationDeps) {}

  /** Computed, stored as the user's current list, and returned. */
  async recommendationsFor(userId: string): Promise<RecommendationList> {
    const nowMs = this.deps.now();
    const stars = await this.deps.stars.tasteOf(userId);
    const prefs = preferencesOf(stars);
    const starIds = [...prefs.captured];
    const eras = unexploredEras(prefs);
    // Three statements, not six: the node side of each round trip is most of a capture's server cost.
    const [{ influences, collaborative, eraRows }, trending] = await Promise.all([
      this.deps.repo.sourcesOf({
        userId,
        starIds,
        collaborative: starIds.length >= MIN_OVERLAP ? { minOverlap: MIN_OVERLAP, maxUsers: MAX_SIMILAR_USERS, limit: MAX_COLLABORATIVE } : null,
        eras: { eras, genres: prefs.topGenres, perEra: ERA_ARTISTS },
      }),
      this.deps.trending(nowMs).catch(() => [] as string[]), // a board outage costs one source, not the list
    ]);
    const ranked = combineRecommendations([
      scoreInfluences(influences, prefs),
      scoreCollaborative(collaborative, prefs),
      scoreTrending(trending, prefs),
      scoreEraDiscovery(eraRows, prefs),
    ]);
    const saved = await this.deps.repo.saveCurrentWithArtists(userId, ranked, starIds, nowMs);
    const recommendations = this.displayed(ranked, saved.artists);
    const fresh = new Set(saved.fresh);
    const list = {
      recommendations,
      generatedAt: new Date(nowMs).toISOString(),
      newArtistIds: recommendations.map((r) => r.artist.id).filter((id) => fresh.has(id)),
    };
    this.deps.onList?.(userId, list);
    return list;
  }

  /** What was recommended while away (resume and offline replies). */
  newSince(userId: string, sinceMs: number): Promise<Array<{ artistId: string; reason: string; createdAt: string }>> {
    return this.deps.repo.madeSince(userId, sinceMs, 20);
  }

  newRecommendationsSince(userId: string, sinceMs: number): Promise<number> {
    return this.deps.repo.countNewSince(userId, sinceMs);
  }

  /** The zoomed artist's orb artists the user has not captured, scored by the influence rule, best first. */
  async suggestionsAfterZoom(userId: string, artistId: string): Promise<Recommendation[]> {
    const { stars, candidates } = await this.deps.repo.zoomSources(userId, artistId);
    const ranked = combineRecommendations([scoreInfluences(candidates, preferencesOf(stars))], SUGGESTIONS_AFTER_ZOOM);
    return this.displayed(ranked, new Map(candidates.map((c) => [c.id, c])));
  }

  private displayed(ranked: readonly ScoredRecommendation[], artists: ReadonlyMap<string, RecommendedArtist>): Recommendation[] {
    return ranked.flatMap((r) => {
      const a: RecommendedArtist | undefined = artists.get(r.artistId);
      if (!a) return []; // removed from the catalog meanwhile
      return [
        {
          artist: { id: a.id, name: a.name, thumbnail: a.thumbnail, station: a.station, genres: a.genres, era: a.era },
          score: Math.round(r.score * 100) / 100,
          reason: r.reason,
          source: r.source,
          connectionText: connectionText(a.connectedFrom),
        },
      ];
    });
  }
}
