import type { LeaderboardStore } from '../../systems/leaderboard/windows.js';
import type { PassportWriter } from '../../features/passport/PassportWriter.js';
import { SearchRepository } from '../../persistence/discovery/SearchRepository.js';
import { RecommendationRepository } from '../../persistence/discovery/RecommendationRepository.js';
import { Search } from '../../features/discovery/Search.js';
import { Recommendations, type RecommendationList } from '../../features/discovery/Recommendations.js';
import { trendingFromBoards } from '../../features/discovery/trending.js';
import { RecommendationQueue } from '../../features/discovery/RecommendationQueue.js';
import type { Registry } from 'prom-client';
import { registerScraped } from '../metrics.js';
import type { DiscoveryPort } from '../../rooms/session/ports.js';
import { discoveryRoutes } from '../http/discoveryRoutes.js';
import { readEventLog } from '../http/passportRoutes.js';
import type { FeatureParts, WireContext } from './context.js';

export interface Discovery {
  search: Search;
  recommendations: Recommendations;
  queue: RecommendationQueue;
  port: DiscoveryPort;
}

/** Search and recommendations: recomputations after captures run off the rooms' tick, on a bounded queue. */
export function wire(
  ctx: WireContext,
  deps: { store: LeaderboardStore; writer: Pick<PassportWriter, 'enqueue'>; onList?: (userId: string, list: RecommendationList) => void },
): FeatureParts & Discovery {
  const { config, sql } = ctx;
  const { search: searchSettings, recommendations: recSettings } = config.discovery;
  const searchRepo = new SearchRepository(sql);
  const search = new Search(
    searchRepo,
    { cacheEntries: searchSettings.cacheEntries, cacheTtlMs: searchSettings.cacheTtlSec * 1000, eraBoost: searchSettings.eraBoost },
    Date.now,
  );
  const recommendations = new Recommendations({
    repo: new RecommendationRepository(sql, ctx.orm),
    stars: searchRepo,
    trending: trendingFromBoards(deps.store, Date.now),
    now: Date.now,
    // The top recommendation is notified when it changes (features/notifications/Notifier.ts).
    onList: deps.onList,
  });
  const queue = new RecommendationQueue((userId) => recommendations.batch.add(userId), recSettings, ctx.log.child({ component: 'recommendations' }));
  ctx.life.add('recommendation-queue', () => (recommendations.batch.hurry(), queue.stop(2000)));
  registerRecommendationQueue(ctx.metrics.registry, () => queue.stats());
  const port: DiscoveryPort = {
    search: async (query, limit, starIds) => search.search(query, limit, await recommendations.tastesOfArtists(starIds)),
    requestRecommendations: (userId, key, deliver) => void queue.request(userId, key, deliver),
    suggestionsAfterZoom: (artistId, starIds) => recommendations.suggestionsAfterZoom(artistId, starIds),
  };
  const routes = discoveryRoutes({
    search,
    recommendations,
    auth: ctx.auth,
    maxSearchLimit: searchSettings.maxLimit,
    logRead: readEventLog(deps.writer, ctx.log),
  });
  return { search, recommendations, queue, port, routes };
}

/** The recommendation queue's outcomes and depth, read from its `stats()` at scrape time. */
export function registerRecommendationQueue(registry: Registry, statsFn: () => ReturnType<RecommendationQueue['stats']>): void {
  const pick =
    (...keys: Array<keyof ReturnType<typeof statsFn>>) =>
    () => {
      const stats = statsFn();
      return Object.fromEntries(keys.map((key) => [key, stats[key]]));
    };
  registerScraped(registry, {
    ds_recommendation_requests_total: [
      'Recommendation recomputations asked for after captures, by outcome (computed, coalesced into a waiting one, deferred by RECOMMENDATION_MIN_INTERVAL_MS, dropped when the queue was full, failed)',
      pick('computed', 'coalesced', 'deferred', 'dropped', 'failed'),
      'outcome',
    ],
    ds_recommendation_queue: ['Recommendation requests waiting and running now', pick('pending', 'running'), 'state'],
  });
}
