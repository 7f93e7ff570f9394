/**
 * Reads of the durable rollups (`coliseum_metrics`) and of `passport_entries` that rebuilding the live
 * leaderboards after a restart needs (features/leaderboard/restoreFromRollups.ts). Adapter only: which
 * rollups feed which leaderboard is decided by the caller.
 */
import type { Sql } from '../db.js';
import { PAIR_SEPARATOR } from '../../systems/leaderboard/leaderboards.js';

/** One rollup value, with the artist names it may need (artists and both ends of an orb transition). */
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

/** A rollup source as `coliseum_metrics` names it. */
export interface RollupPair {
  entityType: string;
  metric: string;
}

export interface RollupReads {
  /**
   * The top `limitPerBucket` rows (value descending, then entity id) of each (pair, period, bucket) —
   * vote options ranked per event — for hour buckets from `hourFrom`, day buckets from `dayFrom` and
   * the all-time bucket. Vote options (`vote_option` / `votes`) are always included.
   */
  topRows(pairs: readonly RollupPair[], limitPerBucket: number, hourFrom: Date, dayFrom: Date): Promise<RollupRow[]>;
  /** Sums of visits, captures, votes and transitions per hour bucket from `hourFrom` and day bucket from `dayFrom`. */
  kpiSums(hourFrom: Date, dayFrom: Date): Promise<KpiSumRow[]>;
  /** Events and session starts per hour of `occurred_at` (event time, as everything on the boards), from `from`. */
  eventCounts(from: Date): Promise<HourlyEventCount[]>;
}

// Pairs are spliced into the SQL text (the planner keeps the index on (entity_type, metric, …)); allow names only.
const SQL_NAME = /^[a-z_][a-z0-9_]*$/;

function pairList(pairs: readonly RollupPair[]): string {
  for (const p of pairs) {
    if (!SQL_NAME.test(p.entityType) || !SQL_NAME.test(p.metric)) throw new Error(`rollup pair ${JSON.stringify(p)} is not a plain lower-case name`);
  }
  return [...pairs.map((p) => `('${p.entityType}', '${p.metric}')`), `('vote_option', 'votes')`, `('artist_revenue', 'revenue_cents')`].join(', ');
}

const TOP_ROWS_SQL = (pairs: string, limit: number) => `
WITH ranked AS (
  SELECT m.entity_type, m.entity_id, m.metric, m.period, m.bucket_start, m.value,
         row_number() OVER (
           PARTITION BY m.entity_type, m.metric, m.period, m.bucket_start,
                        CASE WHEN m.entity_type IN ('vote_option', 'artist_revenue') THEN split_part(m.entity_id, '${PAIR_SEPARATOR}', 1) END
           ORDER BY m.value DESC, m.entity_id) AS rn
  FROM coliseum_metrics m
  WHERE (m.entity_type, m.metric) IN (${pairs})
    AND ((m.period = 'hour' AND m.bucket_start >= ?) OR (m.period = 'day' AND m.bucket_start >= ?) OR m.period = 'all')
)
SELECT r.entity_type, r.entity_id, r.metric, r.period, r.bucket_start, r.value,
       a.name AS name, fa.name AS from_name, ta.name AS to_name
FROM ranked r
LEFT JOIN artists a ON (r.entity_type = 'artist' AND a.id = r.entity_id) OR (r.entity_type = 'artist_revenue' AND a.id = split_part(r.entity_id, '${PAIR_SEPARATOR}', 2))
LEFT JOIN artists fa ON r.entity_type = 'orb_transition' AND fa.id = split_part(r.entity_id, '${PAIR_SEPARATOR}', 1)
LEFT JOIN artists ta ON r.entity_type = 'orb_transition' AND ta.id = split_part(r.entity_id, '${PAIR_SEPARATOR}', 2)
WHERE r.rn <= ${limit}`;

const KPI_SUMS_SQL = `
SELECT CASE WHEN entity_type = 'artist' AND metric = 'station_visits' THEN 'visits'
            WHEN entity_type = 'artist' AND metric = 'captures' THEN 'captures'
            WHEN entity_type = 'vote_option' THEN 'votes'
            WHEN entity_type = 'track' THEN 'plays'
            WHEN entity_type = 'concierto_event' THEN 'attendance'
            WHEN entity_type = 'currency' THEN 'revenue:' || entity_id
            ELSE 'transitions' END AS counter,
       period, bucket_start, sum(value)::float8 AS value
FROM coliseum_metrics
WHERE (entity_type, metric) IN (('artist', 'station_visits'), ('artist', 'captures'), ('vote_option', 'votes'), ('orb_transition', 'transitions'),
                                ('track', 'plays'), ('concierto_event', 'attendance'), ('currency', 'revenue_cents'))
  AND ((period = 'hour' AND bucket_start >= ?) OR (period = 'day' AND bucket_start >= ?))
GROUP BY 1, 2, 3`;

const EVENT_COUNTS_SQL = `
SELECT date_trunc('hour', occurred_at, 'UTC') AS hour, count(*)::float8 AS events,
       count(*) FILTER (WHERE event_type = 'session.started')::float8 AS sessions
FROM passport_entries WHERE occurred_at >= ?::timestamptz AND received_at >= ?::timestamptz - interval '10 minutes' GROUP BY 1`;

/** The rollup reads against Postgres: three queries per restore. */
export function sqlRollupReads(sql: Sql): RollupReads {
  return {
    topRows: (pairs, limitPerBucket, hourFrom, dayFrom) => {
      const limit = Math.max(1, Math.floor(limitPerBucket));
      return sql.query<RollupRow>(TOP_ROWS_SQL(pairList(pairs), limit), [hourFrom, dayFrom]);
    },
    kpiSums: (hourFrom, dayFrom) => sql.query<KpiSumRow>(KPI_SUMS_SQL, [hourFrom, dayFrom]),
    // Event time, as the rollups and the feeder bucket; received_at bounds the partitions scanned (clock skew ≤ 10 min).
    eventCounts: (from) => sql.query<HourlyEventCount>(EVENT_COUNTS_SQL, [from, from]),
  };
}
