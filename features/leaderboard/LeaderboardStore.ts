import type { LeaderboardEntry, RankScore } from '../../systems/leaderboard/ranking.js';
import type { LeaderboardIncrement } from '../../systems/leaderboard/leaderboards.js';
import type { LeaderboardWindow } from '../../systems/leaderboard/windows.js';
import type { LeaderboardResetResult, LeaderboardScore } from '../../systems/leaderboard/storeRules.js';

export type { LeaderboardEntry, RankScore } from '../../systems/leaderboard/ranking.js';
export type { LeaderboardIncrement } from '../../systems/leaderboard/leaderboards.js';
export type { LeaderboardResetResult, LeaderboardScore, ResetBucket } from '../../systems/leaderboard/storeRules.js';
export { LeaderboardError, PartialIncrementError, type LeaderboardErrorCode, type LeaderboardWindow } from '../../systems/leaderboard/windows.js';

/**
 * Windowed leaderboards (hour, day, week, 30d, all; see systems/leaderboard/windows.ts) over time buckets.
 * Two implementations share one test suite, built by the backplane (persistence/backplane): LocalLeaderboardStore
 * (one process) and RedisLeaderboardStore (shared across processes). Order: score descending, then entity id ascending (code point order); ranks
 * are 1-based and unique. Time is always passed in (`nowMs`), never read from a clock.
 *
 * Consistency: Local reads see every completed write. Redis reads of multi-bucket windows (week, 30d,
 * previous 'all') come from a union cached for `unionCacheMs` (default 1 s) so spectators share one
 * computation; they may lag writes by that long. Single-bucket windows (hour, day, all) are always fresh.
 */
export interface LeaderboardStore {
  readonly kind: 'local' | 'redis';
  /** Adds `by` to the entity in its hour, day and all-time buckets at `nowMs`; remembers `name` if given. */
  increment(leaderboard: string, entityId: string, by: number, nowMs: number, name?: string): Promise<void>;
  /**
   * Batched increments, all at `nowMs`: validated first (all or nothing), then applied in one round trip.
   * Each goes to the buckets of its `groups` (default all three: hour, day, all-time). Each leaderboard's part is
   * applied whole or not at all; a failure for some only is a PartialIncrementError naming those applied.
   */
  incrementMany(items: readonly LeaderboardIncrement[], nowMs: number): Promise<void>;
  /** The first `limit` (1–1000) entries of `window` at `nowMs`. */
  top(leaderboard: string, window: LeaderboardWindow, limit: number, nowMs: number): Promise<LeaderboardEntry[]>;
  /** The first `limit` entries of the previous window (previous hour, yesterday, …; see previousWindowBuckets). */
  previousTop(leaderboard: string, window: LeaderboardWindow, limit: number, nowMs: number): Promise<LeaderboardEntry[]>;
  /** Rank and score of each given entity in the previous window; unranked entities are absent from the map. */
  previousStandings(leaderboard: string, window: LeaderboardWindow, entityIds: readonly string[], nowMs: number): Promise<Map<string, RankScore>>;
  /** Rank and score of one entity, or null when it has no score in the window. */
  rankOf(leaderboard: string, window: LeaderboardWindow, entityId: string, nowMs: number): Promise<RankScore | null>;
  /**
   * Up to 2·radius+1 entries centred on the entity (radius 0–100). Near the top or bottom the page shifts
   * to stay full, as Nakama's "around owner" does. Empty when the entity is not ranked.
   */
  around(leaderboard: string, window: LeaderboardWindow, entityId: string, radius: number, nowMs: number): Promise<LeaderboardEntry[]>;
  /**
   * Sets absolute scores in one bucket (e.g. from Postgres rollups after a restart: bucketIdFor('day',
   * period_start)); other entities are untouched. A bucket already expired at `nowMs` is skipped.
   */
  restore(leaderboard: string, bucketId: string, scores: readonly LeaderboardScore[], nowMs: number): Promise<void>;
  close(): Promise<void>;
  /**
   * Removes every score of `leaderboard` (every bucket, so every window and previous window) and its
   * display names, and returns what was removed, bucket by bucket (live buckets only: those not expired
   * at `nowMs`). Increments after it count from zero. An unknown leaderboard returns no buckets. With
   * the Redis store every process sees the reset at once; a Local store is its own process's only.
   */
  reset(leaderboard: string, nowMs: number): Promise<LeaderboardResetResult>;
  /** Ids of the leaderboards holding any bucket, in code point order, at most `limit` (1–1000). */
  leaderboardIds(limit: number): Promise<string[]>;
}
