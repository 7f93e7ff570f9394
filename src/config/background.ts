/**
 * Settings of the background work: gravity layer, scheduled jobs, influence builder, asset
 * pipeline, passport partitions. Read by loadConfig with the rest; each variable has a row in docs/CONFIG.md.
 */
import { ConfigError } from '../errors.js';
import { cron, float, bool, int, oneOf, optionalString, optionalText, url, type Env } from './parse.js';

/** Gravity layer (seed 001): the edge builder's batches and decay, the read bounds, the radio blend. */
export interface GravityConfig {
  halfLifeDays: number;
  /** Passport rows per builder transaction. */
  batchSize: number;
  /** Batches per scheduled run; the rest waits for the next run (shutdown never waits for a backlog). */
  maxBatchesPerRun: number;
  maxNeighbours: number;
  maxCandidates: number;
  maxHistory: number;
  /** Share of gravity in the radio ranking, 0..1. */
  gravityWeight: number;
  /** Tracks whose artist is remembered in process (POST /event enrichment), and for how long. */
  trackCacheEntries: number;
  trackCacheTtlMs: number;
  /** Edges decayed below this weight are deleted by the cleanup job. */
  minEdgeWeight: number;
}

/** Every scheduled job, with its default cron pattern (UTC; 5 fields, or 6 with seconds). */
export const JOB_DEFAULT_SCHEDULES = {
  gravity_edges: '* * * * *',
  session_aggregation: '*/5 * * * *',
  global_metrics: '*/5 * * * *',
  popularity_scores: '15 * * * *',
  cleanup: '30 * * * *',
  passport_partitions: '10 2 * * *',
  influence_graph: '0 3 * * *',
} as const;
export type JobName = keyof typeof JOB_DEFAULT_SCHEDULES;
export const JOB_NAMES = Object.keys(JOB_DEFAULT_SCHEDULES) as JobName[];

export interface JobsConfig {
  /** This process takes part in running schedules (each slot still runs once across processes). */
  enabled: boolean;
  /** Cron pattern per job (JOB_CRON_<NAME>); null = not scheduled (still runnable from /ops). */
  schedules: Record<JobName, string | null>;
  /** job_logs rows older than this are deleted by the cleanup job. */
  logRetentionDays: number;
  /** Sessions rows per page in the aggregation job. */
  aggregationPageSize: number;
  /** Open sessions idle this long are closed by the cleanup job. */
  staleSessionHours: number;
}

export interface InfluenceConfig {
  /** Artists recomputed per run (seed 11.a: 50 a day). */
  artistsPerRun: number;
  /** An artist is due again after this many days (seed 11.a: 7). */
  refreshDays: number;
  /** Orbs kept per artist (the strongest above the threshold). */
  maxOrbs: number;
  /** The local source's dataset file; default the shipped persistence/influence/dataset.json. */
  datasetPath?: string;
}

export interface AssetsConfig {
  /** Largest image upload; only `POST /api/admin/artists/:id/image` with an image type and the admin token gets it. */
  maxUploadBytes: number;
  /** Smallest side accepted (seed 10.1: 2000 px). */
  minSidePx: number;
  /** Uploads processed at once per process; more are answered 503 BUSY. */
  maxConcurrent: number;
  /** Background removal step (seed 10.2): `model` runs the shipped segmentation model in a worker thread; `none` passes the image through. */
  backgroundRemoval: 'model' | 'none';
  /** Largest decoded image (width × height) taken: a small file declaring huge dimensions is refused before it is decoded. */
  maxInputPixels: number;
  /** How long one image may take in the segmentation model (its worker is ended past it). */
  segmentTimeoutMs: number;
  /** Images waiting for the model at once per process; more are refused 503. */
  segmentMaxWaiting: number;
  /** Seed 10.2: a cut-out the model is less sure of than this goes to the /ops review queue instead of going live. */
  reviewConfidence: number;
  /** `low_confidence` (the seed), `always` (every upload waits for an operator) or `never`. */
  review: 'low_confidence' | 'always' | 'never';
  /** Seed 10.8 completion webhook: where `artist_assets_ready` is POSTed (unset: no webhook). */
  webhookUrl: string | undefined;
  /** The HMAC-SHA256 secret the webhook is signed with (required with the URL). */
  webhookSecret: string | undefined;
  /** Deliveries tried per event before it is given up (kept as failed). */
  webhookMaxAttempts: number;
  /** First retry delay; doubles per attempt up to webhookMaxDelayMs. */
  webhookBaseDelayMs: number;
  webhookMaxDelayMs: number;
  /** One delivery's time limit. */
  webhookTimeoutMs: number;
  /** Deliveries waiting at most; past it the oldest waiting are dropped (logged). */
  webhookQueueMax: number;
  /** Draw generated artwork at boot for artists on the dial with no image (the demo catalog ships none). */
  artwork: boolean;
  /** fontconfig's file for the pictures' text; unset: the bundled DejaVu, then the host's fonts (src/config/fontconfig.ts). */
  fontconfigFile: string | undefined;
  /** Artists drawn per artwork run (each ~1 s of one core). */
  artworkPerRun: number;
}

