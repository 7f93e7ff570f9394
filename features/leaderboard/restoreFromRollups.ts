/**
 * Rebuilds the live leaderboards of a Local store from the Postgres rollups after a restart (a Redis store
 * keeps its own state and is not restored). Call it at boot BEFORE the feeder is attached: `restore`
 * sets absolute bucket values and would overwrite live increments made earlier.
 *
 * What it restores, per counter leaderboard (systems/leaderboard/leaderboards.ts) and vote leaderboard:
 * - hour buckets of the last 3 hours (hour window and its previous hour; hour buckets live 3 h),
 * - day buckets of the last 60 days (day, week and 30d windows and their previous windows),
 * - the all-time bucket,
 * each capped at `limitPerBucket` entities (highest first), with artist names from the catalog.
 * KPI counters: visits / captures / votes / transitions from rollup sums, events and sessions counted
 * from passport_entries by received_at (the feeder counts at arrival) for the last 3 hours and 2 days.
 *
 * Not restored: events accepted before the crash that the rollup processor had not yet processed; the
 * processor later adds them to Postgres, but the Local store only sees live events. They reappear on
 * the next restart.
 */
import type { Sql } from '../../persistence/db.js';
import { bucketIdFor } from '../../systems/leaderboard/windows.js';
import { KPI_LEADERBOARD, PAIR_SEPARATOR, STATIC_LEADERBOARDS, isValidId, isValidName, voteLeaderboard, type LeaderboardDefinition } from '../../systems/leaderboard/leaderboards.js';
import type { LeaderboardScore, LeaderboardStore } from '../../persistence/leaderboard/LeaderboardStore.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface RestoreOptions {
  /** Most entities restored per (leaderboard, bucket). Default 5,000. */
  limitPerBucket?: number;
  /** Day buckets restored. Default 60 (30d window plus its previous window). */
  days?: number;
  /** Hour buckets restored. Default 3. */
  hours?: number;
}

export interface RestoreSummary {
  leaderboards: number;
  buckets: number;
  entries: number;
  ms: number;
}

