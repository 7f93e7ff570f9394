/** MediaID DNA and Coliseum reports; the defaults are argued in docs/FEATURES.md "MediaID DNA". */
import { cron, float, int, type Env } from './parse.js';

export function insightsConfig(env: Env) {
  return {
    /** @group mediaid */
    dna: {
      /** floats per DNA domain vector (4 domains); a change makes stored profiles start over (recompute them). Why 32: see "MediaID DNA" */
      dims: int(env, 'DNA_DIMS', 32, 4, 512),
      /** carbon decay: a mirrored signal weighs half after this many days */
      halfLifeDays: float(env, 'DNA_HALF_LIFE_DAYS', 30, 0.5, 3650),
      /** weight of the MediaID bases against mirrored behaviour (a fresh play weighs 1) */
      baseWeight: float(env, 'DNA_BASE_WEIGHT', 5, 0, 1000),
      /** passport rows per mirroring transaction */
      batchSize: int(env, 'DNA_BATCH_SIZE', 5000, 100, 100_000),
      /** batches per `dna_mirroring` run (the rest waits for the next run) */
      maxBatchesPerRun: int(env, 'DNA_MAX_BATCHES_PER_RUN', 50, 1, 10_000),
      /** the mirroring job's schedule, or `off` */
      schedule: cron(env, 'JOB_CRON_DNA_MIRRORING', '* * * * *'),
      /** users in the in-process match index (~512 B each at 32 dims; beyond it users are left out and the API says `truncated`) */
      indexMaxUsers: int(env, 'DNA_INDEX_MAX_USERS', 200_000, 1, 5_000_000),
      /** the match index's rebuild age */
      indexTtlSec: int(env, 'DNA_INDEX_TTL_SEC', 60, 1, 86_400),
      /** profiles read per statement while the match index loads (fewer round trips against a larger result held at once) */
      indexPageSize: int(env, 'DNA_INDEX_PAGE_SIZE', 5000, 100, 100_000),
      /** newest passport events a manual recompute replays */
      recomputeMaxEvents: int(env, 'DNA_RECOMPUTE_MAX_EVENTS', 50_000, 1, 1_000_000),
      /** rows of one passport export (JSON lines; a last line says when it was cut) */
      exportMaxRows: int(env, 'DNA_EXPORT_MAX_ROWS', 50_000, 1, 1_000_000),
      /** DNA snapshots kept per user for DIA's evolution timeline; each new one deletes those past it */
      // 100 snapshots of 128 floats are ~60 KB a user: four days of heavy listening an hour apart, a year of weekly visits.
      historyMaxPerUser: int(env, 'DNA_HISTORY_MAX_PER_USER', 100, 2, 10_000),
      /** the mirroring job snapshots a user's DNA at most this often (0 = every batch that evolves it); a manual recompute always does */
      historyMinIntervalSec: int(env, 'DNA_HISTORY_MIN_INTERVAL_SEC', 3600, 0, 30 * 86_400),
      /** DNA snapshots older than this are deleted by the `cleanup` job */
      historyRetentionDays: int(env, 'DNA_HISTORY_RETENTION_DAYS', 365, 1, 3650),
    },
    /** @group reports */
    reports: {
      /** listeners whose DNA one report analyses (the rest are counted, not analysed: `audienceCapped`) */
      maxListeners: int(env, 'REPORT_MAX_LISTENERS', 20_000, 1, 1_000_000),
      /** longest report range (400 above it) */
      maxRangeDays: int(env, 'REPORT_MAX_RANGE_DAYS', 366, 1, 3660),
      /** default lifetime of a report's share link */
      shareTtlHours: int(env, 'REPORT_SHARE_TTL_HOURS', 168, 1, 8760),
      /** largest lifetime a report's share link may ask for */
      maxShareTtlHours: int(env, 'REPORT_MAX_SHARE_TTL_HOURS', 720, 1, 8760),
      /** audience clusters per report */
      clusters: int(env, 'REPORT_CLUSTERS', 3, 1, 10),
      /** most cities in one tournament report; "all cities" takes this many of the range's most engaged */
      tournamentMaxCities: int(env, 'REPORT_TOURNAMENT_MAX_CITIES', 16, 2, 64),
    },
  };
}
