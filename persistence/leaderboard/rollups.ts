/**
 * The durable rollups (`coliseum_metrics`): the counting rules compiled to SQL. The live feeder runs the same rules
 * in JS; this is the only other interpreter, so no board's counting is hand-written SQL. Buckets are UTC.
 */
import type { Sql } from '../db.js';
import type { CursorConsumer } from '../passport/PassportCursor.js';
import type { Period } from '../../systems/passport/periods.js';
import {
  BOARD_RULES,
  COUNTING_RULES,
  DISTINCT_RULES,
  DNA_MATCH_METRICS,
  DNA_MATCH_SCALE,
  kpiRules,
  MONEY_RULES,
  PAIR_SEPARATOR,
  type CountingRule,
  type Expr,
  type MoneySubject,
  type Weight,
} from '../../systems/leaderboard/countingRules.js';
import {
  bucketMetrics,
  fillSeries,
  KPI_SERIES_SOURCES,
  recentBuckets,
  ROLLUP_SUBJECTS,
  SERIES_SHAPE,
  seriesBuckets,
  type EntityRollups,
  type KpiSeries,
  type RollupSubject,
} from '../../systems/leaderboard/rollupMetrics.js';
import type { LeaderboardWindow } from '../../systems/leaderboard/windows.js';

/** No hour: a row per user per entity per hour would be most of the table, and nothing reads hourly uniques. */
const MEMBER_PERIODS = ['day', 'week', 'month', 'all'] as const;

const PLAIN = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** A quoted SQL literal of a name the rules declare (event types, fields, rollup names: plain words only). */
function lit(name: string): string {
  if (!PLAIN.test(name)) throw new Error(`counting rule name "${name}" is not a plain word`);
  return `'${name}'`;
}

/** A payload string, as the live side reads it: any other JSON type, or '', is absent (NULL). */
const field = (name: string): string => `CASE WHEN jsonb_typeof(payload->${lit(name)}) = 'string' THEN NULLIF(payload->>${lit(name)}, '') END`;
/** A payload number (NULL unless a JSON number; the CASE keeps the cast from ever seeing a string). */
const numberField = (name: string): string => `(CASE WHEN jsonb_typeof(payload->${lit(name)}) = 'number' THEN (payload->>${lit(name)})::numeric END)`;

export function exprSql(e: Expr): string {
  if ('field' in e) return field(e.field);
  if ('first' in e) return `COALESCE(${e.first.map(exprSql).join(', ')})`;
  if ('pair' in e) return `(${exprSql(e.pair[0])}) || '${PAIR_SEPARATOR}' || (${exprSql(e.pair[1])})`;
  if ('lower' in e) return `lower(${exprSql(e.lower)})`;
  if ('user' in e) return 'user_id';
  return `COALESCE(${field('city')}, NULLIF(user_city, ''))`;
}

/** What one event adds; NULL when the event is not counted. */
function amountSql(w: Weight): string {
  if ('one' in w || 'distinctUsers' in w) return '1';
  const n = numberField('number' in w ? w.number : w.integer);
  const whole = `${n} > 0 AND ${n} = trunc(${n})`;
  return 'number' in w ? `CASE WHEN ${whole} THEN ${n} ELSE ${Math.trunc(w.otherwise)} END` : `CASE WHEN ${whole} THEN ${n} END`;
}

/** The entity id as the rollups store it: a family board's key in front (`eventId>voteFor`). */
export function rollupEntitySql(rule: CountingRule): string {
  return 'family' in rule.target ? exprSql({ pair: [rule.target.key, rule.entity] }) : exprSql(rule.entity);
}

function matchSql(rule: CountingRule): string {
  return 'types' in rule.match ? `event_type IN (${rule.match.types.map(lit).join(', ')})` : `event_category IN (${rule.match.categories.map(lit).join(', ')})`;
}

/** A rule's rows of the batch: the amount each event adds or, for a distinct rule, who it counts (once per bucket). */
function factSql(rule: CountingRule): string {
  const [column, value] = isDistinct(rule) ? ['user_id', 'user_id'] : ['amount', `${amountSql(rule.weight)} AS amount`];
  return `SELECT ${lit(rule.rollup.entityType)}, entity_id, ${lit(rule.rollup.metric)}, occurred_at, ${column} FROM (
    SELECT ${rollupEntitySql(rule)} AS entity_id, ${value}, occurred_at FROM batch WHERE ${matchSql(rule)}) r
   WHERE entity_id IS NOT NULL AND ${column} IS NOT NULL`;
}

