/**
 * Wiring of search and recommendations (issue 13 parts 3 and 4): repositories, use cases, the
 * off-tick recommendation queue, the session room's port and the HTTP routes' dependencies.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Orm } from '../../persistence/orm.js';
import type { Sql } from '../../persistence/db.js';
import type { LeaderboardStore } from '../../persistence/leaderboard/LeaderboardStore.js';
import { SearchRepository } from '../../persistence/discovery/SearchRepository.js';
import { RecommendationRepository } from '../../persistence/discovery/RecommendationRepository.js';
import { Search } from '../../features/discovery/Search.js';
import { Recommendations } from '../../features/discovery/Recommendations.js';
import { trendingFromBoards } from '../../features/discovery/trending.js';
import { RecommendationQueue } from '../../features/discovery/RecommendationQueue.js';
import type { DiscoveryPort } from '../../rooms/session/ports.js';

export interface Discovery {
  search: Search;
  recommendations: Recommendations;
  queue: RecommendationQueue;
  port: DiscoveryPort;
}

export function createDiscovery(deps: { config: Config; log: Logger; sql: Sql; orm: Orm; store: LeaderboardStore; now?: () => number }): Discovery {
  const now = deps.now ?? Date.now;
  const { search: searchSettings, recommendations: recSettings } = deps.config.discovery;
  const searchRepo = new SearchRepository(deps.sql);
  const search = new Search(searchRepo, { cacheEntries: searchSettings.cacheEntries, cacheTtlMs: searchSettings.cacheTtlSec * 1000 }, now);
  const recommendations = new Recommendations({ repo: new RecommendationRepository(deps.sql, deps.orm), stars: searchRepo, trending: trendingFromBoards(deps.store, now), now });
  const queue = new RecommendationQueue((userId) => recommendations.recommendationsFor(userId), recSettings, deps.log.child({ component: 'recommendations' }));
  const port: DiscoveryPort = {
    search: (query, limit, userId) => search.search(query, limit, userId),
    requestRecommendations: (userId, key, deliver) => void queue.request(userId, key, deliver),
    suggestionsAfterZoom: (userId, artistId) => recommendations.suggestionsAfterZoom(userId, artistId),
  };
  return { search, recommendations, queue, port };
}
