/** Artist search ordering: pg_trgm gives the similarities, everything that orders them is here. */
import { z } from 'zod';
import type { ErrorDetail } from '../errors.js';
import { named } from '../shapes.js';
import type { ServerEvent } from '../passport/build.js';

/** SIMILARITY(name) × 3 + SIMILARITY(biography) × 1 + SIMILARITY(genre) × 1.5. */
export const SEARCH_WEIGHTS = { name: 3.0, bio: 1.0, genre: 1.5 } as const;
/** pg_trgm's default `similarity_threshold` (the `%` index condition). */
export const SIMILARITY_THRESHOLD = 0.3;
/** In the caller's genres: +20 %. */
export const PREFERENCE_BOOST = 1.2;
/** Genres only by default; SEARCH_ERA_BOOST may set one. */
export const NO_ERA_BOOST = 1;
/** Already in the caller's constellation: half. */
export const CAPTURED_FACTOR = 0.5;
/** Shorter or longer is a 400. */
export const QUERY_MIN_CHARS = 2;
export const QUERY_MAX_CHARS = 100;

/** Kept: letters (any script), digits, spaces, and the marks names use. */
const SPECIAL = /[^\p{L}\p{M}\p{N}\s'’&.-]/gu;

/** Also the cache key. */
export function sanitizeQuery(raw: string): string {
  return raw.normalize('NFC').replace(SPECIAL, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Length is checked after sanitising. */
export function parseQuery(raw: string | null | undefined): { ok: true; query: string } | { ok: false; details: ErrorDetail[] } {
  if (raw === null || raw === undefined || raw === '')
    return { ok: false, details: [{ field: 'q', message: `required: ${QUERY_MIN_CHARS} to ${QUERY_MAX_CHARS} characters` }] };
  if (raw.length > QUERY_MAX_CHARS) return { ok: false, details: [{ field: 'q', message: `at most ${QUERY_MAX_CHARS} characters (got ${raw.length})` }] };
  const query = sanitizeQuery(raw);
  if (query.length < QUERY_MIN_CHARS)
    return {
      ok: false,
      details: [{ field: 'q', message: `at least ${QUERY_MIN_CHARS} characters of letters or digits (got ${query.length} after removing special characters)` }],
    };
  return { ok: true, query };
}

export interface SearchCandidate {
  id: string;
  name: string;
  genres: readonly string[];
  era: string;
  nameMatch: number;
  bioMatch: number;
  genreMatch: number;
}

/** Empty for an anonymous search. */
export interface SearchTaste {
  genres: ReadonlySet<string>;
  /** Boosted only when an era factor is configured. */
  eras: ReadonlySet<string>;
  captured: ReadonlySet<string>;
}

export const NO_TASTE: SearchTaste = { genres: new Set(), eras: new Set(), captured: new Set() };

export function relevanceOf(c: Pick<SearchCandidate, 'nameMatch' | 'bioMatch' | 'genreMatch'>): number {
  return c.nameMatch * SEARCH_WEIGHTS.name + c.bioMatch * SEARCH_WEIGHTS.bio + c.genreMatch * SEARCH_WEIGHTS.genre;
}

/** `1970s–present` → `1970s`; '' when it names none. */
export function decadeOf(era: string): string {
  return /^(\d{3}0s)/.exec(era)?.[1] ?? '';
}

/** ×1.2 in a caller's genre, ×0.5 when captured; `eraBoost` (off by default) for a caller's decade. */
export function boostedRelevance(c: SearchCandidate, taste: SearchTaste, eraBoost = NO_ERA_BOOST): number {
  let score = relevanceOf(c);
  if (c.genres.some((g) => taste.genres.has(g))) score *= PREFERENCE_BOOST;
  if (eraBoost !== NO_ERA_BOOST) {
    const decade = decadeOf(c.era);
    if (decade !== '' && taste.eras.has(decade)) score *= eraBoost;
  }
  if (taste.captured.has(c.id)) score *= CAPTURED_FACTOR;
  return score;
}

/** Boosted relevance descending, then name, then id (stable for equal scores). */
export function rankSearch<C extends SearchCandidate>(
  candidates: readonly C[],
  taste: SearchTaste,
  limit: number,
  eraBoost = NO_ERA_BOOST,
): Array<C & { relevance: number }> {
  return candidates
    .map((c) => ({ ...c, relevance: boostedRelevance(c, taste, eraBoost) }))
    .sort((a, b) => b.relevance - a.relevance || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, limit);
}

/** 3 × limit, so a boost can lift a result from below the cut. */
export const candidatePool = (limit: number): number => limit * 3;

/** A search answered from the cache is logged too: the log counts what listeners look for, not the queries run. */
export function searchPerformed(query: string, limit: number, results: ReadonlyArray<{ artist: { id: string } }>, cached: boolean): ServerEvent {
  const top = results[0]?.artist.id ?? null;
  return {
    type: 'search.performed',
    entityType: top ? 'artist' : null,
    entityId: top,
    payload: { query, limit, resultCount: results.length, topResultId: top, cached },
  };
}

/** What clients receive (HTTP and the `search` room reply); `Search` builds it. */
/** `inConstellation` is false for an anonymous HTTP search. */
export const searchResultSchema = named(
  z.object({
    artist: named(
      z.object({
        id: z.string(),
        name: z.string(),
        station: z.number().nullable(),
        genres: z.array(z.string()),
        era: z.string(),
        thumbnail: z.string(),
        bioSnippet: z.string(),
      }),
      'SearchArtist',
    ),
    relevanceScore: z.number(),
    inConstellation: z.boolean(),
    influenceCount: z.number().int().min(0),
    scenePreview: z.string(),
  }),
  'SearchResult',
);

/** `requestId` echoes the request's (never present over HTTP). */
export const searchSchema = named(
  z.object({
    query: z.string(),
    results: z.array(searchResultSchema),
    totalResults: z.number().int().min(0),
    searchTimeMs: z.number(),
    requestId: z.string().optional(),
  }),
  'SearchMessage',
);