const pair = (r: CountingRule, alias: string): string => `(${alias}.entity_type = ${lit(r.rollup.entityType)} AND ${alias}.metric = ${lit(r.rollup.metric)})`;
/** A row-value IN list: the planner keeps the index on (entity_type, metric, …). */
const anyOf = (rules: readonly CountingRule[], alias: string): string =>
  rules.length
    ? `(${alias}.entity_type, ${alias}.metric) IN (${rules.map((r) => `(${lit(r.rollup.entityType)}, ${lit(r.rollup.metric)})`).join(', ')})`
    : 'false';

const isDistinct = (r: CountingRule): boolean => 'distinctUsers' in r.weight;

const bucketsOf = (periods: readonly string[]): string =>
  `(VALUES ${periods.map((p) => (p === 'all' ? `('all', 'epoch'::timestamptz)` : `('${p}', date_trunc('${p}', f.occurred_at, 'UTC'))`)).join(', ')})`;
const ALL_PERIODS = ['hour', 'day', 'week', 'month', 'all'];
/** An empty relation of these column types (a table without rules of a kind). */
const NONE = (...types: string[]): string => `SELECT ${types.map((t) => `NULL::${t}`).join(', ')} WHERE false`;

/**
 * Counts per (entity, metric, bucket) of the id range (?, ?]. Distinct-user rules count the `coliseum_members` rows
 * that were new, and the statement returns new members of `dnaMatch` rules for the consumer to match.
 */
export const rollupSqlFor = (rules: readonly CountingRule[]): string => {
  const counted = rules.filter((r) => !isDistinct(r));
  const distinct = rules.filter(isDistinct);
  const matched = distinct.filter((r) => r.dnaMatch);
  return `
WITH batch AS (
  SELECT e.event_type, e.event_category, e.occurred_at, e.payload, e.user_id::text AS user_id, u.city AS user_city
  FROM passport_entries e LEFT JOIN users u ON u.id = e.user_id
  WHERE e.id > ? AND e.id <= ?
),
facts (entity_type, entity_id, metric, occurred_at, amount) AS (
  ${counted.length ? counted.map(factSql).join('\n  UNION ALL\n  ') : NONE('text', 'text', 'text', 'timestamptz', 'numeric')}
),
seen (entity_type, entity_id, metric, occurred_at, user_id) AS (
  ${distinct.length ? distinct.map(factSql).join('\n  UNION ALL\n  ') : NONE('text', 'text', 'text', 'timestamptz', 'text')}
),
members AS (
  INSERT INTO coliseum_members (entity_type, entity_id, metric, period, bucket_start, user_id)
  SELECT DISTINCT f.entity_type, f.entity_id, f.metric, p.period, p.bucket_start, f.user_id::uuid
  FROM seen f CROSS JOIN LATERAL ${bucketsOf(MEMBER_PERIODS)} AS p(period, bucket_start)
  ON CONFLICT DO NOTHING
  RETURNING entity_type, entity_id, metric, period, bucket_start, user_id
),
counted AS (
  INSERT INTO coliseum_metrics AS m (entity_type, entity_id, metric, period, bucket_start, value)
  SELECT entity_type, entity_id, metric, period, bucket_start, sum(amount)::bigint FROM (
    SELECT f.entity_type, f.entity_id, f.metric, p.period, p.bucket_start, f.amount
      FROM facts f CROSS JOIN LATERAL ${bucketsOf(ALL_PERIODS)} AS p(period, bucket_start)
    UNION ALL
    SELECT entity_type, entity_id, metric, period, bucket_start, 1 FROM members
  ) x
  GROUP BY entity_type, entity_id, metric, period, bucket_start
  ON CONFLICT (entity_type, entity_id, metric, period, bucket_start) DO UPDATE SET value = m.value + excluded.value
  RETURNING 1
)
SELECT entity_type, entity_id, metric, period, bucket_start, user_id::text AS user_id FROM members
 WHERE ${anyOf(matched, 'members')}`;
};

