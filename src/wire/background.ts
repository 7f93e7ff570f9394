import type { Backplane } from '../../persistence/backplane/Backplane.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Orm } from '../../persistence/orm.js';
import type { Sql } from '../../persistence/db.js';
import type { StationService } from '../../features/catalog/StationService.js';
import type { StationCache } from '../../persistence/catalog/StationCache.js';
import { CursorProcessor } from '../../features/passport/CursorProcessor.js';
import { gravityEdges } from '../../persistence/gravity/gravityEdges.js';
import { GravityRepository } from '../../persistence/gravity/GravityRepository.js';
import { JobLogRepository } from '../../persistence/jobs/JobLogRepository.js';
import { JobScheduler, type JobDefinition } from '../../features/jobs/JobScheduler.js';
import { AnalyticsRepository } from '../../persistence/analytics/AnalyticsRepository.js';
import { MaintenanceRepository } from '../../persistence/analytics/MaintenanceRepository.js';
import { PassportPartitions } from '../../persistence/passport/PassportPartitions.js';
import { InfluenceRepository } from '../../persistence/influence/InfluenceRepository.js';
import { CatalogGenreSource, DatasetSource } from '../../persistence/influence/sources.js';
import { ArtistAssetStore } from '../../persistence/assets/ArtistAssetStore.js';
import { aggregateSessions } from '../../features/analytics/aggregateSessions.js';
import { computeGlobalMetrics, type MetricCache } from '../../features/analytics/globalMetrics.js';
import { cleanup, updatePopularity } from '../../features/analytics/maintenance.js';
import { buildInfluenceGraph } from '../../features/influence/buildInfluenceGraph.js';
import { AssetPipeline, noBackgroundRemoval } from '../../features/assets/processArtistImage.js';
import { gravityRoutes } from '../http/gravityRoutes.js';
import { assetRoutes, imageUploadBodyRule } from '../http/assetsRoutes.js';
import { jobRoutes } from '../http/jobsRoutes.js';
import { createInsights } from './mediaid.js';
import { cursorJob } from '../../features/jobs/cursorJob.js';
import type { RequestAuth } from '../http/requireUser.js';
import type { RawBodyRoute } from '../http/edge.js';
import type { Route } from '../http/router.js';

/** What the background work (issue 14) hands the wiring: the scheduler to start and stop, routes, the edge's upload rule. */
export interface Background {
  scheduler: JobScheduler;
  gravity: GravityRepository;
  routes: Route[];
  rawBodyRoutes: RawBodyRoute[];
}

export interface BackgroundDeps {
  config: Config;
  log: Logger;
  orm: Orm;
  sql: Sql;
  /** The database URL (the scheduler keeps one connection of its own for its locks). */
  databaseUrl: string;
  backplane: Backplane;
  stations: StationService;
  cache: StationCache;
  auth: RequestAuth;
}


/** The seed's shared keys for global metrics (trending:daily, popular_paths:weekly), under REDIS_PREFIX; kept in memory when alone. */
function metricCache(backplane: Backplane): MetricCache {
  const map = backplane.map({ indexKey: 'metrics:live', keyOf: (key) => key });
  return {
    set: async (key, json, ttlSec) => {
      const now = Date.now();
      await map.set(key, json, now, now + ttlSec * 1000);
    },
  };
}