export interface PartitionsConfig {
  aheadMonths: number;
  retentionMonths: number;
  archiveMonths: number;
  /** Longest wait of the partition job's DDL for its lock on the passport table; past it the run is retried later. */
  lockTimeoutMs: number;
}

/** Everything above, as loadConfig spreads it into {@link Config}. */
export interface BackgroundConfig {
  gravity: GravityConfig;
  jobs: JobsConfig;
  influence: InfluenceConfig;
  assets: AssetsConfig;
  partitions: PartitionsConfig;
}

function jobSchedules(env: Env): Record<JobName, string | null> {
  return Object.fromEntries(JOB_NAMES.map((job) => [job, cron(env, `JOB_CRON_${job.toUpperCase()}`, JOB_DEFAULT_SCHEDULES[job])])) as Record<
    JobName,
    string | null
  >;
}

/** Defaults, then environment, validated (ConfigError naming the variable). */
export function backgroundConfig(env: Env): BackgroundConfig {
  const config = readBackgroundConfig(env);
  const { webhookUrl, webhookSecret, webhookBaseDelayMs, webhookMaxDelayMs } = config.assets;
  // An unsigned completion webhook would let anyone who learns the URL forge "assets ready".
  if (webhookUrl && !webhookSecret)
    throw new ConfigError('ASSET_WEBHOOK_SECRET', 'is required with ASSET_WEBHOOK_URL (at least 16 characters): every delivery is signed.');
  if (webhookMaxDelayMs < webhookBaseDelayMs)
    throw new ConfigError('ASSET_WEBHOOK_MAX_DELAY_MS', `${webhookMaxDelayMs} is below ASSET_WEBHOOK_BASE_DELAY_MS (${webhookBaseDelayMs}).`);
  return config;
}

