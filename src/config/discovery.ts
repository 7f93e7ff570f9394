import { float, int, type Env } from './parse.js';

/** @group discovery */
export function discoveryConfig(env: Env) {
  return {
    discovery: {
      search: {
        /** search candidates cached per process (LRU) per (query, limit), whoever asked; the caller's stars are applied on every search */
        cacheEntries: int(env, 'SEARCH_CACHE_ENTRIES', 1000, 10, 1_000_000),
        /** how long cached search candidates are used */
        // Brief: a catalog change or a new star shows within a minute; a repeated keystroke is free.
        cacheTtlSec: int(env, 'SEARCH_CACHE_TTL_SEC', 60, 1, 3600),
        /** largest `limit` of `GET /api/search` and the `search` message (above: 400 / `BAD_INPUT` naming `limit`) */
        maxLimit: int(env, 'SEARCH_MAX_LIMIT', 50, 1, 200),
        /**
         * factor on a result whose decade is one of the caller's stars' decades, on top of the ×1.2 genre boost; 1 = off. For a catalog whose genres are
         * broad, the decade is what still tells a listener's taste apart: 1.2 weighs it like a genre
         */
        eraBoost: float(env, 'SEARCH_ERA_BOOST', 1, 1, 2),
      },
      recommendations: {
        /** users waiting for a recomputation after a capture (off the rooms' tick); when full the oldest waiting is dropped and counted, never a room blocked */
        maxPending: int(env, 'RECOMMENDATION_QUEUE_MAX', 1000, 1, 1_000_000),
        /** users recomputed at once per process (those of a 1 s window share their three statements) */
        concurrency: int(env, 'RECOMMENDATION_CONCURRENCY', 64, 1, 64),
        /**
         * least time between two recomputations of one user's list: captures meanwhile fold into one recomputation (the list pushed reflects them all),
         * and a client capturing as fast as it may cannot hold a worker for itself. 0 = one per capture
         */
        minIntervalMs: int(env, 'RECOMMENDATION_MIN_INTERVAL_MS', 30_000, 0, 86_400_000),
      },
    },
  };
}