/** Builds the jobs (seed 000 steps 9–11, seed 001, passport partitions) and their routes. Nothing runs until `scheduler.start()`. */
export function createBackground(deps: BackgroundDeps): Background {
  const { config, log, orm, sql } = deps;
  const gravity = new GravityRepository(sql, { halfLifeDays: config.gravity.halfLifeDays, directoryEntries: config.gravity.trackCacheEntries });
  const logs = new JobLogRepository(orm);
  const analytics = new AnalyticsRepository(sql);
  const maintenance = new MaintenanceRepository(sql);
  const partitions = new PassportPartitions(sql, config.partitions);
  const influence = new InfluenceRepository(sql);
  const sources = [new DatasetSource(config.influence.datasetPath), new CatalogGenreSource(sql)];
  const builder = new CursorProcessor(sql, gravityEdges({ halfLifeDays: config.gravity.halfLifeDays }), log.child({ component: 'gravity' }), { batchSize: config.gravity.batchSize });
  const schedules = config.jobs.schedules;
  const pageSize = config.jobs.aggregationPageSize;
  const invalidateStations = () => deps.stations.invalidate();
  const cache = metricCache(deps.backplane);
  const insights = createInsights({ config, log, orm, sql, auth: deps.auth });

  const jobs: JobDefinition[] = [
    { name: 'gravity_edges', description: 'seed 001: passport player.* events → track gravity edges (cursor consumer)', schedule: schedules.gravity_edges, run: cursorJob(builder, config.gravity.batchSize, config.gravity.maxBatchesPerRun) },
    { name: 'session_aggregation', description: 'step 9.1–9.2: active session metrics, quality labels, user profiles', schedule: schedules.session_aggregation, run: (ctx) => aggregateSessions(analytics, pageSize, ctx) },
    { name: 'global_metrics', description: 'step 9.3: trending artists, popular paths, low-engagement alerts', schedule: schedules.global_metrics, run: (ctx) => computeGlobalMetrics(analytics, cache, ctx) },
    { name: 'popularity_scores', description: 'step 9.4: artist popularity over 7 days', schedule: schedules.popularity_scores, run: (ctx) => updatePopularity(maintenance, pageSize, ctx) },
    {
      name: 'cleanup',
      description: 'step 9.5: stale sessions, expired tokens, decayed edges, old job logs, expired cache entries',
      schedule: schedules.cleanup,
      run: (ctx) => cleanup({ maintenance, gravity, jobLogs: logs, purgeStationCache: () => deps.cache.purgeExpired(), staleSessionHours: config.jobs.staleSessionHours, jobLogRetentionDays: config.jobs.logRetentionDays, minEdgeWeight: config.gravity.minEdgeWeight }, ctx),
    },
    {
      name: 'passport_partitions',
      description: 'passport months: create ahead, archive or drop past retention (step 9.5 archiving)',
      schedule: schedules.passport_partitions,
      run: async (ctx) => {
        const report = await partitions.maintain(ctx.nowMs);
        return { rows: report.created.length + report.archived.length + report.dropped.length + report.movedFromDefault, details: { ...report } };
      },
    },
    {
      name: 'influence_graph',
      description: 'step 11: relationships from the sources, scored, thresholded, laid out as orbs',
      schedule: schedules.influence_graph,
      run: (ctx) => buildInfluenceGraph({ repo: influence, sources, invalidateStations, artistsPerRun: config.influence.artistsPerRun, refreshDays: config.influence.refreshDays, maxOrbs: config.influence.maxOrbs }, ctx),
    },
    // Issue 15 parts 4–6: MediaID DNA mirroring (its routes join the others below).
    ...insights.jobs,
  ];
  const scheduler = new JobScheduler({ jobs, logs, url: deps.databaseUrl, log: log.child({ component: 'jobs' }), enabled: config.jobs.enabled, processName: config.publicAddress, eventJobs: [{ name: 'artist_assets', description: 'step 10: an artist image upload (POST /api/admin/artists/:id/image)' }], stopTimeoutMs: Math.min(5000, config.shutdownTimeoutMs / 2) });

  const store = new ArtistAssetStore(orm);
  const pipeline = new AssetPipeline({ store, remover: noBackgroundRemoval, minSidePx: config.assets.minSidePx, maxConcurrent: config.assets.maxConcurrent, invalidateStations });
  const routes = [
    ...gravityRoutes(gravity, deps.auth, { maxNeighbours: config.gravity.maxNeighbours, maxCandidates: config.gravity.maxCandidates, maxHistory: config.gravity.maxHistory, gravityWeight: config.gravity.gravityWeight }),
    ...assetRoutes(pipeline, store, config.adminToken, (name, work) => scheduler.record(name, work)),
    ...jobRoutes(scheduler, logs, config.adminToken),
    ...insights.routes,
  ];
  return { scheduler, gravity, routes, rawBodyRoutes: [imageUploadBodyRule(config.assets.maxUploadBytes, config.adminToken)] };
}
