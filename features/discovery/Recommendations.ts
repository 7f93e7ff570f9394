/**
 * The recommendations engine (seed 000 step 12): loads the user's stars and the four sources, scores
 * them with systems/discovery/recommendations.ts, adds the artists' display data and keeps the list (so what is
 * new since a given time is one count). Also step 6.8's "you might also like" after an orb zoom,
 * scored by the same influence rule. Nothing here knows about rooms or HTTP.
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

/** Artist ids trending today (seed 12.5 "trending:daily"), from the coliseum boards. */
export type TrendingSource = (nowMs: number) => Promise<string[]>;

export interface RecommendationDeps {
  repo: Pick<RecommendationRepository, 'sourcesOf' | 'zoomSources' | 'saveCurrentWithArtists' | 'countNewSince' | 'madeSince'>;
  stars: Pick<SearchRepository, 'tasteOf'>;
  trending: TrendingSource;
  now: () => number;
  /** Told of every list computed (after it is stored), off the caller's path: step 12.10's notification. */
  onList?: (userId: string, list: RecommendationList) => void;
}

/** Step 6.8: suggestions after an orb zoom (the seed shows two; one more leaves room for a captured one). */
export const SUGGESTIONS_AFTER_ZOOM = 3;

export class Recommendations {
  constructor(private readonly deps: RecommendationDeps) {}

  /** Step 12 for `userId`: computed, stored as the user's current list, and returned. */
  async recommendationsFor(userId: string): Promise<RecommendationList> {
    const nowMs = this.deps.now();
    const stars = await this.deps.stars.tasteOf(userId);
    const prefs = preferencesOf(stars);
    const starIds = [...prefs.captured];
    const eras = unexploredEras(prefs);
    // Three statements (stars; the three sources; the list saved with its display data), not six: the
    // node side of each round trip is most of a capture's server cost (BENCHMARKS.md "Active sessions per core").
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

  /** Seed 000 step 14.4, for the resume welcome: how many current recommendations appeared after `sinceMs`. */
  /** The session room's resume and offline replies (rooms/session RecommendationsPort): what was recommended while away. */
  newSince(userId: string, sinceMs: number): Promise<Array<{ artistId: string; reason: string; createdAt: string }>> {
    return this.deps.repo.madeSince(userId, sinceMs, 20);
  }

  newRecommendationsSince(userId: string, sinceMs: number): Promise<number> {
    return this.deps.repo.countNewSince(userId, sinceMs);
  }

  /**
   * Step 6.8: after an orb zoom lands on `artistId`, its orbs' artists the user has not captured,
   * scored by the step 12.3 rule (reason: how each relates to the artist), best first.
   */
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
