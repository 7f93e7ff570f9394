/**
 * The counting rules (systems/leaderboard/countingRules.ts) compiled to SQL: the rollup consumer's facts, the
 * rebuild's choice of rows and names, and the KPI sums. The live feeder runs the same rules in JS
 * (systems/leaderboard/countingLive.ts); this file is the only other interpreter, so what a board counts is
 * never written by hand in SQL. Names in the rules are spliced into the text, so they are checked here.
 */
import {
  BOARD_RULES,
  COUNTING_RULES,
  kpiRules,
  MONEY_RULES,
  PAIR_SEPARATOR,
  type CountingRule,
  type Expr,
  type Weight,
} from '../../systems/leaderboard/countingRules.js';

/**
 * Buckets a distinct-user rule remembers its members in (no hour: one row per user per entity per hour would be
 * most of the table, and nothing reads hourly uniques). `coliseum_members` rows of a closed bucket are pruned
 * once no event can be back-dated into it (the cleanup job).
 */
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

function factSql(rule: CountingRule): string {
  return `SELECT ${lit(rule.rollup.entityType)}, entity_id, ${lit(rule.rollup.metric)}, occurred_at, amount FROM (
    SELECT ${rollupEntitySql(rule)} AS entity_id, ${amountSql(rule.weight)} AS amount, occurred_at FROM batch WHERE ${matchSql(rule)}) r
   WHERE entity_id IS NOT NULL AND amount IS NOT NULL`;
}

const pair = (r: CountingRule, alias: string): string => `(${alias}.entity_type = ${lit(r.rollup.entityType)} AND ${alias}.metric = ${lit(r.rollup.metric)})`;
/** A row-value IN list: the planner keeps the index on (entity_type, metric, …). */
const anyOf = (rules: readonly CountingRule[], alias: string): string =>
  rules.length
    ? `(${alias}.entity_type, ${alias}.metric) IN (${rules.map((r) => `(${lit(r.rollup.entityType)}, ${lit(r.rollup.metric)})`).join(', ')})`
    : 'false';

const isDistinct = (r: CountingRule): boolean => 'distinctUsers' in r.weight;

/** Who a distinct rule counts: the entity and the event's user, once per bucket. */
function memberSql(rule: CountingRule): string {
  return `SELECT ${lit(rule.rollup.entityType)}, entity_id, ${lit(rule.rollup.metric)}, occurred_at, user_id FROM (
    SELECT ${rollupEntitySql(rule)} AS entity_id, occurred_at, user_id FROM batch WHERE ${matchSql(rule)}) r
   WHERE entity_id IS NOT NULL AND user_id IS NOT NULL`;
}

const bucketsOf = (periods: readonly string[]): string =>
  `(VALUES ${periods.map((p) => (p === 'all' ? `('all', 'epoch'::timestamptz)` : `('${p}', date_trunc('${p}', f.occurred_at, 'UTC'))`)).join(', ')})`;
const ALL_PERIODS = ['hour', 'day', 'week', 'month', 'all'];
/** An empty relation of these column types (a table without rules of a kind). */
const NONE = (...types: string[]): string => `SELECT ${types.map((t) => `NULL::${t}`).join(', ')} WHERE false`;

/**
 * Counts per (entity, metric, period bucket) of the passport id range (?, ?], added to `coliseum_metrics`.
 * Distinct-user rules insert their (entity, bucket, user) into `coliseum_members` and count the rows that were
 * new. The statement answers the new members of the rules that average a DNA match (`dnaMatch`), which the
 * consumer matches and adds (leaderboardRollups.ts).
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
  ${distinct.length ? distinct.map(memberSql).join('\n  UNION ALL\n  ') : NONE('text', 'text', 'text', 'timestamptz', 'text')}
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

/** The coliseum's rollup statement (COUNTING_RULES). */
export const ROLLUP_SQL = rollupSqlFor(COUNTING_RULES);

/** Adds whole-number amounts to rollup buckets: `?` is a JSON array of `{t, e, m, p, b, v}` (the DNA match sums). */
export const ADD_ROLLUP_ROWS_SQL = `
INSERT INTO coliseum_metrics AS m (entity_type, entity_id, metric, period, bucket_start, value)
SELECT t, e, m, p, b, sum(v)::bigint FROM jsonb_to_recordset(?::jsonb) AS x(t text, e text, m text, p text, b timestamptz, v bigint)
GROUP BY t, e, m, p, b
ON CONFLICT (entity_type, entity_id, metric, period, bucket_start) DO UPDATE SET value = m.value + excluded.value`;

/** The (entity_type, metric) pairs that refill live boards, as an SQL condition on `alias`. */
export const boardRowsSql = (alias: string): string => anyOf(BOARD_RULES, alias);

/** A family row's board key (its part before the separator), NULL for a fixed board's row: ranks are per board. */
export const boardKeySql = (alias: string): string =>
  `CASE WHEN ${anyOf(
    BOARD_RULES.filter((r) => 'family' in r.target),
    alias,
  )} THEN split_part(${alias}.entity_id, '${PAIR_SEPARATOR}', 1) END`;

/** Join conditions for the names the rules give: artists and events by id (a family row's entity part), transitions by both ends, tracks by id. */
export function nameJoinsSql(alias: string): { artist: string; from: string; to: string; track: string; event: string } {
  const part = (n: 1 | 2): string => `split_part(${alias}.entity_id, '${PAIR_SEPARATOR}', ${n})`;
  const byId = (naming: 'artist' | 'event', table: string): string => {
    const rules = BOARD_RULES.filter((r) => r.naming === naming);
    const [family, fixed] = [rules.filter((r) => 'family' in r.target), rules.filter((r) => !('family' in r.target))];
    return `((${anyOf(fixed, alias)}) AND ${table}.id = ${alias}.entity_id) OR ((${anyOf(family, alias)}) AND ${table}.id = ${part(2)})`;
  };
  const transitions = BOARD_RULES.filter((r) => r.naming === 'transition');
  const tracks = BOARD_RULES.filter((r) => r.naming === 'track');
  return {
    artist: byId('artist', 'a'),
    event: byId('event', 'ev'),
    from: `(${anyOf(transitions, alias)}) AND fa.id = ${part(1)}`,
    to: `(${anyOf(transitions, alias)}) AND ta.id = ${part(2)}`,
    track: `(${anyOf(tracks, alias)}) AND tr.id = ${alias}.entity_id`,
  };
}

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

/** The coliseum's KPI sums (COUNTING_RULES). */
export const KPI_SUMS_SQL = kpiSumsSqlFor(COUNTING_RULES);

/**
 * The money totals of one subject (`?` its id) in `types` (money rules' rollup entity types), per period bucket
 * in `[?, ?]` of period `?`: rows of `<currency>><id>`. The types are literal, so the planner sees they imply the
 * predicate of migration 034's index `coliseum_metrics_money` and reads that index.
 */
export function moneyRowsSql(types: readonly string[]): string {
  const known = new Set(MONEY_RULES.map((r) => r.rollup.entityType));
  for (const t of types) if (!known.has(t)) throw new Error(`${t} is no money total of the counting rules`);
  return `SELECT m.entity_type, split_part(m.entity_id, '${PAIR_SEPARATOR}', 1) AS currency, m.period, m.bucket_start, m.value::text AS value
  FROM coliseum_metrics m
  WHERE split_part(m.entity_id, '${PAIR_SEPARATOR}', 2) = ? AND m.entity_type IN (${types.map(lit).join(', ')})
    AND m.period = ? AND m.bucket_start BETWEEN ? AND ?`;
}
