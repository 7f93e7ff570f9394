/**
 * Rebuilds the live leaderboards of a Local store from the Postgres rollups after a restart (a Redis store
 * keeps its own state and is not restored). Call it at boot BEFORE the feeder is attached: `restore`
 * sets absolute bucket values and would overwrite live increments made earlier.
 *
 * What it restores, per board a counting rule feeds (systems/leaderboard/countingRules.ts: the same rules the
 * live feeder runs, so the rebuilt boards equal the live ones):
 * - hour buckets of the last 3 hours (hour window and its previous hour; hour buckets live 3 h),
 * - day buckets of the last 60 days (day, week and 30d windows and their previous windows),
 * - the all-time bucket,
 * each capped at `limitPerBucket` entities (highest first), with artist names from the catalog.
 * KPI counters: those a counting rule feeds from its rollup sums, events and sessions counted
 * from passport_entries by occurred_at (event time, as the feeder and the rollups bucket) for the last 3 hours and 2 days.
 *
 * Reset boards (/ops): each reset recorded what the live store held, bucket by bucket; that is subtracted
 * here (`options.resets`), so only what was counted after the reset comes back.
 *
 * The rollups must be caught up with the passport first (startLeaderboards' `catchUpRollups`): an event the
 * rollups had not yet processed is never seen by the Local store again, since it only hears live events.
 */
import { bucketIdFor } from '../../systems/leaderboard/windows.js';
import { KPI_LEADERBOARD, isValidId, isValidName, trackName } from '../../systems/leaderboard/leaderboards.js';
import { boardOfRollup, type Naming } from '../../systems/leaderboard/countingRules.js';
import type { LeaderboardScore, LeaderboardStore } from './LeaderboardStore.js';
import type { RollupReads, RollupRow } from '../../persistence/leaderboard/rollupReads.js';
import { baselineKey, type ResetBaselines, type ResetBaselineSource } from '../../persistence/leaderboard/LeaderboardResetLog.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * The buckets a restore reads: every window a board shows, no more. Hours: 3, as long as an hour bucket lives
 * (the hour window, its previous window, one of slack); days: 60 (the 30d window plus its previous window).
 * They follow from the windows (systems/leaderboard/windows.ts), so they are not settings.
 */
const RESTORED_BUCKETS = { hours: 3, days: 60 } as const;

export interface RestoreOptions {
  /** Most entities restored per (leaderboard, bucket) (LEADERBOARD_RESTORE_MAX_ENTRIES). */
  limitPerBucket: number;
  /** Scores removed by operator resets (/ops), subtracted from the rollups so a reset board stays reset. */
  resets?: ResetBaselineSource;
}

export interface RestoreSummary {
  leaderboards: number;
  buckets: number;
  entries: number;
  ms: number;
}

type Push = (leaderboard: string, bucketId: string, score: LeaderboardScore) => void;

function bucketOf(period: RollupRow['period'], start: Date | string): string {
  return period === 'all' ? 'all' : bucketIdFor(period, new Date(start).getTime());
}

/** Counter and family leaderboards (`votes.<eventId>`, `revenue.<currency>`), from their rules' rollups. */
async function pushRollups(reads: RollupReads, push: Push, limit: number, hourFrom: Date, dayFrom: Date): Promise<void> {
  for (const row of await reads.topRows(limit, hourFrom, dayFrom)) {
    const t = boardOfRollup(row.entity_type, row.metric, row.entity_id);
    const value = Number(row.value);
    if (!t || !isValidId(t.leaderboard) || !isValidId(t.entityId) || !(value > 0)) continue;
    const name = nameOf(t.rule.naming, row);
    push(
      t.leaderboard,
      bucketOf(row.period, row.bucket_start),
      isValidName(name) ? { entityId: t.entityId, score: value, name } : { entityId: t.entityId, score: value },
    );
  }
}

/** The catalog name the live feeder would give. */
function nameOf(naming: Naming | undefined, row: RollupRow): string | undefined {
  if (naming === 'transition') return row.from_name && row.to_name ? `${row.from_name} → ${row.to_name}` : undefined;
  if (naming === 'track') return trackName(row.track_title, row.track_artist);
  if (naming === 'event') return row.event_title ?? undefined;
  return naming === 'artist' ? (row.name ?? undefined) : undefined;
}

/** KPI counters: rollup sums, plus events and sessions counted by event hour (as the feeder counts them). */
async function pushKpis(reads: RollupReads, push: Push, nowMs: number, hourFrom: Date, dayFrom: Date): Promise<void> {
  for (const row of await reads.kpiSums(hourFrom, dayFrom))
    push(KPI_LEADERBOARD, bucketOf(row.period, row.bucket_start), { entityId: row.counter, score: Number(row.value) });

  const twoDaysFrom = new Date(Math.max(dayFrom.getTime(), (Math.floor(nowMs / DAY) - 1) * DAY));
  const days = new Map<string, { events: number; sessions: number }>();
  for (const row of await reads.eventCounts(twoDaysFrom < hourFrom ? twoDaysFrom : hourFrom)) {
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
}

/** Restores every leaderboard's current buckets from the rollups into `store`. */
export async function restoreLeaderboardsFromRollups(
  reads: RollupReads,
  store: LeaderboardStore,
  nowMs: number,
  options: RestoreOptions,
): Promise<RestoreSummary> {
  const started = performance.now();
  const limit = Math.max(1, Math.min(100_000, Math.floor(options.limitPerBucket)));
  const hourFrom = new Date((Math.floor(nowMs / HOUR) - (RESTORED_BUCKETS.hours - 1)) * HOUR);
  const dayFrom = new Date((Math.floor(nowMs / DAY) - (RESTORED_BUCKETS.days - 1)) * DAY);

  const groups = new Map<string, { leaderboard: string; bucketId: string; scores: LeaderboardScore[] }>();
  const baselines = options.resets ? await options.resets.baselines(nowMs) : null;
  const push: Push = (leaderboard, bucketId, given) => {
    const score = baselines ? afterResets(baselines, leaderboard, bucketId, given) : given;
    if (!score) return;
    const key = `${leaderboard}\u0000${bucketId}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { leaderboard, bucketId, scores: [] }));
    group.scores.push(score);
  };
  await pushRollups(reads, push, limit, hourFrom, dayFrom);
  await pushKpis(reads, push, nowMs, hourFrom, dayFrom);

  let entries = 0;
  const leaderboards = new Set<string>();
  for (const group of groups.values()) {
    await store.restore(group.leaderboard, group.bucketId, group.scores, nowMs);
    entries += group.scores.length;
    leaderboards.add(group.leaderboard);
  }
  return { leaderboards: leaderboards.size, buckets: groups.size, entries, ms: Math.round(performance.now() - started) };
}

/**
 * A rollup score minus what resets removed from the same bucket: what was counted after the resets. A rollup
 * still behind the live store (events not yet processed) can come out ≤ 0: the entity is left out.
 */
function afterResets(baselines: ResetBaselines, leaderboard: string, bucketId: string, score: LeaderboardScore): LeaderboardScore | null {
  const removed = baselines.get(baselineKey(leaderboard, bucketId, score.entityId));
  if (removed === undefined) return score;
  const left = score.score - removed;
  return left > 1e-9 ? { ...score, score: left } : null;
}
