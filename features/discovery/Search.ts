/**
 * Artist search: sanitised query, pg_trgm candidates, the caller's taste boost. Callers log each answer (they know the
 * session). Similarity rows are cached per (query, pool), whoever asked; the ranking by taste is redone per caller (a
 * session holds its stars: its cached searches read nothing).
 */
import { LRUCache } from 'lru-cache';
import type { z } from 'zod';
import {
  candidatePool,
  decadeOf,
  NO_ERA_BOOST,
  NO_TASTE,
  rankSearch,
  type searchResultSchema,
  type searchSchema,
  type SearchTaste,
} from '../../systems/discovery/search.js';
import type { SearchRepository, SearchRow, TasteRow } from '../../persistence/discovery/SearchRepository.js';

export type SearchResult = z.infer<typeof searchResultSchema>;
/** `cached` is logged, never sent. */
export type SearchAnswer = Omit<z.infer<typeof searchSchema>, 'requestId'> & { cached: boolean };

export interface SearchSettings {
  cacheEntries: number;
  cacheTtlMs: number;
  /** Factor for a result in one of the caller's decades; 1 (the default) boosts by genre only. */
  eraBoost?: number;
}

const SNIPPET_CHARS = 120;

export class Search {
  /** The similarity query's rows by (pool, query), bios cut to their snippet; shared and never changed (ranking copies them). */
  private readonly cache: LRUCache<string, readonly SearchRow[]>;
  private readonly eraBoost: number;

  constructor(
    private readonly repo: Pick<SearchRepository, 'search' | 'tasteOf' | 'searchWithTaste'>,
    settings: SearchSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.cache = new LRUCache({ max: settings.cacheEntries, ttl: settings.cacheTtlMs });
    this.eraBoost = settings.eraBoost ?? NO_ERA_BOOST;
  }

  /** `query` parsed (systems/discovery/search.ts parseQuery). `caller`: a user id (its stars are read), its stars at hand, or null (no boost). */
  async search(query: string, limit: number, caller: string | readonly TasteRow[] | null): Promise<SearchAnswer> {
    const started = this.now();
    const pool = candidatePool(limit);
    const key = `${pool}\u0000${query}`;
    let rows = this.cache.get(key);
    const cached = rows !== undefined;
    let taste = typeof caller === 'string' || caller === null ? NO_TASTE : tasteOf(caller);
    if (typeof caller === 'string' && rows) taste = tasteOf(await this.repo.tasteOf(caller));
    else if (typeof caller === 'string') {
      const read = await this.repo.searchWithTaste(query, pool, caller);
      [rows, taste] = [read.rows, tasteOf(read.stars)];
    } else rows ??= await this.repo.search(query, pool);
    if (!cached) this.cache.set(key, (rows = rows.map(snipped)));
    const results = rankSearch(rows, taste, limit, this.eraBoost).map((r) => toResult(r, taste));
    return { query, results, totalResults: results.length, searchTimeMs: this.now() - started, cached };
  }
}

function tasteOf(stars: readonly TasteRow[]): SearchTaste {
  return {
    genres: new Set(stars.flatMap((s) => s.genres)),
    eras: new Set(stars.map((s) => decadeOf(s.era)).filter((e) => e !== '')),
    captured: new Set(stars.map((s) => s.id)),
  };
}

/** A row as the cache keeps it: only the bio's snippet is ever shown (a whole bio would multiply what an entry holds). */
function snipped(r: SearchRow): SearchRow {
  return r.bio.length > SNIPPET_CHARS ? { ...r, bio: `${r.bio.slice(0, SNIPPET_CHARS - 1)}…` } : r;
}

function toResult(r: SearchRow & { relevance: number }, taste: SearchTaste): SearchResult {
  return {
    artist: { id: r.id, name: r.name, station: r.station, genres: [...r.genres], era: r.era, thumbnail: r.thumbnail, bioSnippet: r.bio },
    relevanceScore: Math.round(r.relevance * 1e4) / 1e4,
    inConstellation: taste.captured.has(r.id),
    influenceCount: r.influenceCount,
    scenePreview: r.scenePreview,
  };
}