function readBackgroundConfig(env: Env): BackgroundConfig {
  return {
    gravity: {
      halfLifeDays: float(env, 'GRAVITY_HALF_LIFE_DAYS', 14, 0.5, 3650),
      // 50,000 rows per transaction: one statement of ~0.3 s at the measured rate (BENCHMARKS.md "Gravity layer").
      batchSize: int(env, 'GRAVITY_BATCH_SIZE', 50_000, 100, 1_000_000),
      maxBatchesPerRun: int(env, 'GRAVITY_MAX_BATCHES_PER_RUN', 20, 1, 10_000),
      maxNeighbours: int(env, 'GRAVITY_MAX_NEIGHBOURS', 100, 1, 1000),
      maxCandidates: int(env, 'RADIO_RANK_MAX_CANDIDATES', 500, 1, 10_000),
      maxHistory: int(env, 'RADIO_RANK_MAX_HISTORY', 1000, 0, 100_000),
      gravityWeight: float(env, 'RADIO_GRAVITY_WEIGHT', 0.3, 0, 1),
      trackCacheEntries: int(env, 'GRAVITY_TRACK_CACHE_ENTRIES', 10_000, 10, 10_000_000),
      trackCacheTtlMs: int(env, 'GRAVITY_TRACK_CACHE_TTL_MS', 60_000, 0, 86_400_000),
      minEdgeWeight: float(env, 'GRAVITY_MIN_EDGE_WEIGHT', 0.01, 0, 1000),
    },
    jobs: {
      enabled: bool(env, 'JOBS_ENABLED', true),
      schedules: jobSchedules(env),
      logRetentionDays: int(env, 'JOB_LOG_RETENTION_DAYS', 30, 1, 3650),
      aggregationPageSize: int(env, 'AGGREGATION_PAGE_SIZE', 5000, 100, 100_000),
      staleSessionHours: int(env, 'STALE_SESSION_HOURS', 24, 1, 24 * 365),
    },
    influence: {
      artistsPerRun: int(env, 'INFLUENCE_ARTISTS_PER_RUN', 50, 1, 100_000),
      refreshDays: int(env, 'INFLUENCE_REFRESH_DAYS', 7, 0, 365),
      maxOrbs: int(env, 'INFLUENCE_MAX_ORBS', 8, 1, 64),
      datasetPath: optionalText(env, 'INFLUENCE_DATASET'),
    },
    assets: {
      maxUploadBytes: int(env, 'ASSET_MAX_UPLOAD_BYTES', 20 * 1024 * 1024, 1024, 256 * 1024 * 1024),
      minSidePx: int(env, 'ASSET_MIN_SIDE_PX', 2000, 1, 20_000),
      maxConcurrent: int(env, 'ASSET_MAX_CONCURRENT', 2, 1, 16),
      backgroundRemoval: oneOf(env, 'ASSET_BACKGROUND_REMOVAL', ['model', 'none'] as const, 'model'),
      // 40 MP: a 6000 × 6000 photo passes; its decoded RGBA is 160 MB, what one upload may cost.
      maxInputPixels: int(env, 'ASSET_MAX_INPUT_PIXELS', 40_000_000, 10_000, 200_000_000),
      segmentTimeoutMs: int(env, 'ASSET_SEGMENT_TIMEOUT_MS', 30_000, 100, 600_000),
      segmentMaxWaiting: int(env, 'ASSET_SEGMENT_MAX_WAITING', 4, 1, 64),
      reviewConfidence: float(env, 'ASSET_REVIEW_CONFIDENCE', 0.85, 0, 1),
      review: oneOf(env, 'ASSET_REVIEW', ['low_confidence', 'always', 'never'] as const, 'low_confidence'),
      webhookUrl: url(env, 'ASSET_WEBHOOK_URL', ['http:', 'https:']),
      webhookSecret: optionalString(env, 'ASSET_WEBHOOK_SECRET', 16),
      webhookMaxAttempts: int(env, 'ASSET_WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
      webhookBaseDelayMs: int(env, 'ASSET_WEBHOOK_BASE_DELAY_MS', 2000, 10, 3_600_000),
      webhookMaxDelayMs: int(env, 'ASSET_WEBHOOK_MAX_DELAY_MS', 600_000, 10, 86_400_000),
      webhookTimeoutMs: int(env, 'ASSET_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      webhookQueueMax: int(env, 'ASSET_WEBHOOK_QUEUE_MAX', 1000, 1, 1_000_000),
      artwork: bool(env, 'ASSET_ARTWORK', true),
      artworkPerRun: int(env, 'ASSET_ARTWORK_PER_RUN', 200, 1, 100_000),
      fontconfigFile: optionalText(env, 'FONTCONFIG_FILE'),
    },
    partitions: {
      aheadMonths: int(env, 'PASSPORT_PARTITIONS_AHEAD', 3, 1, 24),
      retentionMonths: int(env, 'PASSPORT_RETENTION_MONTHS', 13, 1, 1200),
      archiveMonths: int(env, 'PASSPORT_ARCHIVE_MONTHS', 0, 0, 1200),
      // The DDL queues behind the writer's inserts: 5 s is many flushes, and waiting inserts queue behind the DDL meanwhile.
      lockTimeoutMs: int(env, 'PASSPORT_PARTITIONS_LOCK_TIMEOUT_MS', 5000, 100, 600_000),
    },
  };
}
