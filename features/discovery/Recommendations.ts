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
  type recommendationsSchema,
  type recommendedArtistSchema,
  type ScoredRecommendation,
} from '../../systems/discovery/recommendations.js';
import { LRUCache } from 'lru-cache';
import type { z } from 'zod';
import type { RecommendationRepository, RecommendedArtist, ZoomCandidate } from '../../persistence/discovery/RecommendationRepository.js';
import type { SearchRepository, TasteRow } from '../../persistence/discovery/SearchRepository.js';
import { StatementBatch } from '../../persistence/statementBatch.js';

export type Recommendation = z.infer<typeof recommendedArtistSchema>;
/** `newArtistIds`: in this list and not in the user's previous one (empty on a first list). */
export type RecommendationList = z.infer<typeof recommendationsSchema>;

/** Artist ids trending today, from the coliseum boards. */
export type TrendingSource = (nowMs: number) => Promise<string[]>;

export interface RecommendationDeps {
  repo: Pick<RecommendationRepository, 'sourcesOfMany' | 'zoomCandidates' | 'saveMany' | 'madeSince'>;
  stars: Pick<SearchRepository, 'tastesOf' | 'artistTastes'>;
  trending: TrendingSource;
  now: () => number;
  /** Told of every list computed (after it is stored), off the caller's path. */
  onList?: (userId: string, list: RecommendationList) => void;
}

/** Suggestions after an orb zoom: two shown, one more leaves room for a captured one. */
export const SUGGESTIONS_AFTER_ZOOM = 3;

/**
 * Recomputes after captures wait this long for others to share their three statements (stars, sources, lists): one
 * statement per table per window whatever the number of users, instead of three per user. A list is pushed when ready.
 */
const RECOMPUTE_BATCH_MS = 1000;
const RECOMPUTE_BATCH_MAX = 64;

/**
 * An orb zoom's candidates and the stars' genres are catalog data, kept per process this long so a tap reads nothing:
 * a catalog change reaches suggestions within it (the stations shown keep theirs longer).
 */
const CATALOG_KEPT = { max: 2000, ttl: 60_000 };

export class Recommendations {
  /**
   * The recomputes after captures: `add(userId)` is {@link recommendationsFor} computed with the other users of its
   * window; `hurry()` at shutdown computes the waiting window at once, so a drain does not wait it out.
   */
  readonly batch = new StatementBatch<string, RecommendationList>({
    write: (userIds) => this.computeMany(userIds),
    intervalMs: RECOMPUTE_BATCH_MS,
    maxItems: RECOMPUTE_BATCH_MAX,
    maxWaiting: 100 * RECOMPUTE_BATCH_MAX,
    keyOf: (userId) => userId,
  });

  /** Zoomed artist → its orb targets, one read at a time per artist; a failed read is not kept (lru-cache's fetch). */
  private readonly zoomed = new LRUCache<string, ZoomCandidate[]>({ ...CATALOG_KEPT, fetchMethod: (artistId) => this.deps.repo.zoomCandidates(artistId) });
  /** Artist id → its genres and era (false: not in the catalog). */
  private readonly tastes = new LRUCache<string, TasteRow | false>(CATALOG_KEPT);

  constructor(private readonly deps: RecommendationDeps) {}

  /** Computed at once, stored as the user's current list, and returned (an HTTP read). */
  async recommendationsFor(userId: string): Promise<RecommendationList> {
    return (await this.computeMany([userId]))[0];
  }

  private async computeMany(userIds: readonly string[]): Promise<RecommendationList[]> {
    const nowMs = this.deps.now();
    const [tastes, trending] = await Promise.all([
      this.deps.stars.tastesOf(userIds),
      this.deps.trending(nowMs).catch(() => [] as string[]), // a board outage costs one source, not the list
    ]);
    const inputs = userIds.map((userId, i) => {
      const prefs = preferencesOf(tastes[i]);
      const starIds = [...prefs.captured];
      const collaborative = starIds.length >= MIN_OVERLAP ? { minOverlap: MIN_OVERLAP, maxUsers: MAX_SIMILAR_USERS, limit: MAX_COLLABORATIVE } : null;
      return { userId, prefs, starIds, collaborative, eras: { eras: unexploredEras(prefs), genres: prefs.topGenres, perEra: ERA_ARTISTS } };
    });
    const sources = await this.deps.repo.sourcesOfMany(inputs);
    const lists = inputs.map(({ userId, prefs, starIds }, i) => {
      const { influences, collaborative, eraRows } = sources[i];
      const recs = combineRecommendations([
        scoreInfluences(influences, prefs),
        scoreCollaborative(collaborative, prefs),
        scoreTrending(trending, prefs),
        scoreEraDiscovery(eraRows, prefs),
      ]);
      return { userId, recs, starIds };
    });
    const saved = await this.deps.repo.saveMany(lists, nowMs);
    return lists.map(({ userId, recs }, i) => {
      const recommendations = this.displayed(recs, saved[i].artists);
      const fresh = new Set(saved[i].fresh);
      const list = {
        recommendations,
        generatedAt: new Date(nowMs).toISOString(),
        newArtistIds: recommendations.map((r) => r.artist.id).filter((id) => fresh.has(id)),
      };
      this.deps.onList?.(userId, list);
      return list;
    });
  }

  /** What was recommended while away (resume and offline replies). */
  newSince(userId: string, sinceMs: number): Promise<Array<{ artistId: string; reason: string; createdAt: string }>> {
    return this.deps.repo.madeSince(userId, sinceMs, 20);
  }

  /** The zoomed artist's orb artists not among `starIds`, scored by the influence rule, best first: from process caches. */
  async suggestionsAfterZoom(artistId: string, starIds: ReadonlySet<string>): Promise<Recommendation[]> {
    const [kept, stars] = await Promise.all([this.zoomed.fetch(artistId), this.tastesOfArtists(starIds)]);
    const candidates = kept ?? [];
    const ranked = combineRecommendations([scoreInfluences(candidates, preferencesOf(stars))], SUGGESTIONS_AFTER_ZOOM);
    const shown = new Map<string, RecommendedArtist>();
    for (const c of candidates)
      if (ranked.some((r) => r.artistId === c.id)) shown.set(c.id, { ...c, connectedFrom: c.pointedFrom.find((p) => starIds.has(p.id))?.name ?? null });
    return this.displayed(ranked, shown);
  }

  /** The stars the catalog has, with their genres and era; the ones not kept read in one statement. */
  async tastesOfArtists(ids: ReadonlySet<string>): Promise<TasteRow[]> {
    const out: TasteRow[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const kept = this.tastes.get(id);
      if (kept === undefined) missing.push(id);
      else if (kept) out.push(kept);
    }
    if (!missing.length) return out; // the order does not matter: preferences are counts and sets
    const found = new Map((await this.deps.stars.artistTastes(missing)).map((row) => [row.id, row]));
    for (const id of missing) {
      const row = found.get(id);
      this.tastes.set(id, row ?? false);
      if (row) out.push(row);
    }
    return out;
  }

  private displayed(ranked: readonly ScoredRecommendation[], artists: ReadonlyMap<string, RecommendedArtist>): Recommendation[] {
    return ranked.flatMap((r) => {
      const a: RecommendedArtist | undefined = artists.get(r.artistId);
      if (!a) return []; // removed from the catalog meanwhile
      const artist = { id: a.id, name: a.name, thumbnail: a.thumbnail, station: a.station, genres: a.genres, era: a.era };
      return [{ artist, score: Math.round(r.score * 100) / 100, reason: r.reason, source: r.source, connectionText: connectionText(a.connectedFrom) }];
    });
  }
}
