import type { AnalyticsRepository } from '../../persistence/analytics/AnalyticsRepository.js';
import type { JobContext, JobResult } from '../jobs/JobScheduler.js';
import { isLowEngagement } from '../../systems/session/sessionMetrics.js';

/** A fast-read cache for these figures (Redis, with a TTL); optional without Redis. */
export interface MetricCache {
  set(key: string, json: string, ttlSec: number): Promise<void>;
}

const DAY_MS = 86_400_000;
/** `trending:daily` expires after an hour; popular paths are recomputed every run anyway. */
const TRENDING_TTL_SEC = 3600;

/**
 * Today's 10 most visited artists and the week's 20 most followed came_from → artist paths into `metric_snapshots`
 * (and the cache); low-engagement alerts for stations whose visitors tap under 0.5 orbs each.
 */
export async function computeGlobalMetrics(repo: AnalyticsRepository, cache: MetricCache | undefined, ctx: Pick<JobContext, 'nowMs'>): Promise<JobResult> {
  const now = new Date(ctx.nowMs);
  const dayAgo = new Date(ctx.nowMs - DAY_MS);
  const trending = await repo.trendingArtists(dayAgo, 10);
  const paths = await repo.popularPaths(new Date(ctx.nowMs - 7 * DAY_MS), 20);
  await repo.saveSnapshot('trending:daily', trending, now);
  await repo.saveSnapshot('popular_paths:weekly', paths, now);
  await cache?.set('trending:daily', JSON.stringify(trending), TRENDING_TTL_SEC);
  await cache?.set('popular_paths:weekly', JSON.stringify(paths), 7 * 24 * 3600);
  const engagement = await repo.stationEngagement(dayAgo);
  const low = engagement
    .filter((e) => isLowEngagement(e.uniqueVisitors, e.orbTaps))
    .map((e) => ({ artistId: e.artistId, value: e.orbTaps / e.uniqueVisitors }));
  const alerts = await repo.raiseAlerts(low, now.toISOString().slice(0, 10));
  return {
    rows: trending.length + paths.length + alerts,
    details: { trending: trending.length, paths: paths.length, stationsChecked: engagement.length, newAlerts: alerts },
  };
}
