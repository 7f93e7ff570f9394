/**
 * One entity's rollup metrics per bucket (seed 004 `coliseum_rollups`: plays, unique listeners, completion rate,
 * shares, revenue, average DNA match …) read from `coliseum_metrics`: the entity's own rows by primary key, and
 * its money rows (`<currency>><id>`, one family per currency) through the money index (rollupSql.ts moneyRowsSql). The metrics are derived in systems/leaderboard/rollupMetrics.ts.
 */
import type { Sql } from '../db.js';
import { moneyRowsSql } from './rollupSql.js';
import { bucketMetrics, recentBuckets, ROLLUP_SUBJECTS, type BucketMetrics, type RollupSubject } from '../../systems/leaderboard/rollupMetrics.js';
import type { Period } from '../../systems/passport/periods.js';

export interface EntityRollups {
  subject: RollupSubject;
  entityId: string;
  period: Period;
  /** Oldest first, every bucket of the range (zeros where nothing was counted). */
  buckets: Array<{ start: string; metrics: BucketMetrics }>;
}

export async function readEntityRollups(
  sql: Sql,
  subject: RollupSubject,
  entityId: string,
  period: Period,
  count: number,
  nowMs: number,
): Promise<EntityRollups> {
  const source = ROLLUP_SUBJECTS[subject];
  const starts = recentBuckets(period, nowMs, count);
  const from = new Date(starts[0]);
  const to = new Date(starts[starts.length - 1]);
  const money = Object.entries(source.perCurrency) as Array<[string, string]>;
  const [own, paid] = await Promise.all([
    sql.query<{ metric: string; bucket_start: Date; value: string }>(
      `SELECT metric, bucket_start, value::text AS value FROM coliseum_metrics
        WHERE entity_type = ? AND entity_id = ? AND period = ? AND bucket_start BETWEEN ? AND ?`,
      [source.entityType, entityId, period, from, to],
    ),
    money.length
      ? sql.query<{ entity_type: string; currency: string; bucket_start: Date; value: string }>(moneyRowsSql(money.map(([, t]) => t)), [
          entityId,
          period,
          from,
          to,
        ])
      : Promise.resolve([]),
  ]);
  const keyOf = (d: Date) => new Date(d).getTime();
  const buckets = starts.map((start) => {
    const counts = new Map(own.filter((r) => keyOf(r.bucket_start) === start).map((r) => [r.metric, Number(r.value)]));
    const byKind: Record<string, Map<string, number>> = {};
    for (const [kind, entityType] of money) {
      byKind[kind] = new Map(paid.filter((r) => r.entity_type === entityType && keyOf(r.bucket_start) === start).map((r) => [r.currency, Number(r.value)]));
    }
    return { start: new Date(start).toISOString(), metrics: bucketMetrics(period, counts, byKind) };
  });
  return { subject, entityId, period, buckets };
}
