/**
 * Request counts, errors and latency histograms per route and bucket. Every process adds its counters to the
 * same rows (an upsert that sums), so a range read is the whole cluster.
 */
import type { Sql } from '../db.js';
import { API_LATENCY_BOUNDS_SEC, type ApiStatsRow } from '../../systems/analytics/apiStats.js';

export interface ApiStatsRetention {
  minuteMs: number;
  hourMs: number;
}

type Summed = Omit<ApiStatsRow, 'period' | 'bucketStart'>;

const UPSERT_SQL = `
INSERT INTO api_request_stats (period, bucket_start, endpoint, requests, client_errors, server_errors, sum_ms, counts)
SELECT r.period, to_timestamp(r."bucketStart" / 1000.0), r.endpoint, r.requests, r."clientErrors", r."serverErrors", r."sumMs",
       ARRAY(SELECT jsonb_array_elements_text(r.counts)::bigint)
  FROM jsonb_to_recordset(?::jsonb)
    AS r(period text, "bucketStart" bigint, endpoint text, requests bigint, "clientErrors" bigint, "serverErrors" bigint, "sumMs" float8, counts jsonb)
ON CONFLICT (period, bucket_start, endpoint) DO UPDATE SET
  requests = api_request_stats.requests + excluded.requests,
  client_errors = api_request_stats.client_errors + excluded.client_errors,
  server_errors = api_request_stats.server_errors + excluded.server_errors,
  sum_ms = api_request_stats.sum_ms + excluded.sum_ms,
  counts = ARRAY(SELECT COALESCE(a, 0) + COALESCE(b, 0) FROM unnest(api_request_stats.counts, excluded.counts) AS u(a, b))`;

const RANGE_SQL = `
WITH rows AS (
  SELECT endpoint, requests, client_errors, server_errors, sum_ms, counts FROM api_request_stats
   WHERE period = ? AND bucket_start >= ? AND bucket_start <= ?),
totals AS (
  SELECT endpoint, sum(requests) AS requests, sum(client_errors) AS client_errors, sum(server_errors) AS server_errors, sum(sum_ms) AS sum_ms
    FROM rows GROUP BY endpoint),
slots AS (
  SELECT endpoint, array_agg(total ORDER BY slot) AS counts
    FROM (SELECT endpoint, u.slot, sum(u.c) AS total FROM rows, unnest(rows.counts) WITH ORDINALITY AS u(c, slot) GROUP BY endpoint, u.slot) s
   GROUP BY endpoint)
SELECT t.endpoint, t.requests, t.client_errors, t.server_errors, t.sum_ms, s.counts FROM totals t JOIN slots s USING (endpoint)`;

const n = (v: unknown): number => Number(v ?? 0);

export class ApiStatsRepository {
  constructor(
    private readonly sql: Sql,
    private readonly retention: ApiStatsRetention,
  ) {}

  /** Adds the rows to their buckets (one statement) and drops buckets past their retention, as of `nowMs`. */
  async add(rows: ApiStatsRow[], nowMs: number): Promise<void> {
    if (rows.length === 0) return;
    await this.sql.transaction(async (tx) => {
      await tx.query(UPSERT_SQL, [JSON.stringify(rows)]);
      await tx.query(`DELETE FROM api_request_stats WHERE (period = 'minute' AND bucket_start < ?) OR (period = 'hour' AND bucket_start < ?)`, [
        new Date(nowMs - this.retention.minuteMs),
        new Date(nowMs - this.retention.hourMs),
      ]);
    });
  }

  /** Per endpoint, the sums of the `period` buckets that start in [from, to]: a range reads whole buckets. */
  async range(period: ApiStatsRow['period'], from: Date, to: Date): Promise<Summed[]> {
    type Row = Record<'requests' | 'client_errors' | 'server_errors' | 'sum_ms', unknown> & { endpoint: string; counts: unknown[] };
    const rows = await this.sql.query<Row>(RANGE_SQL, [period, from, to]);
    return rows.map((r) => ({
      endpoint: r.endpoint,
      requests: n(r.requests),
      clientErrors: n(r.client_errors),
      serverErrors: n(r.server_errors),
      sumMs: n(r.sum_ms),
      counts: Array.from({ length: API_LATENCY_BOUNDS_SEC.length + 1 }, (_, i) => n(r.counts?.[i])),
    }));
  }
}