export const ROLLUP_SQL = rollupSqlFor(COUNTING_RULES);

/** Adds whole-number amounts to rollup buckets: `?` is a JSON array of `{t, e, m, p, b, v}` (the DNA match sums). */
export const ADD_ROLLUP_ROWS_SQL = `
INSERT INTO coliseum_metrics AS m (entity_type, entity_id, metric, period, bucket_start, value)
SELECT t, e, m, p, b, sum(v)::bigint FROM jsonb_to_recordset(?::jsonb) AS x(t text, e text, m text, p text, b timestamptz, v bigint)
GROUP BY t, e, m, p, b
ON CONFLICT (entity_type, entity_id, metric, period, bucket_start) DO UPDATE SET value = m.value + excluded.value`;

/** The KPI counter a rollup row adds to (`revenue:<currency>` for a per-entity counter). */
function kpiCounterSql(rules: readonly CountingRule[]): string {
  const whens = kpiRules(rules).map((r) => `WHEN ${pair(r, 'm')} THEN ${r.kpi.perEntity ? `${lit(r.kpi.counter)} || ':' || m.entity_id` : lit(r.kpi.counter)}`);
  return `CASE ${whens.join(' ')} END`;
}

/** KPI counters summed from their rules' rollups, per hour bucket from ? and day bucket from ?. */
export const kpiSumsSqlFor = (rules: readonly CountingRule[]): string => `
SELECT ${kpiCounterSql(rules)} AS counter, m.period, m.bucket_start, sum(m.value)::float8 AS value
FROM coliseum_metrics m
WHERE (${anyOf(kpiRules(rules), 'm')})
  AND ((m.period = 'hour' AND m.bucket_start >= ?) OR (m.period = 'day' AND m.bucket_start >= ?))
GROUP BY 1, 2, 3`;

export const KPI_SUMS_SQL = kpiSumsSqlFor(COUNTING_RULES);

/** One subject's money rows; the types are literal so the planner uses the index `coliseum_metrics_money`. */
function moneyRowsSql(types: readonly string[]): string {
  return `SELECT m.entity_type, split_part(m.entity_id, '${PAIR_SEPARATOR}', 1) AS currency, m.period, m.bucket_start, m.value::text AS value
  FROM coliseum_metrics m
  WHERE split_part(m.entity_id, '${PAIR_SEPARATOR}', 2) = ? AND m.entity_type IN (${types.map(lit).join(', ')})
    AND m.period = ? AND m.bucket_start BETWEEN ? AND ?`;
}

/** The money a subject spent and earned (integer minor units per currency): its all-time bucket and its day buckets from `fromMs` to `nowMs`. */
export async function readMoneyRows(sql: Sql, subject: MoneySubject, id: string, fromMs: number, nowMs: number) {
  const sides = new Map(MONEY_RULES.filter((r) => r.money.subject === subject).map((r) => [r.rollup.entityType, r.money.side]));
  const text = moneyRowsSql([...sides.keys()]);
  type Row = { entity_type: string; currency: string; period: 'all' | 'day'; bucket_start: Date; value: string };
  const [all, days] = await Promise.all([
    sql.query<Row>(text, [id, 'all', new Date(0), new Date(0)]),
    sql.query<Row>(text, [id, 'day', new Date(fromMs), new Date(nowMs)]),
  ]);
  return [...all, ...days].map((r) => ({
    side: sides.get(r.entity_type)!,
    currency: r.currency,
    period: r.period,
    bucketStart: new Date(r.bucket_start),
    cents: Number(r.value),
  }));
}

/** A listener newly counted for an artist or event in this batch, whose DNA match the rollups average. */
export interface NewMember {
  kind: 'artist' | 'event';
  entityId: string;
  userId: string;
}

/** Scores new members' DNA against their entity, in [-1, 1], keyed `kind entityId userId`; members left out are not averaged. */
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
  const members = rows.map((r): NewMember => ({ kind: MATCHED.get(`${r.entity_type} ${r.metric}`)!, entityId: r.entity_id, userId: r.user_id }));
  // A member new in several buckets (hour, day, all) is matched once.
  const scores = await matcher([...new Map(members.map((m) => [memberKey(m), m])).values()]);
  const out: Array<Record<string, unknown>> = [];
  rows.forEach((r, i) => {
    const score = scores.get(memberKey(members[i]));
    if (score === undefined || !Number.isFinite(score)) return;
    const at = { t: r.entity_type, e: r.entity_id, p: r.period, b: new Date(r.bucket_start).toISOString() };
    out.push({ ...at, m: DNA_MATCH_METRICS.sum, v: Math.round(score * DNA_MATCH_SCALE) }, { ...at, m: DNA_MATCH_METRICS.count, v: 1 });
  });
  return out;
}

