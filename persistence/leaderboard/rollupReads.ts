/**
 * Reads of the durable rollups (`coliseum_metrics`) and of `passport_entries` that rebuilding the live
 * leaderboards after a restart needs (features/leaderboard/restoreFromRollups.ts). Which rollups refill
 * which board, and their names, come from the counting rules (rollupSql.ts).
 */
import type { Sql } from '../db.js';
import { boardKeySql, boardRowsSql, KPI_SUMS_SQL, nameJoinsSql } from './rollupSql.js';

/** One rollup value, with the names it may need (artists, both ends of an orb transition, a track's title and artist, an event's title). */
export interface RollupRow {
  entity_type: string;
  entity_id: string;
  metric: string;
  period: 'hour' | 'day' | 'all';
  bucket_start: Date | string;
  value: string | number;
  name: string | null;
  from_name: string | null;
  to_name: string | null;
  /** A track's catalog title and its artist's name (tracks boards). */
  track_title: string | null;
  track_artist: string | null;
  /** A Concierto event's title (event boards). */
  event_title: string | null;
}

/** A KPI counter's rollup sum in one hour or day bucket. */
export interface KpiSumRow {
  counter: string;
  period: 'hour' | 'day';
  bucket_start: Date | string;
  value: number;
}

/** Passport events (and session starts among them) received in one UTC hour. */
export interface HourlyEventCount {
  hour: Date | string;
  events: number;
  sessions: number;
}

export interface RollupReads {
  /**
   * The top `limitPerBucket` rows (value descending, then entity id) of each rollup a live board shows, per
   * (board, period, bucket) — a family's rows ranked per board, e.g. vote options per event — for hour buckets
   * from `hourFrom`, day buckets from `dayFrom` and the all-time bucket.
   */
  topRows(limitPerBucket: number, hourFrom: Date, dayFrom: Date): Promise<RollupRow[]>;
  /** The KPI counters the counting rules feed, summed per hour bucket from `hourFrom` and day bucket from `dayFrom`. */
  kpiSums(hourFrom: Date, dayFrom: Date): Promise<KpiSumRow[]>;
  /** Events and session starts per hour of `occurred_at` (event time, as everything on the boards), from `from`. */
  eventCounts(from: Date): Promise<HourlyEventCount[]>;
}

const NAMES = nameJoinsSql('r');
const TOP_ROWS_SQL = (limit: number) => `
WITH ranked AS (
  SELECT m.entity_type, m.entity_id, m.metric, m.period, m.bucket_start, m.value,
         row_number() OVER (PARTITION BY m.entity_type, m.metric, m.period, m.bucket_start, ${boardKeySql('m')} ORDER BY m.value DESC, m.entity_id) AS rn
  FROM coliseum_metrics m
  WHERE ${boardRowsSql('m')}
    AND ((m.period = 'hour' AND m.bucket_start >= ?) OR (m.period = 'day' AND m.bucket_start >= ?) OR m.period = 'all')
)
SELECT r.entity_type, r.entity_id, r.metric, r.period, r.bucket_start, r.value,
       a.name AS name, fa.name AS from_name, ta.name AS to_name, tr.title AS track_title, tra.name AS track_artist, ev.title AS event_title
FROM ranked r
LEFT JOIN artists a ON ${NAMES.artist}
LEFT JOIN artists fa ON ${NAMES.from}
LEFT JOIN artists ta ON ${NAMES.to}
LEFT JOIN tracks tr ON ${NAMES.track}
LEFT JOIN artists tra ON tra.id = tr.artist_id
LEFT JOIN concierto_events ev ON ${NAMES.event}
WHERE r.rn <= ${limit}`;

const EVENT_COUNTS_SQL = `
SELECT date_trunc('hour', occurred_at, 'UTC') AS hour, count(*)::float8 AS events,
       count(*) FILTER (WHERE event_type = 'session.started')::float8 AS sessions
FROM passport_entries WHERE occurred_at >= ?::timestamptz AND received_at >= ?::timestamptz - interval '10 minutes' GROUP BY 1`;

/** The rollup reads against Postgres: three queries per restore. */
export function sqlRollupReads(sql: Sql): RollupReads {
  return {
    topRows: (limitPerBucket, hourFrom, dayFrom) => sql.query<RollupRow>(TOP_ROWS_SQL(Math.max(1, Math.floor(limitPerBucket))), [hourFrom, dayFrom]),
    kpiSums: (hourFrom, dayFrom) => sql.query<KpiSumRow>(KPI_SUMS_SQL, [hourFrom, dayFrom]),
    // Event time, as the rollups and the feeder bucket; received_at bounds the partitions scanned (clock skew ≤ 10 min).
    eventCounts: (from) => sql.query<HourlyEventCount>(EVENT_COUNTS_SQL, [from, from]),
  };
}
