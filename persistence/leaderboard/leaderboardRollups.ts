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
import { ADD_ROLLUP_ROWS_SQL, ROLLUP_SQL } from './rollupSql.js';
import { DISTINCT_RULES, DNA_MATCH_METRICS, DNA_MATCH_SCALE } from '../../systems/leaderboard/countingRules.js';

/** A listener newly counted for an artist or event in this batch, whose DNA match the rollups average. */
export interface NewMember {
  kind: 'artist' | 'event';
  entityId: string;
  userId: string;
}

/**
 * Scores new members' DNA against their entity (seed 004 "Average match score between artist/event DNA and
 * audience"): `match(member, entity)` in [-1, 1] keyed `kind entityId userId`; members left out (no DNA, matching
 * off) are not averaged. Supplied by the wiring (features/mediaid/audienceMatch.ts).
 */
export type AudienceMatcher = (members: readonly NewMember[]) => Promise<Map<string, number>>;

export const memberKey = (m: NewMember): string => `${m.kind} ${m.entityId} ${m.userId}`;

/** Which distinct rule's members are matched, and as what. */
const MATCHED = new Map(DISTINCT_RULES.filter((r) => r.dnaMatch).map((r) => [`${r.rollup.entityType} ${r.rollup.metric}`, r.dnaMatch!]));

interface MemberRow {
  entity_type: string;
  entity_id: string;
  metric: string;
  period: string;
  bucket_start: Date | string;
  user_id: string;
}

/** The DNA match sums of new members, per bucket they were new in: one sum and one count row each. */
async function dnaMatchRows(rows: readonly MemberRow[], matcher: AudienceMatcher): Promise<Array<Record<string, unknown>>> {
  const members = new Map<string, NewMember>();
  const kinds = rows.map((r) => MATCHED.get(`${r.entity_type} ${r.metric}`));
  rows.forEach((r, i) => {
    const m = { kind: kinds[i]!, entityId: r.entity_id, userId: r.user_id };
    members.set(memberKey(m), m);
  });
  const scores = await matcher([...members.values()]);
  const out: Array<Record<string, unknown>> = [];
  rows.forEach((r, i) => {
    const score = scores.get(memberKey({ kind: kinds[i]!, entityId: r.entity_id, userId: r.user_id }));
    if (score === undefined || !Number.isFinite(score)) return;
    const at = { t: r.entity_type, e: r.entity_id, p: r.period, b: new Date(r.bucket_start).toISOString() };
    out.push({ ...at, m: DNA_MATCH_METRICS.sum, v: Math.round(score * DNA_MATCH_SCALE) }, { ...at, m: DNA_MATCH_METRICS.count, v: 1 });
  });
  return out;
}

/** Rows one rollup read returns unless asked for more (a board shows far fewer). */
const DEFAULT_ROWS = 100;

export const COLISEUM_ROLLUPS_CURSOR = 'coliseum_rollups';

/**
 * The coliseum rollup consumer for a {@link CursorProcessor}. With a matcher, the listeners an artist or event
 * counts for the first time in a bucket also add their DNA match to it, in the same transaction.
 */
export function leaderboardRollups(name = COLISEUM_ROLLUPS_CURSOR, matcher?: AudienceMatcher): CursorConsumer {
  return {
    name,
    apply: async (tx, fromId, toId) => {
      const fresh = await tx.query<MemberRow>(ROLLUP_SQL, [fromId, toId]);
      if (!matcher || fresh.length === 0) return;
      const rows = await dnaMatchRows(fresh, matcher);
      if (rows.length) await tx.query(ADD_ROLLUP_ROWS_SQL, [JSON.stringify(rows)]);
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
