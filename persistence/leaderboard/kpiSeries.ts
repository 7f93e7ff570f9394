/**
 * The KPI tiles' sparkline data from the durable rollups: one grouped read per window over
 * `coliseum_metrics` (its board index leads with entity_type, metric, period, bucket_start).
 */
import type { Sql } from '../db.js';
import { fillSeries, KPI_SERIES_SOURCES, SERIES_SHAPE, seriesBuckets } from '../../systems/leaderboard/kpiSeries.js';
import type { LeaderboardWindow } from '../../systems/leaderboard/windows.js';

export interface KpiSeries {
  window: LeaderboardWindow;
  period: string;
  /** ISO starts of the buckets, oldest first. */
  buckets: string[];
  /** Tile key → one value per bucket. */
  series: Record<string, number[]>;
}

export async function readKpiSeries(sql: Sql, window: LeaderboardWindow, nowMs: number): Promise<KpiSeries> {
  const { period } = SERIES_SHAPE[window];
  const buckets = seriesBuckets(window, nowMs);
  const sources = Object.entries(KPI_SERIES_SOURCES);
  const rows = await sql.query<{ key: string; bucket: Date; value: string }>(
    `SELECT s.key, m.bucket_start AS bucket, sum(m.value)::text AS value
       FROM jsonb_to_recordset(?::jsonb) AS s(key text, entity_type text, metric text, entity_id text)
       JOIN coliseum_metrics m ON m.entity_type = s.entity_type AND m.metric = s.metric AND (s.entity_id IS NULL OR m.entity_id = s.entity_id)
      WHERE m.period = ? AND m.bucket_start >= ? AND m.bucket_start <= ?
      GROUP BY s.key, m.bucket_start`,
    [
      JSON.stringify(sources.map(([key, s]) => ({ key, entity_type: s!.entityType, metric: s!.metric, entity_id: s!.entityId ?? null }))),
      period,
      new Date(buckets[0]),
      new Date(buckets[buckets.length - 1]),
    ],
  );
  const series: Record<string, number[]> = {};
  for (const [key] of sources)
    series[key] = fillSeries(
      buckets,
      rows.filter((r) => r.key === key).map((r) => ({ bucketMs: new Date(r.bucket).getTime(), value: Number(r.value) })),
    );
  return { window, period, buckets: buckets.map((b) => new Date(b).toISOString()), series };
}
