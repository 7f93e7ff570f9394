import { AnalyticsRepository } from '../../persistence/analytics/AnalyticsRepository.js';
import { MaintenanceRepository } from '../../persistence/analytics/MaintenanceRepository.js';
import { PlatformMetricsRepository } from '../../persistence/analytics/PlatformMetricsRepository.js';
import { ApiStatsRepository } from '../../persistence/analytics/ApiStatsRepository.js';
import { ApiStatsRecorder } from '../../features/analytics/ApiStatsRecorder.js';
import type { GravityRepository } from '../../persistence/gravity/GravityRepository.js';
import type { JobLogRepository } from '../../persistence/jobs/JobLogRepository.js';
import type { StationCache } from '../../persistence/catalog/StationCache.js';
import { aggregateSessions } from '../../features/analytics/aggregateSessions.js';
import { computeGlobalMetrics, type MetricCache } from '../../features/analytics/globalMetrics.js';
import { cleanup, updatePopularity } from '../../features/analytics/maintenance.js';
import { PlatformMetrics } from '../../features/analytics/platformMetrics.js';
import type { Backplane } from '../../persistence/backplane/Backplane.js';
import { analyticsRoutes } from '../http/analyticsRoutes.js';
import { scheduled, type FeatureParts, type WireContext } from './context.js';

/** Session aggregates, global metrics, popularity, cleanup, and the admin KPIs. */
export function wire(ctx: WireContext, deps: { gravity: GravityRepository; jobLogs: JobLogRepository; stationCache: StationCache }): FeatureParts {
  const { config, sql } = ctx;
  const pageSize = config.jobs.aggregationPageSize;
  const analytics = new AnalyticsRepository(sql);
  const maintenance = new MaintenanceRepository(sql);
  const cache = metricCache(ctx.backplane);
  const { apiStats } = config;
  const minuteRetentionMs = apiStats.minuteRetentionHours * 3_600_000;
  const apiStatsRepo = new ApiStatsRepository(sql, { minuteMs: minuteRetentionMs, hourMs: apiStats.hourRetentionDays * 86_400_000 });
  const recorder = new ApiStatsRecorder({
    repo: apiStatsRepo,
    log: ctx.log.child({ component: 'api-stats' }),
    flushMs: apiStats.flushMs,
    maxRoutes: apiStats.maxRoutes,
  });
  ctx.httpMetrics.tap((endpoint, status, seconds) => recorder.observe(endpoint, status, seconds));
  const platformMetrics = new PlatformMetrics({
    repo: new PlatformMetricsRepository(sql),
    api: ctx.httpMetrics,
    apiRanges: apiStatsRepo,
    apiMinuteRetentionMs: minuteRetentionMs,
    ...config.adminMetrics,
  });
  return {
    start: () => {
      recorder.start();
      // Registered after the database: stops first, so the last counts are written.
      ctx.life.add('api-stats', () => recorder.stop());
    },
    routes: analyticsRoutes(platformMetrics, config.adminToken, sql),
    jobs: [
      scheduled(ctx, 'session_aggregation', 'active session metrics, quality labels, user profiles', (job) => aggregateSessions(analytics, pageSize, job)),
      scheduled(ctx, 'global_metrics', 'trending artists, popular paths, low-engagement alerts', (job) => computeGlobalMetrics(analytics, cache, job)),
      scheduled(ctx, 'popularity_scores', 'artist popularity over 7 days', (job) => updatePopularity(maintenance, pageSize, job)),
      scheduled(ctx, 'cleanup', 'stale sessions, expired tokens, decayed edges, old job logs, expired cache entries', (job) =>
        cleanup(
          {
            maintenance,
            gravity: deps.gravity,
            jobLogs: deps.jobLogs,
            purgeStationCache: () => deps.stationCache.purgeExpired(),
            staleSessionHours: config.jobs.staleSessionHours,
            jobLogRetentionDays: config.jobs.logRetentionDays,
            minEdgeWeight: config.gravity.minEdgeWeight,
            dnaHistoryRetentionDays: config.dna.historyRetentionDays,
          },
          job,
        ),
      ),
    ],
  };
}

/** Shared keys (trending:daily, popular_paths:weekly) under REDIS_PREFIX; in memory when alone. */
function metricCache(backplane: Backplane): MetricCache {
  const map = backplane.map('metrics:live');
  return {
    set: async (key, json, ttlSec) => {
      const now = Date.now();
      await map.set(key, json, now, now + ttlSec * 1000);
    },
  };
}
