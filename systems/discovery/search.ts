/**
 * Artist search (seed 000 step 13), the pure part: query sanitising, the relevance formula and the
 * preference boost. The similarity numbers come from Postgres (pg_trgm); everything that turns them
 * into an order lives here so it is unit-tested with the seed's numbers.
 */
import type { ErrorDetail } from '../errors.js';
import type { ServerEvent } from '../passport/build.js';

/** Step 13.3: `SIMILARITY(name) * 3.0 + SIMILARITY(biography) * 1.0 + SIMILARITY(genre) * 1.5`. */
export const SEARCH_WEIGHTS = { name: 3.0, bio: 1.0, genre: 1.5 } as const;
/** Step 13.3's `%` operator matches at pg_trgm's default `similarity_threshold`, 0.3 (the index condition). */
export const SIMILARITY_THRESHOLD = 0.3;
/** Step 13.4: a result in the caller's genres scores 20 % more. */
export const PREFERENCE_BOOST = 1.2;
/** No decade boost: step 13.4 boosts genres only. SEARCH_ERA_BOOST may set one (docs/CONFIG.md). */
export const NO_ERA_BOOST = 1;
/** Step 13.4: an artist already in the caller's constellation scores half. */
export const CAPTURED_FACTOR = 0.5;
/** Seed 000 step 13.1: a query shorter or longer than this is a 400. */
export const QUERY_MIN_CHARS = 2;
export const QUERY_MAX_CHARS = 100;

/** Step 13.1 "remove_special_chars": letters (any script), digits, spaces, and the marks names use. */
const SPECIAL = /[^\p{L}\p{M}\p{N}\s'’&.-]/gu;

/** The query as searched: special characters removed, whitespace collapsed, lower case (the cache key too). */
export function sanitizeQuery(raw: string): string {
  return raw.normalize('NFC').replace(SPECIAL, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The sanitised query, or the per-field problems (a 400 / BAD_INPUT). Length is checked after sanitising. */
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

/** One artist as the similarity query found it. */
export interface SearchCandidate {
  id: string;
  name: string;
  genres: readonly string[];
  era: string;
  nameMatch: number;
  bioMatch: number;
  genreMatch: number;
}

/** What the caller's stars say about their taste (step 13.4); empty for an anonymous search. */
export interface SearchTaste {
  genres: ReadonlySet<string>;
  /** Decades (`1970s`) of their stars: boosted only when an era factor is configured. */
  eras: ReadonlySet<string>;
  captured: ReadonlySet<string>;
}

export const NO_TASTE: SearchTaste = { genres: new Set(), eras: new Set(), captured: new Set() };

/** Step 13.3's relevance_score. */
export function relevanceOf(c: Pick<SearchCandidate, 'nameMatch' | 'bioMatch' | 'genreMatch'>): number {
  return c.nameMatch * SEARCH_WEIGHTS.name + c.bioMatch * SEARCH_WEIGHTS.bio + c.genreMatch * SEARCH_WEIGHTS.genre;
}

/** The decade an era label starts with (`1970s–present` → `1970s`), or '' when it names none. */
export function decadeOf(era: string): string {
  return /^(\d{3}0s)/.exec(era)?.[1] ?? '';
}

/**
 * Step 13.4: ×1.2 when a genre is one of the caller's, ×0.5 when already captured. `eraBoost` (1 by
 * default: off) multiplies a result whose decade is one of the caller's; the seed has no such rule.
 */
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

/** Candidates in result order: boosted relevance descending, then name, then id (a stable order for equal scores). */
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

/** How many rows the similarity query fetches so a boost can lift a result from below the cut: 3 × limit. */
export const candidatePool = (limit: number): number => limit * 3;

/**
 * Step 13.6 "INSERT INTO search_logs": the passport event of one search. Who searched, in which session
 * and when ride on the event's envelope; a search answered from the cache is logged too (`cached`), since
 * the log counts what listeners look for, not the similarity queries run.
 */
export function searchPerformed(query: string, limit: number, results: ReadonlyArray<{ artist: { id: string } }>, cached: boolean): ServerEvent {
  const top = results[0]?.artist.id ?? null;
  return {
    type: 'search.performed',
    entityType: top ? 'artist' : null,
    entityId: top,
    payload: { query, limit, resultCount: results.length, topResultId: top, cached },
  };
}
