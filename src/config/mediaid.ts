/**
 * Settings of MediaID DNA and Coliseum reports. Read by loadConfig with the rest;
 * each variable has a row in docs/CONFIG.md and the defaults are argued in docs/FEATURES.md "MediaID DNA".
 */
import { cron, float, int, type Env } from './parse.js';

export interface DnaConfig {
  /** Floats per domain vector (4 domains); feature-hashed tokens land in them. */
  dims: number;
  /** Carbon decay: a mirrored signal weighs half after this many days. */
  halfLifeDays: number;
  /** Weight of the MediaID bases against the mirrored behaviour (a fresh play weighs 1). */
  baseWeight: number;
  /** Passport rows per mirroring transaction, and batches per scheduled run. */
  batchSize: number;
  maxBatchesPerRun: number;
  /** The `dna_mirroring` job's cron pattern (JOB_CRON_DNA_MIRRORING); null = only from /ops. */
  schedule: string | null;
  /** Users held by the in-process match index (the rest are left out, and the API says so). */
  indexMaxUsers: number;
  /** The match index is rebuilt from Postgres when older than this. */
  indexTtlSec: number;
  /** Profiles read per statement while the match index loads. */
  indexPageSize: number;
  /** Passport events a manual recompute replays (the newest). */
  recomputeMaxEvents: number;
  /** Rows of one passport export (JSON lines). */
  exportMaxRows: number;
  /** DNA snapshots kept per user (the evolution timeline); the oldest go as new ones come. */
  historyMaxPerUser: number;
  /** The mirroring snapshots a user's DNA at most this often (a manual recompute always does). */
  historyMinIntervalSec: number;
  /** Snapshots older than this are deleted by the cleanup job. */
  historyRetentionDays: number;
}

export interface ReportsConfig {
  /** Listeners whose DNA one report analyses. */
  maxListeners: number;
  /** Longest time range of a report. */
  maxRangeDays: number;
  /** Default lifetime of a share link; a request may ask for 1 h up to `maxShareTtlHours`. */
  shareTtlHours: number;
  maxShareTtlHours: number;
  /** Audience clusters per report. */
  clusters: number;
  /** Most cities in one tournament report ("all cities" takes this many of the most engaged). */
  tournamentMaxCities: number;
}

export interface InsightsConfig {
  dna: DnaConfig;
  reports: ReportsConfig;
}

/** Defaults, then environment, validated (ConfigError naming the variable). */
export function insightsConfig(env: Env): InsightsConfig {
  return {
    dna: {
      dims: int(env, 'DNA_DIMS', 32, 4, 512),
      halfLifeDays: float(env, 'DNA_HALF_LIFE_DAYS', 30, 0.5, 3650),
      baseWeight: float(env, 'DNA_BASE_WEIGHT', 5, 0, 1000),
      batchSize: int(env, 'DNA_BATCH_SIZE', 5000, 100, 100_000),
      maxBatchesPerRun: int(env, 'DNA_MAX_BATCHES_PER_RUN', 50, 1, 10_000),
      schedule: cron(env, 'JOB_CRON_DNA_MIRRORING', '* * * * *'),
      indexMaxUsers: int(env, 'DNA_INDEX_MAX_USERS', 200_000, 1, 5_000_000),
      indexTtlSec: int(env, 'DNA_INDEX_TTL_SEC', 60, 1, 86_400),
      indexPageSize: int(env, 'DNA_INDEX_PAGE_SIZE', 5000, 100, 100_000),
      recomputeMaxEvents: int(env, 'DNA_RECOMPUTE_MAX_EVENTS', 50_000, 1, 1_000_000),
      exportMaxRows: int(env, 'DNA_EXPORT_MAX_ROWS', 50_000, 1, 1_000_000),
      // 100 snapshots of 128 floats are ~60 KB a user; an hour apart they span four days of heavy listening, a
      // year of weekly visits.
      historyMaxPerUser: int(env, 'DNA_HISTORY_MAX_PER_USER', 100, 2, 10_000),
      historyMinIntervalSec: int(env, 'DNA_HISTORY_MIN_INTERVAL_SEC', 3600, 0, 30 * 86_400),
      historyRetentionDays: int(env, 'DNA_HISTORY_RETENTION_DAYS', 365, 1, 3650),
    },
    reports: {
      maxListeners: int(env, 'REPORT_MAX_LISTENERS', 20_000, 1, 1_000_000),
      maxRangeDays: int(env, 'REPORT_MAX_RANGE_DAYS', 366, 1, 3660),
      shareTtlHours: int(env, 'REPORT_SHARE_TTL_HOURS', 168, 1, 8760),
      maxShareTtlHours: int(env, 'REPORT_MAX_SHARE_TTL_HOURS', 720, 1, 8760),
      clusters: int(env, 'REPORT_CLUSTERS', 3, 1, 10),
      tournamentMaxCities: int(env, 'REPORT_TOURNAMENT_MAX_CITIES', 16, 2, 64),
    },
  };
}