export const COLISEUM_ROLLUPS_CURSOR = 'coliseum_rollups';

/** The rollup consumer; with a matcher, first-time members of a bucket also add their DNA match, in the same transaction. */
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

/** One rollup value of a board; its name is read with the board (the catalog names rows when they are read). */
export interface RollupRow {
  entity_type: string;
  entity_id: string;
  metric: string;
  period: 'hour' | 'day' | 'all';
  bucket_start: Date | string;
  value: string | number;
}

/** A family row's board key (its part before the separator), NULL for a fixed board's row: ranks are per board. */
const BOARD_KEY = `CASE WHEN ${anyOf(
  BOARD_RULES.filter((r) => 'family' in r.target),
  'm',
)} THEN split_part(m.entity_id, '${PAIR_SEPARATOR}', 1) END`;
const TOP_ROWS_SQL = (limit: number) => `
WITH ranked AS (
  SELECT m.entity_type, m.entity_id, m.metric, m.period, m.bucket_start, m.value,
         row_number() OVER (PARTITION BY m.entity_type, m.metric, m.period, m.bucket_start, ${BOARD_KEY} ORDER BY m.value DESC, m.entity_id) AS rn
  FROM coliseum_metrics m
  WHERE ${anyOf(BOARD_RULES, 'm')}
    AND ((m.period = 'hour' AND m.bucket_start >= ?) OR (m.period = 'day' AND m.bucket_start >= ?) OR m.period = 'all')
)
SELECT r.entity_type, r.entity_id, r.metric, r.period, r.bucket_start, r.value
FROM ranked r
WHERE r.rn <= ${limit}`;

const EVENT_COUNTS_SQL = `
SELECT date_trunc('hour', occurred_at, 'UTC') AS hour, count(*)::float8 AS events,
       count(*) FILTER (WHERE event_type = 'session.started')::float8 AS sessions
FROM passport_entries WHERE occurred_at >= ?::timestamptz AND received_at >= ?::timestamptz - interval '10 minutes' GROUP BY 1`;

/**
 * The rollup reads against Postgres, three queries per restore: the top `limitPerBucket` rows of each rollup a live board
 * shows per (board, period, bucket), the KPI counters' sums, and events and session starts per hour of `occurred_at`.
 */
export function sqlRollupReads(sql: Sql) {
  return {
    topRows: (limitPerBucket: number, hourFrom: Date, dayFrom: Date) =>
      sql.query<RollupRow>(TOP_ROWS_SQL(Math.max(1, Math.floor(limitPerBucket))), [hourFrom, dayFrom]),
    // A KPI counter's sum in one hour or day bucket.
    kpiSums: (hourFrom: Date, dayFrom: Date) =>
      sql.query<{ counter: string; period: 'hour' | 'day'; bucket_start: Date | string; value: number }>(KPI_SUMS_SQL, [hourFrom, dayFrom]),
    // Event time, as the rollups and the feeder bucket; received_at bounds the partitions scanned (clock skew ≤ 10 min).
    eventCounts: (from: Date) => sql.query<{ hour: Date | string; events: number; sessions: number }>(EVENT_COUNTS_SQL, [from, from]),
  };
}
export type RollupReads = ReturnType<typeof sqlRollupReads>;

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
  const range = [entityId, period, from, to];
  type Row = { entity_type: string; currency: string; metric: string; bucket_start: Date; value: string };
  const [own, paid] = await Promise.all([
    sql.query<Row>(
      `SELECT metric, bucket_start, value::text AS value FROM coliseum_metrics
        WHERE entity_id = ? AND period = ? AND bucket_start BETWEEN ? AND ? AND entity_type = ?`,
      [...range, source.entityType],
    ),
    money.length ? sql.query<Row>(moneyRowsSql(money.map(([, t]) => t)), range) : Promise.resolve([]),
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
