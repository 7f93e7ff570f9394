/** Background work: gravity layer, scheduled jobs, influence builder, asset pipeline, passport partitions. */
import { ConfigError } from '../errors.js';
import { bounded, cron, float, bool, int, oneOf, optionalString, optionalText, url, type Env } from './parse.js';

/** UTC; 5 fields, or 6 with seconds. */
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

/** The asset completion webhook: unsigned, anyone who learns the URL could forge "assets ready". @group assets */
function assetWebhook(env: Env) {
  /** where `artist_assets_ready` is POSTed once an artist's assets are live; unset: no webhook */
  const webhookUrl = url(env, 'ASSET_WEBHOOK_URL', ['http:', 'https:']);
  /** HMAC-SHA256 secret of the completion webhook (≥ 16 characters; required with the URL): `Asset-Signature: t=<unix s>,v1=<hex HMAC of "<t>.<raw body>">` */
  const secret = optionalString(env, 'ASSET_WEBHOOK_SECRET', 16);
  if (webhookUrl && !secret)
    throw new ConfigError('ASSET_WEBHOOK_SECRET', 'is required with ASSET_WEBHOOK_URL (at least 16 characters): every delivery is signed.');
  /** deliveries tried per event (a non-2xx answer or no answer is a failure) before it is kept as failed */
  const maxAttempts = int(env, 'ASSET_WEBHOOK_MAX_ATTEMPTS', 8, 1, 50);
  /** first retry delay; doubled per attempt, at most `ASSET_WEBHOOK_MAX_DELAY_MS` */
  const baseDelayMs = int(env, 'ASSET_WEBHOOK_BASE_DELAY_MS', 2000, 10, 3_600_000);
  /** longest retry delay */
  const maxDelayMs = int(env, 'ASSET_WEBHOOK_MAX_DELAY_MS', 600_000, 10, 86_400_000);
  bounded('ASSET_WEBHOOK_MAX_DELAY_MS', maxDelayMs, '≥', 'ASSET_WEBHOOK_BASE_DELAY_MS', baseDelayMs, 'it bounds the doubled delays');
  return {
    url: webhookUrl,
    secret,
    maxAttempts,
    baseDelayMs,
    maxDelayMs,
    /** time limit of one delivery */
    timeoutMs: int(env, 'ASSET_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    /** deliveries kept waiting in Postgres at most; past it the oldest waiting ones are dropped (logged) */
    queueMax: int(env, 'ASSET_WEBHOOK_QUEUE_MAX', 1000, 1, 1_000_000),
  };
}

export function backgroundConfig(env: Env) {
  return {
    /** @group gravity */
    gravity: {
      /** half-life of a listening signal in the gravity graph */
      halfLifeDays: float(env, 'GRAVITY_HALF_LIFE_DAYS', 14, 0.5, 3650),
      /** passport rows per edge-builder transaction */
      batchSize: int(env, 'GRAVITY_BATCH_SIZE', 50_000, 100, 1_000_000),
      /** batches per `gravity_edges` run; a bigger backlog waits for the next run (once a minute) */
      maxBatchesPerRun: int(env, 'GRAVITY_MAX_BATCHES_PER_RUN', 20, 1, 10_000),
      /** largest `limit` of `gravity_neighbors` (above: 400) */
      maxNeighbours: int(env, 'GRAVITY_MAX_NEIGHBOURS', 100, 1, 1000),
      /** most candidates one rank request may send (above: 400 naming the field) */
      maxCandidates: int(env, 'RADIO_RANK_MAX_CANDIDATES', 500, 1, 10_000),
      /** most history entries one rank request may send (above: 400 naming the field) */
      maxHistory: int(env, 'RADIO_RANK_MAX_HISTORY', 1000, 0, 100_000),
      /** share of gravity in the radio ranking (the rest is embedding similarity) */
      gravityWeight: float(env, 'RADIO_GRAVITY_WEIGHT', 0.3, 0, 1),
      /** track → artist lookups remembered per process (LRU for `GRAVITY_TRACK_CACHE_TTL_MS`; misses too) */
      trackCacheEntries: int(env, 'GRAVITY_TRACK_CACHE_ENTRIES', 10_000, 10, 10_000_000),
      /** how long a remembered track → artist lookup holds (a miss too): a track added to the catalog is found by `POST /event` at most this late */
      trackCacheTtlMs: int(env, 'GRAVITY_TRACK_CACHE_TTL_MS', 60_000, 0, 86_400_000),
      /** edges decayed below this are deleted by `cleanup` */
      minEdgeWeight: float(env, 'GRAVITY_MIN_EDGE_WEIGHT', 0.01, 0, 1000),
    },
    /** @group jobs */
    jobs: {
      /** this process takes part in running schedules (each slot still runs in one process only) and polls the leaderboard rollups; `false`: "run now" only */
      enabled: bool(env, 'JOBS_ENABLED', true),
      /** a job's cron pattern (UTC; 5 fields, or 6 with seconds), or `off` (runs only from /ops). Checked at boot */
      schedules: Object.fromEntries(JOB_NAMES.map((job) => [job, cron(env, `JOB_CRON_${job.toUpperCase()}`, JOB_DEFAULT_SCHEDULES[job])])) as Record<
        JobName,
        string | null
      >,
      /** `job_logs` rows older than this are deleted by the `cleanup` job */
      logRetentionDays: int(env, 'JOB_LOG_RETENTION_DAYS', 30, 1, 3650),
      /** sessions (and artists, for popularity) per page and transaction in the aggregation jobs; a run stops between pages on shutdown @group analytics */
      aggregationPageSize: int(env, 'AGGREGATION_PAGE_SIZE', 5000, 100, 100_000),
      /** sessions left open (a room that crashed never ended them) and idle this long are closed by `cleanup` @group analytics */
      staleSessionHours: int(env, 'STALE_SESSION_HOURS', 24, 1, 24 * 365),
    },
    /** @group influence */
    influence: {
      /** artists recomputed per run */
      artistsPerRun: int(env, 'INFLUENCE_ARTISTS_PER_RUN', 50, 1, 100_000),
      /** how old an artist's computation must be to be redone */
      refreshDays: int(env, 'INFLUENCE_REFRESH_DAYS', 7, 0, 365),
      /** orbs kept per artist (the strongest above the 0.5 threshold); more crowd the scene and cost patch bytes */
      maxOrbs: int(env, 'INFLUENCE_MAX_ORBS', 8, 1, 64),
      /** the local relationship source's file @default the shipped persistence/influence/dataset.json */
      datasetPath: optionalText(env, 'INFLUENCE_DATASET'),
    },
    /** @group assets */
    assets: {
      /** largest image upload (`POST /api/admin/artists/:id/image` with the admin token; everyone else keeps `HTTP_MAX_BODY_BYTES`) */
      maxUploadBytes: int(env, 'ASSET_MAX_UPLOAD_BYTES', 20 * 1024 * 1024, 1024, 256 * 1024 * 1024),
      /** smallest width and height accepted (400 below) */
      minSidePx: int(env, 'ASSET_MIN_SIDE_PX', 2000, 1, 20_000),
      /** uploads processed at once per process; more get 503 `BACKPRESSURE` + `Retry-After` */
      maxConcurrent: int(env, 'ASSET_MAX_CONCURRENT', 2, 1, 16),
      /** background removal: `model` runs MediaPipe Selfie Segmentation in a worker thread, `none` keeps the image whole */
      backgroundRemoval: oneOf(env, 'ASSET_BACKGROUND_REMOVAL', ['model', 'none'] as const, 'model'),
      /** largest width × height an upload may declare; more is refused 413 `IMAGE_TOO_LARGE` from the header alone, before any decoding */
      maxInputPixels: int(env, 'ASSET_MAX_INPUT_PIXELS', 40_000_000, 10_000, 200_000_000),
      /** time one image may spend in the segmentation model; past it the worker is ended and the upload answered 503 `PROCESSING_FAILED` */
      segmentTimeoutMs: int(env, 'ASSET_SEGMENT_TIMEOUT_MS', 30_000, 100, 600_000),
      /** images waiting for the segmentation model at once per process; more are answered 503 `PROCESSING_FAILED` */
      segmentMaxWaiting: int(env, 'ASSET_SEGMENT_MAX_WAITING', 4, 1, 64),
      /** a cut-out whose model confidence (mean |2p − 1| of the mask) is below this waits in the /ops review queue instead of going live */
      reviewConfidence: float(env, 'ASSET_REVIEW_CONFIDENCE', 0.85, 0, 1),
      /** `low_confidence` (only unsure cut-outs wait for an operator), `always` or `never` */
      review: oneOf(env, 'ASSET_REVIEW', ['low_confidence', 'always', 'never'] as const, 'low_confidence'),
      webhook: assetWebhook(env),
      /** after boot, draw a poster for each artist on the dial without an image and run it through the pipeline, so every station has a picture */
      artwork: bool(env, 'ASSET_ARTWORK', true),
      /** artists drawn per artwork run (~1 s of one core each); the job `artist_artwork` in /ops draws the next ones on demand */
      artworkPerRun: int(env, 'ASSET_ARTWORK_PER_RUN', 200, 1, 100_000),
      /** fontconfig's own variable, for the text in the server's pictures; unset, the server writes one listing the bundled fonts first */
      fontconfigFile: optionalText(env, 'FONTCONFIG_FILE'),
    },
    /** @group passport */
    partitions: {
      /** months of passport partitions created ahead of the current one */
      aheadMonths: int(env, 'PASSPORT_PARTITIONS_AHEAD', 3, 1, 24),
      /** months kept in `passport_entries` (the current one included); older months are retired by `passport_partitions` */
      retentionMonths: int(env, 'PASSPORT_RETENTION_MONTHS', 13, 1, 1200),
      /** months a retired month stays in schema `passport_archive` (out of every query, e.g. for an export) before it is dropped; 0 drops it at once */
      archiveMonths: int(env, 'PASSPORT_ARCHIVE_MONTHS', 0, 0, 1200),
      /** longest wait of the `passport_partitions` job's DDL for its lock on `passport_entries` (inserts queue behind it); past it the next run retries */
      lockTimeoutMs: int(env, 'PASSPORT_PARTITIONS_LOCK_TIMEOUT_MS', 5000, 100, 600_000),
    },
  };
}
