/**
 * Settings of search and recommendations. Read by loadConfig with the rest;
 * each variable has a row in docs/CONFIG.md.
 */
import { float, int, type Env } from './parse.js';

/** @group discovery */
export function discoveryConfig(env: Env) {
  return {
    discovery: {
      search: {
        /**
         * search candidates (the similarity query's rows) cached per process (LRU) per (query, limit), whoever asked; the caller's stars are applied on every
         * search; when full the least recently used is evicted
         */
        cacheEntries: int(env, 'SEARCH_CACHE_ENTRIES', 1000, 10, 1_000_000),
        /** how long cached search candidates are used */
        // Brief: a catalog change or a new star shows within a minute; a repeated keystroke is free.
        cacheTtlSec: int(env, 'SEARCH_CACHE_TTL_SEC', 60, 1, 3600),
        /** largest `limit` of `GET /api/search` and the `search` message (above: 400 / `BAD_INPUT` naming `limit`) */
        maxLimit: int(env, 'SEARCH_MAX_LIMIT', 50, 1, 200),
        /**
         * factor on a search result whose decade is one of the caller's stars' decades, applied with step 13.4's ×1.2 genre boost (so a result matching both
         * scores ×1.2 × this). 1 = off, the seed's rule. For a catalog whose genres are broad (most stations share one), the decade is what still tells a
         * listener's taste apart: 1.2 weighs it like a genre
         */
        eraBoost: float(env, 'SEARCH_ERA_BOOST', 1, 1, 2),
      },
      recommendations: {
        /**
         * users waiting for a recomputation after a capture (off the rooms' tick; one entry per user); when full the oldest waiting user is dropped and
         * counted, never a room blocked
         */
        maxPending: int(env, 'RECOMMENDATION_QUEUE_MAX', 1000, 1, 1_000_000),
        /** recomputations running at once per process */
        concurrency: int(env, 'RECOMMENDATION_CONCURRENCY', 2, 1, 64),
        /**
         * least time between two recomputations of one user's list: a capture sooner than that after the last one waits for the interval to end, and every
         * capture meanwhile folds into that one recomputation (so the list pushed reflects them all). In the load test's journey (1,500 sessions) a local
         * build that skipped the recomputation altogether ran the server at 25 % of a core against 32–33 %, and the 30 s interval halved the recomputations
         * for about one point (docs/benchmarks-archive.md "Server CPU per session"); it also keeps a client that captures as fast as it may from holding a
         * worker for itself. 0 = one per capture, as before
         */
        // A list a few captures old is still a good list; a recomputation per capture was a quarter of a session's CPU.
        minIntervalMs: int(env, 'RECOMMENDATION_MIN_INTERVAL_MS', 30_000, 0, 86_400_000),
      },
    },
  };
}
