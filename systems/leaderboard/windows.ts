/**
 * Leaderboard windows built from time buckets (pure: time is always passed in as epoch ms, all UTC).
 *
 * Every increment lands in three buckets: its UTC hour (`h:YYYYMMDDHH`), its UTC day (`d:YYYYMMDD`)
 * and the all-time bucket (`all`). A window is a weighted union of buckets:
 *
 * | window | buckets (newest first)                        | previous window                          |
 * |--------|-----------------------------------------------|------------------------------------------|
 * | hour   | the current UTC hour (resets on the hour)     | the hour before                          |
 * | day    | the current UTC day ("today", resets 00:00)   | yesterday                                |
 * | week   | rolling: today + the 6 days before (6–7 days) | the 7 days before those                  |
 * | 30d    | rolling: today + the 29 days before           | the 30 days before those                 |
 * | all    | all-time                                      | all-time minus today = standings at 00:00 |
 *
 * Why: hour and day follow the seed's "today" selector and the hourly/daily rollups in Postgres, so a
 * rollup row restores into exactly one bucket (Nakama-style reset schedules); week and 30d are the
 * seed's rolling "7 days"/"30 days" leaderboards. A bucket must outlive every window that reads it, including
 * the previous window used for trends, so hour buckets live 3 h and day buckets 61 days from their start.
 */

import { AppError } from '../errors.js';

export type LeaderboardWindow = 'hour' | 'day' | 'week' | '30d' | 'all';
export type BucketKind = 'hour' | 'day' | 'all';

/** One bucket in a window union: the window's score is the sum of `weight × bucket score`. */
export interface BucketTerm {
  readonly id: string;
  readonly weight: number;
}

export const LEADERBOARD_WINDOWS: readonly LeaderboardWindow[] = ['hour', 'day', 'week', '30d', 'all'];
export const ALL_TIME_BUCKET = 'all';

export type LeaderboardErrorCode =
  | 'LEADERBOARD_WINDOW_INVALID'
  | 'LEADERBOARD_BUCKET_INVALID'
  | 'LEADERBOARD_ID_INVALID'
  | 'LEADERBOARD_ENTITY_INVALID'
  | 'LEADERBOARD_NAME_INVALID'
  | 'LEADERBOARD_SCORE_INVALID'
  | 'LEADERBOARD_TIME_INVALID'
  | 'LEADERBOARD_LIMIT_INVALID';

/** Raised for any invalid leaderboard input; `code` is stable for transports, the message says the fix. */
export class LeaderboardError extends AppError<LeaderboardErrorCode> {
  override readonly name = 'LeaderboardError';
}

/**
 * A batch of increments failed for some leaderboards only (a store that writes each leaderboard on its own:
 * one transaction per Redis Cluster slot). `applied` were written whole; the rest were not written at all.
 */
