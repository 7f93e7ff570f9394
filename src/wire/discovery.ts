/** Search and recommendations: repositories, use cases, the off-tick recommendation queue, the session room's port and the routes. */
import type { LeaderboardStore } from '../../features/leaderboard/LeaderboardStore.js';
import { SearchRepository } from '../../persistence/discovery/SearchRepository.js';
import { RecommendationRepository } from '../../persistence/discovery/RecommendationRepository.js';
import { Search } from '../../features/discovery/Search.js';
import { Recommendations } from '../../features/discovery/Recommendations.js';
import { trendingFromBoards } from '../../features/discovery/trending.js';
import { RecommendationQueue } from '../../features/discovery/RecommendationQueue.js';
import { registerRecommendationQueue } from '../metrics.js';
import type { DiscoveryPort } from '../../rooms/session/ports.js';
import { discoveryRoutes } from '../http/discoveryRoutes.js';
import type { FeatureParts, WireContext } from './context.js';

export interface Discovery {
  search: Search;
  recommendations: Recommendations;
  queue: RecommendationQueue;
  port: DiscoveryPort;
}

/** Search and recommendations: recomputations after captures run off the rooms' tick, on a bounded queue. */
export function wire(ctx: WireContext, deps: { store: LeaderboardStore }): FeatureParts & Discovery {
  const { config, sql } = ctx;
  const { search: searchSettings, recommendations: recSettings } = config.discovery;
  const searchRepo = new SearchRepository(sql);
  const search = new Search(searchRepo, { cacheEntries: searchSettings.cacheEntries, cacheTtlMs: searchSettings.cacheTtlSec * 1000 }, Date.now);
  const recommendations = new Recommendations({ repo: new RecommendationRepository(sql, ctx.orm), stars: searchRepo, trending: trendingFromBoards(deps.store, Date.now), now: Date.now });
  const queue = new RecommendationQueue((userId) => recommendations.recommendationsFor(userId), recSettings, ctx.log.child({ component: 'recommendations' }));
  ctx.life.add('recommendation-queue', () => queue.stop(2000));
  registerRecommendationQueue(ctx.metrics.registry, () => queue.stats());
  const port: DiscoveryPort = {
    search: (query, limit, userId) => search.search(query, limit, userId),
    requestRecommendations: (userId, key, deliver) => void queue.request(userId, key, deliver),
    suggestionsAfterZoom: (userId, artistId) => recommendations.suggestionsAfterZoom(userId, artistId),
  };
  const routes = discoveryRoutes({ search, recommendations, auth: ctx.auth, maxSearchLimit: searchSettings.maxLimit });
  return { search, recommendations, queue, port, routes };
}
