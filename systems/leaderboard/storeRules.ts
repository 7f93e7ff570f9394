/**
 * What a leaderboard store accepts, checked the same way by every implementation (Local and Redis):
 * ids, names, increments, pages, restores; and the shape of a reset's report.
 */
import type { LeaderboardIncrement } from './leaderboards.js';
import { LeaderboardError, assertTime, bucketExpiresAtMs, isBucketGroups, parseBucketId, parseWindow, type LeaderboardWindow } from './windows.js';
import { compareIds } from './ranking.js';

/** One absolute score for `restore`. A score of 0 removes the entity from the bucket. */
export interface LeaderboardScore {
  entityId: string;
  score: number;
  name?: string;
}

export const MAX_ID_LENGTH = 200;
export const MAX_PAGE = 1000;
export const MAX_RADIUS = 100;

// Whitespace, control characters and lone surrogates (the latter would not survive UTF-8 to Redis intact).
const BAD_ID_CHARS = /[\s\p{Cc}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
const BAD_NAME_CHARS = /\p{Cc}|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

function assertId(value: unknown, what: 'leaderboard id' | 'entity id', code: 'LEADERBOARD_ID_INVALID' | 'LEADERBOARD_ENTITY_INVALID'): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH || BAD_ID_CHARS.test(value)) {
    throw new LeaderboardError(code, `invalid ${what} ${JSON.stringify(value)}: use 1–${MAX_ID_LENGTH} characters without whitespace or control characters`);
  }
}

export const assertLeaderboardId = (leaderboard: unknown): void => assertId(leaderboard, 'leaderboard id', 'LEADERBOARD_ID_INVALID');
export const assertEntityId = (entityId: unknown): void => assertId(entityId, 'entity id', 'LEADERBOARD_ENTITY_INVALID');

export function assertName(name: unknown): void {
  if (name === undefined) return;
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_ID_LENGTH || BAD_NAME_CHARS.test(name)) {
    throw new LeaderboardError(
      'LEADERBOARD_NAME_INVALID',
      `invalid display name ${JSON.stringify(name)}: use 1–${MAX_ID_LENGTH} characters without control characters, or omit it`,
    );
  }
}

export function assertIncrement(by: unknown): void {
  if (typeof by !== 'number' || !Number.isFinite(by) || by <= 0) {
    throw new LeaderboardError('LEADERBOARD_SCORE_INVALID', `increment must be a positive finite number, got ${String(by)}`);
  }
}

export function assertRestoredScore(score: unknown): void {
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0) {
    throw new LeaderboardError('LEADERBOARD_SCORE_INVALID', `restored score must be a finite number ≥ 0, got ${String(score)}`);
  }
}

export function assertCount(value: unknown, what: 'limit' | 'radius', min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new LeaderboardError('LEADERBOARD_LIMIT_INVALID', `${what} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}

/** Validates the arguments every read shares. */
export function assertRead(leaderboard: string, window: LeaderboardWindow, nowMs: number): void {
  assertLeaderboardId(leaderboard);
  parseWindow(window);
  assertTime(nowMs);
}

/** Validates a previousStandings request (at most MAX_PAGE ids). */
export function assertStandings(leaderboard: string, window: LeaderboardWindow, entityIds: readonly string[], nowMs: number): void {
  assertRead(leaderboard, window, nowMs);
  assertCount(entityIds.length, 'limit', 0, MAX_PAGE);
  entityIds.forEach(assertEntityId);
}

/** Validates a whole batch before anything is written, so a bad item never leaves half a batch applied. */
export function assertIncrements(items: readonly LeaderboardIncrement[], nowMs: number): void {
  assertTime(nowMs);
  for (const item of items) {
    assertLeaderboardId(item.leaderboard);
    assertEntityId(item.entityId);
    assertIncrement(item.by);
    assertName(item.name);
    if (item.groups !== undefined && !isBucketGroups(item.groups)) {
      throw new LeaderboardError(
        'LEADERBOARD_BUCKET_INVALID',
        `increment groups must be 1 (hour), 2 (day and all-time) or 3 (every bucket), got ${String(item.groups)}`,
      );
    }
  }
}

/** Validates a whole restore before anything is written. */
export function assertRestore(leaderboard: string, bucketId: string, scores: readonly LeaderboardScore[], nowMs: number): void {
  assertLeaderboardId(leaderboard);
  parseBucketId(bucketId);
  assertTime(nowMs);
  for (const s of scores) {
    assertEntityId(s.entityId);
    assertRestoredScore(s.score);
    assertName(s.name);
  }
}

/** Start index of an `around` page: centred on `index`, shifted to stay within [0, size). */
export function aroundStart(index: number, radius: number, size: number): number {
  const span = 2 * radius + 1;
  return Math.max(0, Math.min(index - radius, size - span));
}

/** What {@link LeaderboardStore.reset} removed from one bucket (scores > 0; names are not kept). */
export interface ResetBucket {
  bucketId: string;
  scores: LeaderboardScore[];
}

export interface LeaderboardResetResult {
  buckets: ResetBucket[];
  /** Scores removed over all buckets. */
  entries: number;
}

/** Builds a reset result from (bucket, entity, score) triples, skipping expired buckets and empty scores. */
export function resetResult(rows: Iterable<[bucketId: string, entityId: string, score: number]>, nowMs: number): LeaderboardResetResult {
  const byBucket = new Map<string, LeaderboardScore[]>();
  let entries = 0;
  for (const [bucketId, entityId, score] of rows) {
    const expiresAt = bucketExpiresAtMs(bucketId);
    if (!(score > 0) || (expiresAt !== null && expiresAt <= nowMs)) continue;
    let scores = byBucket.get(bucketId);
    if (!scores) byBucket.set(bucketId, (scores = []));
    scores.push({ entityId, score });
    entries++;
  }
  const buckets = [...byBucket].map(([bucketId, scores]) => ({ bucketId, scores })).sort((a, b) => compareIds(a.bucketId, b.bucketId));
  return { buckets, entries };
}