interface RollupRow {
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

const counterLeaderboards = (): LeaderboardDefinition[] => Object.values(STATIC_LEADERBOARDS).filter((b) => b.kind === 'counter' && b.rollup);

/** Which leaderboard a rollup row feeds, with the entity id as that leaderboard names it. */
function target(row: Pick<RollupRow, 'entity_type' | 'metric' | 'entity_id'>): { leaderboard: string; entityId: string } | null {
  if (row.entity_type === 'vote_option' && row.metric === 'votes') {
    const at = row.entity_id.indexOf(PAIR_SEPARATOR);
    if (at <= 0) return null;
    return { leaderboard: voteLeaderboard(row.entity_id.slice(0, at)), entityId: row.entity_id.slice(at + 1) };
  }
  const def = counterLeaderboards().find((b) => b.rollup!.entityType === row.entity_type && b.rollup!.metric === row.metric);
  return def ? { leaderboard: def.name, entityId: row.entity_id } : null;
}

function bucketOf(period: RollupRow['period'], start: Date | string): string {
  return period === 'all' ? 'all' : bucketIdFor(period, new Date(start).getTime());
}

const pairs = (): string => [...counterLeaderboards().map((b) => `('${b.rollup!.entityType}', '${b.rollup!.metric}')`), `('vote_option', 'votes')`].join(', ');

const ROWS_SQL = (limit: number) => `
WITH ranked AS (
  SELECT m.entity_type, m.entity_id, m.metric, m.period, m.bucket_start, m.value,
         row_number() OVER (
           PARTITION BY m.entity_type, m.metric, m.period, m.bucket_start,
                        CASE WHEN m.entity_type = 'vote_option' THEN split_part(m.entity_id, '${PAIR_SEPARATOR}', 1) END
           ORDER BY m.value DESC, m.entity_id) AS rn
  FROM coliseum_metrics m
  WHERE (m.entity_type, m.metric) IN (${pairs()})
    AND ((m.period = 'hour' AND m.bucket_start >= ?) OR (m.period = 'day' AND m.bucket_start >= ?) OR m.period = 'all')
)
SELECT r.entity_type, r.entity_id, r.metric, r.period, r.bucket_start, r.value,
       a.name AS name, fa.name AS from_name, ta.name AS to_name
FROM ranked r
LEFT JOIN artists a ON r.entity_type = 'artist' AND a.id = r.entity_id
LEFT JOIN artists fa ON r.entity_type = 'orb_transition' AND fa.id = split_part(r.entity_id, '${PAIR_SEPARATOR}', 1)
LEFT JOIN artists ta ON r.entity_type = 'orb_transition' AND ta.id = split_part(r.entity_id, '${PAIR_SEPARATOR}', 2)
WHERE r.rn <= ${limit}`;

const KPI_SUMS_SQL = `
SELECT CASE WHEN entity_type = 'artist' AND metric = 'station_visits' THEN 'visits'
            WHEN entity_type = 'artist' AND metric = 'captures' THEN 'captures'
            WHEN entity_type = 'vote_option' THEN 'votes'
            ELSE 'transitions' END AS counter,
       period, bucket_start, sum(value)::float8 AS value
FROM coliseum_metrics
WHERE (entity_type, metric) IN (('artist', 'station_visits'), ('artist', 'captures'), ('vote_option', 'votes'), ('orb_transition', 'transitions'))
  AND ((period = 'hour' AND bucket_start >= ?) OR (period = 'day' AND bucket_start >= ?))
GROUP BY 1, 2, 3`;

const EVENT_COUNTS_SQL = `
SELECT date_trunc('hour', received_at, 'UTC') AS hour, count(*)::float8 AS events,
       count(*) FILTER (WHERE event_type = 'session.started')::float8 AS sessions
FROM passport_entries WHERE received_at >= ? GROUP BY 1`;

/** Restores every leaderboard's current buckets from `coliseum_metrics` into `store`. */
export async function restoreLeaderboardsFromRollups(sql: Sql, store: LeaderboardStore, nowMs: number, options: RestoreOptions = {}): Promise<RestoreSummary> {
  const started = performance.now();
  const limit = Math.max(1, Math.min(100_000, Math.floor(options.limitPerBucket ?? 5_000)));
  const hourFrom = new Date((Math.floor(nowMs / HOUR) - ((options.hours ?? 3) - 1)) * HOUR);
  const dayFrom = new Date((Math.floor(nowMs / DAY) - ((options.days ?? 60) - 1)) * DAY);

  const groups = new Map<string, { leaderboard: string; bucketId: string; scores: LeaderboardScore[] }>();
  const push = (leaderboard: string, bucketId: string, score: LeaderboardScore): void => {
    const key = `${leaderboard}\u0000${bucketId}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { leaderboard, bucketId, scores: [] }));
    group.scores.push(score);
  };

  for (const row of await sql.query<RollupRow>(ROWS_SQL(limit), [hourFrom, dayFrom])) {
    const t = target(row);
    const value = Number(row.value);
    if (!t || !isValidId(t.leaderboard) || !isValidId(t.entityId) || !(value > 0)) continue;
    const name = row.entity_type === 'orb_transition' ? (row.from_name && row.to_name ? `${row.from_name} → ${row.to_name}` : undefined) : (row.name ?? undefined);
    push(t.leaderboard, bucketOf(row.period, row.bucket_start), isValidName(name) ? { entityId: t.entityId, score: value, name } : { entityId: t.entityId, score: value });
  }

  for (const row of await sql.query<{ counter: string; period: 'hour' | 'day'; bucket_start: Date | string; value: number }>(KPI_SUMS_SQL, [hourFrom, dayFrom])) {
    push(KPI_LEADERBOARD, bucketOf(row.period, row.bucket_start), { entityId: row.counter, score: Number(row.value) });
  }

  const twoDaysFrom = new Date(Math.max(dayFrom.getTime(), (Math.floor(nowMs / DAY) - 1) * DAY));
  const days = new Map<string, { events: number; sessions: number }>();
  for (const row of await sql.query<{ hour: Date | string; events: number; sessions: number }>(EVENT_COUNTS_SQL, [twoDaysFrom < hourFrom ? twoDaysFrom : hourFrom])) {
    const hourMs = new Date(row.hour).getTime();
    if (hourMs >= hourFrom.getTime()) {
      push(KPI_LEADERBOARD, bucketIdFor('hour', hourMs), { entityId: 'events', score: Number(row.events) });
      push(KPI_LEADERBOARD, bucketIdFor('hour', hourMs), { entityId: 'sessions', score: Number(row.sessions) });
    }
    const day = bucketIdFor('day', hourMs);
    const sum = days.get(day) ?? { events: 0, sessions: 0 };
    sum.events += Number(row.events);
    sum.sessions += Number(row.sessions);
    days.set(day, sum);
  }
  for (const [day, sum] of days) {
    push(KPI_LEADERBOARD, day, { entityId: 'events', score: sum.events });
    push(KPI_LEADERBOARD, day, { entityId: 'sessions', score: sum.sessions });
  }

  let entries = 0;
  const leaderboards = new Set<string>();
  for (const group of groups.values()) {
    await store.restore(group.leaderboard, group.bucketId, group.scores, nowMs);
    entries += group.scores.length;
    leaderboards.add(group.leaderboard);
  }
  return { leaderboards: leaderboards.size, buckets: groups.size, entries, ms: Math.round(performance.now() - started) };
}
