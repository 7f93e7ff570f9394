/**
 * Artist search (seed 000 step 13): the sanitised query, the pg_trgm candidates, the caller's taste
 * boost (13.4) and the contextual data (13.5). The callers (room and HTTP) log each answer (13.6) with
 * `searchPerformed`, since only they know the session and device. Answers are cached briefly per (query, limit, taste)
 * in a bounded LRU, so a repeated search costs one star read (the taste) and no similarity query.
 */
import { LRUCache } from 'lru-cache';
import { candidatePool, decadeOf, NO_ERA_BOOST, NO_TASTE, rankSearch, tasteKey, type SearchTaste } from '../../systems/discovery/search.js';
import type { SearchRepository, SearchRow } from '../../persistence/discovery/SearchRepository.js';

/** One search result as clients receive it (HTTP and the `search` room reply). */
export interface SearchResult {
  artist: { id: string; name: string; station: number | null; genres: string[]; era: string; thumbnail: string; bioSnippet: string };
  relevanceScore: number;
  /** 13.5: already a star of the caller (always false for an anonymous search). */
  inConstellation: boolean;
  /** 13.5: orbs around this artist (influence_orbs whose source it is). */
  influenceCount: number;
  scenePreview: string;
}

export interface SearchAnswer {
  query: string;
  results: SearchResult[];
  totalResults: number;
  searchTimeMs: number;
  cached: boolean;
}

export interface SearchSettings {
  cacheEntries: number;
  cacheTtlMs: number;
  /** Factor for a result in one of the caller's decades; 1 (the default) = step 13.4's genre-only boost. */
  eraBoost?: number;
}

const SNIPPET_CHARS = 120;

export class Search {
  private readonly cache: LRUCache<string, SearchResult[]>;
  private readonly eraBoost: number;

  constructor(
    private readonly repo: Pick<SearchRepository, 'search' | 'tasteOf'>,
    settings: SearchSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.cache = new LRUCache({ max: settings.cacheEntries, ttl: settings.cacheTtlMs });
    this.eraBoost = settings.eraBoost ?? NO_ERA_BOOST;
  }

  /** `query` must already be parsed (systems/discovery/search.ts parseQuery); `userId` null = anonymous (no boost). */
  async search(query: string, limit: number, userId: string | null): Promise<SearchAnswer> {
    const started = this.now();
    const taste = userId ? await this.tasteOf(userId) : NO_TASTE;
    const key = `${limit}\u0000${query}\u0000${tasteKey(taste.captured)}`;
    let results = this.cache.get(key);
    const cached = results !== undefined;
    if (!results) {
      const rows = await this.repo.search(query, candidatePool(limit));
      results = rankSearch(rows, taste, limit, this.eraBoost).map((r) => toResult(r, taste));
      this.cache.set(key, results);
    }
    return { query, results, totalResults: results.length, searchTimeMs: this.now() - started, cached };
  }

  private async tasteOf(userId: string): Promise<SearchTaste> {
    const stars = await this.repo.tasteOf(userId);
    return {
      genres: new Set(stars.flatMap((s) => s.genres)),
      eras: new Set(stars.map((s) => decadeOf(s.era)).filter((e) => e !== '')),
      captured: new Set(stars.map((s) => s.id)),
    };
  }
}

function toResult(r: SearchRow & { relevance: number }, taste: SearchTaste): SearchResult {
  const bioSnippet = r.bio.length > SNIPPET_CHARS ? `${r.bio.slice(0, SNIPPET_CHARS - 1)}…` : r.bio;
  return {
    artist: { id: r.id, name: r.name, station: r.station, genres: [...r.genres], era: r.era, thumbnail: r.thumbnail, bioSnippet },
    relevanceScore: Math.round(r.relevance * 1e4) / 1e4,
    inConstellation: taste.captured.has(r.id),
    influenceCount: r.influenceCount,
    scenePreview: r.scenePreview,
  };
}
