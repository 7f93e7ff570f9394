/**
 * Settings of search and recommendations. Read by loadConfig with the rest;
 * each variable has a row in docs/CONFIG.md.
 */
import { float, int, type Env } from './parse.js';

export interface DiscoveryConfig {
  search: {
    /** The similarity query's candidates kept per process, keyed by (query, limit) whoever asked: an LRU (the caller's taste is applied on every search). */
    cacheEntries: number;
    cacheTtlSec: number;
    /** Largest `limit` of a search (above it: 400 / BAD_INPUT naming the field). */
    maxLimit: number;
    /** Factor for a result in one of the caller's decades; 1 = off (seed 000 step 13.4 boosts genres only). */
    eraBoost: number;
  };
  recommendations: {
    /** Users waiting for a recomputation after a capture; when full the oldest request is dropped. */
    maxPending: number;
    /** Recomputations running at once per process. */
    concurrency: number;
    /** Least time between two recomputations of one user; captures meanwhile fold into the next one. */
    minIntervalMs: number;
  };
}

export function discoveryConfig(env: Env): { discovery: DiscoveryConfig } {
  return {
    discovery: {
      search: {
        cacheEntries: int(env, 'SEARCH_CACHE_ENTRIES', 1000, 10, 1_000_000),
        // Brief: a catalog change or a new star shows within a minute; a repeated keystroke is free.
        cacheTtlSec: int(env, 'SEARCH_CACHE_TTL_SEC', 60, 1, 3600),
        maxLimit: int(env, 'SEARCH_MAX_LIMIT', 50, 1, 200),
        eraBoost: float(env, 'SEARCH_ERA_BOOST', 1, 1, 2),
      },
      recommendations: {
        maxPending: int(env, 'RECOMMENDATION_QUEUE_MAX', 1000, 1, 1_000_000),
        concurrency: int(env, 'RECOMMENDATION_CONCURRENCY', 2, 1, 64),
        // A list a few captures old is still a good list; a recomputation per capture was a quarter of a session's CPU.
        minIntervalMs: int(env, 'RECOMMENDATION_MIN_INTERVAL_MS', 30_000, 0, 86_400_000),
      },
    },
  };
}
