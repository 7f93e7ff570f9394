/**
 * The coliseum's first consumer (seed 004): counts per (entity, metric, period bucket) computed
 * from a passport id range with GROUP BY in SQL and added with
 * `ON CONFLICT DO UPDATE SET value = value + excluded.value`. Buckets are UTC (see systems/passport/periods.ts).
 * WHAT is counted (entity_type, entity_id, metric, weight, from which events) is the counting rules'
 * (systems/leaderboard/countingRules.ts), compiled to SQL in rollupSql.ts: never write a count here by hand.
 */
import type { Sql } from '../db.js';
import type { CursorConsumer } from '../passport/PassportCursor.js';
import { isPeriod, type Period } from '../../systems/passport/periods.js';
import { ROLLUP_SQL } from './rollupSql.js';

/** Rows one rollup read returns unless asked for more (a board shows far fewer). */
const DEFAULT_ROWS = 100;

export const COLISEUM_ROLLUPS_CURSOR = 'coliseum_rollups';

/** The coliseum rollup consumer for a {@link CursorProcessor}. */
export function leaderboardRollups(name = COLISEUM_ROLLUPS_CURSOR): CursorConsumer {
  return {
    name,
    apply: async (tx, fromId, toId) => {
      await tx.query(ROLLUP_SQL, [fromId, toId]);
    },
  };
}

function toDate(bucketStart: Date | number | string): Date {
  const d = bucketStart instanceof Date ? bucketStart : new Date(bucketStart);
  if (Number.isNaN(d.getTime()))
    throw new Error(`bucketStart "${String(bucketStart)}" is not a time; use bucketStart(period, ms) from systems/passport/periods.ts`);
  return d;
}

/**
 * Scores of one metric in one bucket, highest first, for rebuilding leaderboards.
 * `entityIdPrefix` narrows composite ids, e.g. `'<eventId>>'` for one concierto event's vote options.
 */
export async function rollupScores(
  sql: Sql,
  entityType: string,
  metric: string,
  period: Period,
  bucketStart: Date | number | string,
  options: { limit?: number; entityIdPrefix?: string } = {},
): Promise<Array<{ entityId: string; value: number }>> {
  if (!isPeriod(period)) throw new Error(`period must be hour, day, week, month or all; got "${String(period)}"`);
  const limit = Math.max(1, Math.min(10_000, Math.floor(options.limit ?? DEFAULT_ROWS)));
  const prefix = options.entityIdPrefix;
  const rows = await sql.query<{ entity_id: string; value: string | number }>(
    `SELECT entity_id, value FROM coliseum_metrics
     WHERE entity_type = ? AND metric = ? AND period = ? AND bucket_start = ?
       ${prefix !== undefined ? 'AND starts_with(entity_id, ?)' : ''}
     ORDER BY value DESC, entity_id LIMIT ${limit}`,
    [entityType, metric, period, toDate(period === 'all' ? 0 : bucketStart), ...(prefix !== undefined ? [prefix] : [])],
  );
  return rows.map((r) => ({ entityId: r.entity_id, value: Number(r.value) }));
}

/** One counter (0 when absent). */
export async function rollupValue(
  sql: Sql,
  entityType: string,
  entityId: string,
  metric: string,
  period: Period,
  bucketStart: Date | number | string,
): Promise<number> {
  const [row] = await sql.query<{ value: string | number }>(
    `SELECT value FROM coliseum_metrics WHERE entity_type = ? AND entity_id = ? AND metric = ? AND period = ? AND bucket_start = ?`,
    [entityType, entityId, metric, period, toDate(period === 'all' ? 0 : bucketStart)],
  );
  return Number(row?.value ?? 0);
}
