/**
 * An operator resets one leaderboard from /ops. What a reset means:
 * - live: every window of the board (hour … all-time, previous windows too) and its display names are
 *   cleared in the store; events after the reset count from zero. With the Redis store every process sees it
 *   at once; a Local store (no REDIS_URL, hence one process) is the only live copy.
 * - durable: the store hands back what it removed, bucket by bucket, and a `leaderboard_resets` row keeps it.
 *   The Postgres rollups are NOT changed (they are the analytics record: reports and KPIs still count every
 *   event). A Local store rebuilt from the rollups after a restart subtracts the recorded scores, so only
 *   what was counted after the reset comes back (restoreFromRollups.ts).
 * - if the record cannot be written, the removed scores are put back and the reset fails (never a reset that
 *   silently comes back after a restart). Increments landing in that instant may be overwritten.
 * Derived (trending) boards are not reset: they re-rank their base board, which is.
 */
import type { LeaderboardResetResult, LeaderboardStore } from './LeaderboardStore.js';
import type { ResetRecord } from '../../persistence/leaderboard/LeaderboardResetLog.js';
import { STATIC_LEADERBOARDS, leaderboardDefinition, type LeaderboardDefinition } from '../../systems/leaderboard/leaderboards.js';

export interface ResetDeps {
  store: LeaderboardStore;
  record: { record(leaderboard: string, nowMs: number, removed: LeaderboardResetResult): Promise<ResetRecord> };
  /** Called after a reset (e.g. the broadcaster's poke, so spectators see it at the next tick). */
  /** The board was reset (e.g. tell every coliseum, through BoardChanges). */
  onReset?: (leaderboard: string) => void;
}

/** Why a name cannot be reset: not a board (or a dynamic board that holds nothing), or a derived one. */
export type ResetRefusal = { reason: 'unknown'; message: string } | { reason: 'derived'; message: string; base: string };

/** The board behind `name` if it can be reset, else why not. */
export async function resetTarget(store: LeaderboardStore, name: string, nowMs: number): Promise<LeaderboardDefinition | ResetRefusal> {
  const def = leaderboardDefinition(name);
  if (!def) return { reason: 'unknown', message: `no leaderboard "${name}"; GET /api/ops/leaderboards lists them` };
  if (def.kind === 'trending') return { reason: 'derived', base: def.base!, message: `"${name}" ranks the growth of ${def.base}: reset ${def.base} instead` };
  const isStatic = Object.prototype.hasOwnProperty.call(STATIC_LEADERBOARDS, name);
  if (!isStatic && (await store.top(name, 'all', 1, nowMs)).length === 0) return { reason: 'unknown', message: `leaderboard "${name}" holds no scores` };
  return def;
}

/** Clears the board in the store, then records what was removed; on a failed record, puts it back and throws. */
export async function resetLeaderboard(deps: ResetDeps, leaderboard: string, nowMs: number): Promise<ResetRecord & { buckets: number }> {
  const removed = await deps.store.reset(leaderboard, nowMs);
  let record: ResetRecord;
  try {
    record = await deps.record.record(leaderboard, nowMs, removed);
  } catch (err) {
    for (const bucket of removed.buckets) await deps.store.restore(leaderboard, bucket.bucketId, bucket.scores, nowMs);
    throw err;
  }
  deps.onReset?.(leaderboard);
  return { ...record, buckets: removed.buckets.length };
}