export class PartialIncrementError extends Error {
  override readonly name = 'PartialIncrementError';
  constructor(
    readonly applied: readonly string[],
    readonly failure: Error,
  ) {
    super(`leaderboard increments written for ${applied.length} leaderboard(s) only: ${failure.message}`);
  }
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WINDOW_DAYS: Readonly<Record<'week' | '30d', number>> = { week: 7, '30d': 30 };

/** Lifetime of a bucket measured from its start: longest window that unions it, plus its previous window, plus one bucket of slack. */
const TTL_SECONDS: Readonly<Record<BucketKind, number | null>> = {
  hour: 3 * 3600,
  day: 61 * 86_400,
  all: null,
};

/** Narrows a string to a window name; throws `LEADERBOARD_WINDOW_INVALID` otherwise. */
export function parseWindow(value: string): LeaderboardWindow {
  if ((LEADERBOARD_WINDOWS as readonly string[]).includes(value)) return value as LeaderboardWindow;
  throw new LeaderboardError('LEADERBOARD_WINDOW_INVALID', `unknown leaderboard window "${value}": use one of ${LEADERBOARD_WINDOWS.join(', ')}`);
}

/** Throws `LEADERBOARD_TIME_INVALID` unless `nowMs` is a finite, non-negative epoch millisecond value. */
export function assertTime(nowMs: number): void {
  if (!Number.isFinite(nowMs) || nowMs < 0) {
    throw new LeaderboardError('LEADERBOARD_TIME_INVALID', `nowMs must be a finite epoch time in milliseconds, got ${String(nowMs)}`);
  }
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function formatDay(dayIndex: number): string {
  const d = new Date(dayIndex * DAY_MS);
  return `d:${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
}

function formatHour(hourIndex: number): string {
  const d = new Date(hourIndex * HOUR_MS);
  return `h:${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}${pad(d.getUTCHours(), 2)}`;
}

const hourIndexOf = (ms: number): number => Math.floor(ms / HOUR_MS);
const dayIndexOf = (ms: number): number => Math.floor(ms / DAY_MS);

/** The id of the bucket of `kind` that contains `timeMs` (e.g. to map a Postgres rollup's period_start). */
export function bucketIdFor(kind: BucketKind, timeMs: number): string {
  assertTime(timeMs);
  if (kind === 'hour') return formatHour(hourIndexOf(timeMs));
  if (kind === 'day') return formatDay(dayIndexOf(timeMs));
  return ALL_TIME_BUCKET;
}

export interface ParsedBucket {
  kind: BucketKind;
  /** Inclusive start, epoch ms; null for the all-time bucket. */
  startMs: number | null;
  /** Exclusive end, epoch ms; null for the all-time bucket. */
  endMs: number | null;
}

const BUCKET_RE = /^(h|d):(\d{4})(\d{2})(\d{2})(\d{2})?$/;

/** Parses and validates a bucket id; throws `LEADERBOARD_BUCKET_INVALID` for anything `bucketIdFor` would not produce. */
export function parseBucketId(id: string): ParsedBucket {
  if (id === ALL_TIME_BUCKET) return { kind: 'all', startMs: null, endMs: null };
  const m = BUCKET_RE.exec(id);
  const isHour = m?.[1] === 'h';
  if (m && isHour === (m[5] !== undefined)) {
    const startMs = Date.UTC(Number(m[2]), Number(m[3]) - 1, Number(m[4]), isHour ? Number(m[5]) : 0);
    const kind: BucketKind = isHour ? 'hour' : 'day';
    // Round-trip check rejects out-of-range parts such as month 13 or hour 24.
    if (startMs >= 0 && bucketIdFor(kind, startMs) === id) {
      return { kind, startMs, endMs: startMs + (isHour ? HOUR_MS : DAY_MS) };
    }
  }
  throw new LeaderboardError('LEADERBOARD_BUCKET_INVALID', `invalid bucket id "${id}": expected "all", "d:YYYYMMDD" or "h:YYYYMMDDHH" (UTC)`);
}

/** Absolute expiry of a bucket (epoch ms), derived from its id alone so every writer sets the same value. */
export function bucketExpiresAtMs(bucketId: string): number | null {
  const { kind, startMs } = parseBucketId(bucketId);
  const ttl = TTL_SECONDS[kind];
  return startMs === null || ttl === null ? null : startMs + ttl * 1000;
}

/**
 * Bucket groups a write targets, as bits: the hour bucket ({@link HOUR_GROUP}), and the day and all-time
 * buckets together ({@link DAY_GROUP}; together so the previous 'all' window, all-time minus today, stays
 * exact). The feeder writes a group some spectator watches at once and the others later.
 */
export const HOUR_GROUP = 1;
export const DAY_GROUP = 2;
export const EVERY_GROUP = 3;
export type BucketGroups = 1 | 2 | 3;

/** True for 1, 2 and 3: the group masks a write may carry. */
export function isBucketGroups(value: unknown): value is BucketGroups {
  return value === HOUR_GROUP || value === DAY_GROUP || value === EVERY_GROUP;
}

/** The group of buckets `window` reads: the hour window its hour bucket; day, week, 30d and all the day and all-time buckets. */
export function groupOfWindow(window: LeaderboardWindow): BucketGroups {
  return parseWindow(window) === 'hour' ? HOUR_GROUP : DAY_GROUP;
}

/** Every bucket of `groups` an increment at `nowMs` must touch: its hour, its day, all-time (default: all three). */
export function bucketsToWrite(nowMs: number, groups: BucketGroups = EVERY_GROUP): string[] {
  assertTime(nowMs);
  const ids: string[] = [];
  if (groups & HOUR_GROUP) ids.push(formatHour(hourIndexOf(nowMs)));
  if (groups & DAY_GROUP) ids.push(formatDay(dayIndexOf(nowMs)), ALL_TIME_BUCKET);
  return ids;
}

/** `bucketsToWrite` for each group mask at `nowMs`, indexed by the mask (index 0 is empty). */
export function bucketsByGroups(nowMs: number): readonly [readonly string[], readonly string[], readonly string[], readonly string[]] {
  return [[], bucketsToWrite(nowMs, HOUR_GROUP), bucketsToWrite(nowMs, DAY_GROUP), bucketsToWrite(nowMs, EVERY_GROUP)];
}

function dayRange(lastDayIndex: number, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(formatDay(lastDayIndex - i));
  return ids;
}

/** Bucket ids whose sum is `window` at `nowMs`, newest first. */
export function bucketsFor(window: LeaderboardWindow, nowMs: number): string[] {
  parseWindow(window);
  assertTime(nowMs);
  const day = dayIndexOf(nowMs);
  switch (window) {
    case 'hour':
      return [formatHour(hourIndexOf(nowMs))];
    case 'day':
      return [formatDay(day)];
    case 'week':
    case '30d':
      return dayRange(day, WINDOW_DAYS[window]);
    case 'all':
      return [ALL_TIME_BUCKET];
  }
}

/** `bucketsFor` as weighted terms (all weights 1), the shape stores consume. */
export function windowTerms(window: LeaderboardWindow, nowMs: number): BucketTerm[] {
  return bucketsFor(window, nowMs).map((id) => ({ id, weight: 1 }));
}

/**
 * The window just before `window` at `nowMs`, for previous rank and trends: the previous hour, yesterday,
 * the 7/30 days before the current 7/30. For 'all' it is all-time minus today (weight −1), i.e. the
 * standings at 00:00 UTC, so entities first seen today count as new.
 */
export function previousWindowBuckets(window: LeaderboardWindow, nowMs: number): BucketTerm[] {
  parseWindow(window);
  assertTime(nowMs);
  const day = dayIndexOf(nowMs);
  const ones = (ids: string[]): BucketTerm[] => ids.map((id) => ({ id, weight: 1 }));
  switch (window) {
    case 'hour':
      return ones([formatHour(hourIndexOf(nowMs) - 1)]);
    case 'day':
      return ones([formatDay(day - 1)]);
    case 'week':
    case '30d':
      return ones(dayRange(day - WINDOW_DAYS[window], WINDOW_DAYS[window]));
    case 'all':
      return [
        { id: ALL_TIME_BUCKET, weight: 1 },
        { id: formatDay(day), weight: -1 },
      ];
  }
}

/**
 * A key that changes exactly when the window's bucket set changes (all boundaries are hour-aligned);
 * stores use it to name cached unions.
 */
export function windowSignature(window: LeaderboardWindow, nowMs: number, previous = false): string {
  const terms = previous ? previousWindowBuckets(window, nowMs) : windowTerms(window, nowMs);
  const span = terms.length > 1 ? `${terms[0].id}~${terms[terms.length - 1].id}` : terms[0].id;
  return `${previous ? 'prev:' : ''}${window}@${span}`;
}
