/**
 * The store's rules, shared by every implementation (Local and Redis): time buckets and windows, ids and
 * names, the leaderboard order, what a store accepts, and the store's interface. Pure: time is passed in.
 *
 * Every increment lands in three buckets: its UTC hour (`h:YYYYMMDDHH`), its UTC day (`d:YYYYMMDD`) and the
 * all-time bucket (`all`). A window is a weighted union of buckets:
 *
 * | window | buckets (newest first)                        | previous window                          |
 * |--------|-----------------------------------------------|------------------------------------------|
 * | hour   | the current UTC hour (resets on the hour)     | the hour before                          |
 * | day    | the current UTC day ("today", resets 00:00)   | yesterday                                |
 * | week   | rolling: today + the 6 days before (6–7 days) | the 7 days before those                  |
 * | 30d    | rolling: today + the 29 days before           | the 30 days before those                 |
 * | all    | all-time                                      | all-time minus today = standings at 00:00 |
 *
 * Hour and day follow the hourly/daily rollups in Postgres, so a rollup row restores into exactly one bucket.
 * A bucket must outlive every window that reads it, including the previous window used for trends, so hour
 * buckets live 3 h and day buckets 61 days from their start.
 *
 * Order, shared by every store: higher score first; equal scores by entity id ascending in code point order
 * (= UTF-8 byte order, which is how Redis orders equal-score members). Ranks are 1-based and unique, as in Nakama.
 */
import { AppError } from '../errors.js';

export type LeaderboardWindow = 'hour' | 'day' | 'week' | '30d' | 'all';
type BucketKind = 'hour' | 'day' | 'all';

/** A window's score is the sum of `weight × bucket score`. */
export interface BucketTerm {
  readonly id: string;
  readonly weight: number;
}

export const LEADERBOARD_WINDOWS: readonly LeaderboardWindow[] = ['hour', 'day', 'week', '30d', 'all'];

export type LeaderboardErrorCode = `LEADERBOARD_${'WINDOW' | 'BUCKET' | 'ID' | 'ENTITY' | 'NAME' | 'SCORE' | 'TIME' | 'LIMIT'}_INVALID`;

export class LeaderboardError extends AppError<LeaderboardErrorCode> {
  override readonly name = 'LeaderboardError';
}

/** A store writing each leaderboard on its own (one transaction per Redis Cluster slot): `applied` were written whole, the rest not at all. */
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
/** The longest window that unions it, plus its previous window, plus one bucket of slack. */
const TTL_MS: Readonly<Record<BucketKind, number | null>> = { hour: 3 * HOUR_MS, day: 61 * DAY_MS, all: null };

const invalid = (code: LeaderboardErrorCode, message: string): never => {
  throw new LeaderboardError(code, message);
};

export function parseWindow(value: string): LeaderboardWindow {
  if ((LEADERBOARD_WINDOWS as readonly string[]).includes(value)) return value as LeaderboardWindow;
  return invalid('LEADERBOARD_WINDOW_INVALID', `unknown leaderboard window "${value}": use one of ${LEADERBOARD_WINDOWS.join(', ')}`);
}

function assertTime(nowMs: number): void {
  if (!Number.isFinite(nowMs) || nowMs < 0) invalid('LEADERBOARD_TIME_INVALID', `nowMs must be a finite epoch time in milliseconds, got ${String(nowMs)}`);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const ymd = (d: Date): string => `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
const formatDay = (dayIndex: number): string => `d:${ymd(new Date(dayIndex * DAY_MS))}`;
const formatHour = (hourIndex: number): string => {
  const d = new Date(hourIndex * HOUR_MS);
  return `h:${ymd(d)}${pad(d.getUTCHours(), 2)}`;
};
const hourIndexOf = (ms: number): number => Math.floor(ms / HOUR_MS);
const dayIndexOf = (ms: number): number => Math.floor(ms / DAY_MS);

/** e.g. to map a rollup's period_start. */
export function bucketIdFor(kind: BucketKind, timeMs: number): string {
  assertTime(timeMs);
  if (kind === 'hour') return formatHour(hourIndexOf(timeMs));
  return kind === 'day' ? formatDay(dayIndexOf(timeMs)) : 'all';
}

const BUCKET_RE = /^(h|d):(\d{4})(\d{2})(\d{2})(\d{2})?$/;

/** Start inclusive, end exclusive; null for all-time. */
export function parseBucketId(id: string): { kind: BucketKind; startMs: number | null; endMs: number | null } {
  if (id === 'all') return { kind: 'all', startMs: null, endMs: null };
  const m = BUCKET_RE.exec(id);
  const isHour = m?.[1] === 'h';
  if (m && isHour === (m[5] !== undefined)) {
    const startMs = Date.UTC(Number(m[2]), Number(m[3]) - 1, Number(m[4]), isHour ? Number(m[5]) : 0);
    const kind: BucketKind = isHour ? 'hour' : 'day';
    // The round trip rejects month 13 or hour 24.
    if (startMs >= 0 && bucketIdFor(kind, startMs) === id) return { kind, startMs, endMs: startMs + (isHour ? HOUR_MS : DAY_MS) };
  }
  return invalid('LEADERBOARD_BUCKET_INVALID', `invalid bucket id "${id}": expected "all", "d:YYYYMMDD" or "h:YYYYMMDDHH" (UTC)`);
}

/** From the id alone, so every writer sets the same value. */
export function bucketExpiresAtMs(bucketId: string): number | null {
  const { kind, startMs } = parseBucketId(bucketId);
  const ttl = TTL_MS[kind];
  return startMs === null || ttl === null ? null : startMs + ttl;
}

/**
 * Bucket groups a write targets, as bits: the hour, and day with all-time together (so the previous 'all' window,
 * all-time minus today, stays exact). The feeder writes a watched group at once, the others later.
 */
export const HOUR_GROUP = 1;
export const DAY_GROUP = 2;
export const EVERY_GROUP = 3;
export type BucketGroups = 1 | 2 | 3;

export function isBucketGroups(value: unknown): value is BucketGroups {
  return value === HOUR_GROUP || value === DAY_GROUP || value === EVERY_GROUP;
}

export function groupOfWindow(window: LeaderboardWindow): BucketGroups {
  return parseWindow(window) === 'hour' ? HOUR_GROUP : DAY_GROUP;
}

/** The buckets a write at `nowMs` lands in, indexed by the group mask (index 0 is empty; EVERY_GROUP: hour, day, all-time). */
export function bucketsByGroups(nowMs: number): readonly [readonly string[], readonly string[], readonly string[], readonly string[]] {
  assertTime(nowMs);
  const [hour, day] = [[formatHour(hourIndexOf(nowMs))], [formatDay(dayIndexOf(nowMs)), 'all']];
  return [[], hour, day, [...hour, ...day]];
}

const ones = (ids: string[]): BucketTerm[] => ids.map((id) => ({ id, weight: 1 }));
const dayRange = (lastDayIndex: number, count: number): string[] => Array.from({ length: count }, (_, i) => formatDay(lastDayIndex - i));

/** Newest first (arguments checked by windowPlan). */
export function bucketsFor(window: LeaderboardWindow, nowMs: number): string[] {
  if (window === 'hour') return [formatHour(hourIndexOf(nowMs))];
  if (window === 'day') return [formatDay(dayIndexOf(nowMs))];
  return window === 'all' ? ['all'] : dayRange(dayIndexOf(nowMs), WINDOW_DAYS[window]);
}

/** For previous rank and trends. For 'all': all-time minus today (the standings at 00:00 UTC), so entities first seen today are new. */
export function previousWindowBuckets(window: LeaderboardWindow, nowMs: number): BucketTerm[] {
  const day = dayIndexOf(nowMs);
  if (window === 'hour') return ones([formatHour(hourIndexOf(nowMs) - 1)]);
  if (window === 'day') return ones([formatDay(day - 1)]);
  if (window === 'all')
    return [
      { id: 'all', weight: 1 },
      { id: formatDay(day), weight: -1 },
    ];
  return ones(dayRange(day - WINDOW_DAYS[window], WINDOW_DAYS[window]));
}

/** The buckets of a window (or of its previous window) and a signature that changes exactly when they do: stores name cached unions by it. */
export function windowPlan(window: LeaderboardWindow, nowMs: number, previous = false): { signature: string; terms: BucketTerm[] } {
  parseWindow(window);
  assertTime(nowMs);
  const terms = previous ? previousWindowBuckets(window, nowMs) : ones(bucketsFor(window, nowMs));
  const span = terms.length > 1 ? `${terms[0].id}~${terms[terms.length - 1].id}` : terms[0].id;
  return { signature: `${previous ? 'prev:' : ''}${window}@${span}`, terms };
}

// 1–200 characters; ids without whitespace; no control characters or lone surrogates (they would not survive
// UTF-8 to Redis). In `u` mode a surrogate pair is one code point, so only LONE surrogates are excluded.
const ID_RE = /^[^\s\p{Cc}\uD800-\uDFFF]+$/u;
const NAME_RE = /^[^\p{Cc}\uD800-\uDFFF]+$/u;
const MAX_ID = 200;
export const MAX_PAGE = 1000;
export const MAX_RADIUS = 100;

export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_ID && ID_RE.test(value);
}

export function isValidName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_ID && NAME_RE.test(value);
}

/** Code point order = UTF-8 byte order = Redis member order. */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  // Surrogate code units sort after U+E000–U+FFFF once shifted, turning UTF-16 order into code point order.
  const fix = (c: number): number => (c >= 0xe000 ? c - 0x800 : c + 0x2000);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) [x, y] = [fix(x), fix(y)];
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

/** Score descending, then entity id (code point order). */
export function compareEntries(a: { score: number; entityId: string }, b: { score: number; entityId: string }): number {
  if (a.score !== b.score) return a.score > b.score ? -1 : 1;
  return compareIds(a.entityId, b.entityId);
}

export interface LeaderboardEntry {
  /** 1-based, unique. */
  rank: number;
  entityId: string;
  /** Last given for this entity on this board; null if never. */
  name: string | null;
  score: number;
}

export interface RankScore {
  rank: number;
  score: number;
}

export interface LeaderboardIncrement {
  leaderboard: string;
  entityId: string;
  by: number;
  name?: string;
  /** Default hour, day and all-time. */
  groups?: BucketGroups;
}

/** A score of 0 removes the entity from the bucket. */
export interface LeaderboardScore {
  entityId: string;
  score: number;
  name?: string;
}

/** Scores > 0; names are not kept. */
export interface ResetBucket {
  bucketId: string;
  scores: LeaderboardScore[];
}

export interface LeaderboardResetResult {
  buckets: ResetBucket[];
  entries: number;
}

/** Which rows of a window a read wants: `count` from the 0-based `start`, or 2·radius+1 centred on an entity. */
export type RowsOf = { start: number; count: number } | { around: string; radius: number };

/**
 * Windowed leaderboards over time buckets, Local or Redis, held to one test suite. Local reads see every completed
 * write. Redis reads of multi-bucket windows (week, 30d, previous 'all') come from a union cached `unionCacheMs`, so
 * spectators share one computation and may lag writes by that long; single-bucket windows are always fresh.
 */
export type LeaderboardStore = Pick<
  BucketStore,
  'kind' | 'incrementMany' | 'top' | 'previousStandings' | 'around' | 'restore' | 'close' | 'reset' | 'leaderboardIds'
>;

/**
 * The store's public face, shared by Local and Redis: it checks every input (a batch all or nothing) and hands a
 * backend its few primitives, so the two differ only in how they keep buckets and window unions.
 */
export abstract class BucketStore {
  abstract readonly kind: 'local' | 'redis';
  /** Adds a validated, non-empty batch. */
  protected abstract write(items: readonly LeaderboardIncrement[], nowMs: number): Promise<void>;
  /** Rows of a window. */
  protected abstract rows(leaderboard: string, window: LeaderboardWindow, nowMs: number, which: RowsOf): Promise<LeaderboardEntry[]>;
  /** Rank and score in the previous window of each ranked id (at most MAX_PAGE). */
  protected abstract standings(leaderboard: string, window: LeaderboardWindow, ids: readonly string[], nowMs: number): Promise<Map<string, RankScore>>;
  /** Sets absolute scores (0 removes) in one bucket still live, which expires in `ttlMs` (null: never). */
  protected abstract setScores(leaderboard: string, bucketId: string, scores: readonly LeaderboardScore[], ttlMs: number | null): Promise<void>;
  /** Removes every bucket and name of a leaderboard; yields what its buckets held. */
  protected abstract clear(leaderboard: string): Promise<Iterable<[bucketId: string, entityId: string, score: number]>>;
  /** Leaderboards holding a score, in any order. */
  protected abstract boards(): Promise<Iterable<string>>;
  abstract close(): Promise<void>;

  /** Validated first (all or nothing), one round trip; a failure for some leaderboards only is a PartialIncrementError. */
  async incrementMany(items: readonly LeaderboardIncrement[], nowMs: number): Promise<void> {
    assertIncrements(items, nowMs);
    if (items.length > 0) await this.write(items, nowMs);
  }

  /** `limit` 1–1000. */
  async top(leaderboard: string, window: LeaderboardWindow, limit: number, nowMs: number): Promise<LeaderboardEntry[]> {
    assertRead(leaderboard, window, nowMs);
    assertCount(limit, 'limit', 1, MAX_PAGE);
    return this.rows(leaderboard, window, nowMs, { start: 0, count: limit });
  }

  /** Unranked entities are absent. */
  async previousStandings(leaderboard: string, window: LeaderboardWindow, entityIds: readonly string[], nowMs: number): Promise<Map<string, RankScore>> {
    assertRead(leaderboard, window, nowMs);
    assertCount(entityIds.length, 'limit', 0, MAX_PAGE);
    entityIds.forEach(assertEntityId);
    return entityIds.length === 0 ? new Map() : this.standings(leaderboard, window, entityIds, nowMs);
  }

  /** Up to 2·radius+1 entries centred on the entity, shifted near either end to stay full; empty when unranked. */
  async around(leaderboard: string, window: LeaderboardWindow, entityId: string, radius: number, nowMs: number): Promise<LeaderboardEntry[]> {
    assertRead(leaderboard, window, nowMs);
    assertEntityId(entityId);
    assertCount(radius, 'radius', 0, MAX_RADIUS);
    return this.rows(leaderboard, window, nowMs, { around: entityId, radius });
  }

  /** Absolute scores in one bucket (the rollups after a restart); an expired bucket is skipped. */
  async restore(leaderboard: string, bucketId: string, scores: readonly LeaderboardScore[], nowMs: number): Promise<void> {
    assertRestore(leaderboard, bucketId, scores, nowMs);
    const expiresAt = bucketExpiresAtMs(bucketId);
    if (scores.length > 0 && (expiresAt === null || expiresAt > nowMs)) await this.setScores(leaderboard, bucketId, scores, expiresAt && expiresAt - nowMs);
  }

  /** Every bucket and name of `leaderboard`; returns what was live at `nowMs`. With Redis every process sees it at once. */
  async reset(leaderboard: string, nowMs: number): Promise<LeaderboardResetResult> {
    assertLeaderboardId(leaderboard);
    assertTime(nowMs);
    return resetResult(await this.clear(leaderboard), nowMs);
  }

  /** Code point order, at most `limit` (1–1000). */
  async leaderboardIds(limit: number): Promise<string[]> {
    assertCount(limit, 'limit', 1, MAX_PAGE);
    return [...(await this.boards())].sort(compareIds).slice(0, limit);
  }
}

function assertId(value: unknown, what: 'leaderboard id' | 'entity id', code: 'LEADERBOARD_ID_INVALID' | 'LEADERBOARD_ENTITY_INVALID'): void {
  if (!isValidId(value)) invalid(code, `invalid ${what} ${JSON.stringify(value)}: use 1–${MAX_ID} characters without whitespace or control characters`);
}

const assertLeaderboardId = (leaderboard: unknown): void => assertId(leaderboard, 'leaderboard id', 'LEADERBOARD_ID_INVALID');
const assertEntityId = (entityId: unknown): void => assertId(entityId, 'entity id', 'LEADERBOARD_ENTITY_INVALID');

function assertName(name: unknown): void {
  if (name !== undefined && !isValidName(name))
    invalid('LEADERBOARD_NAME_INVALID', `invalid display name ${JSON.stringify(name)}: use 1–${MAX_ID} characters without control characters, or omit it`);
}

function assertCount(value: unknown, what: 'limit' | 'radius', min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    invalid('LEADERBOARD_LIMIT_INVALID', `${what} must be an integer from ${min} to ${max}, got ${String(value)}`);
}

function assertRead(leaderboard: string, window: LeaderboardWindow, nowMs: number): void {
  assertLeaderboardId(leaderboard);
  parseWindow(window);
  assertTime(nowMs);
}

/** The whole batch first, so a bad item never leaves half a batch applied. */
function assertIncrements(items: readonly LeaderboardIncrement[], nowMs: number): void {
  assertTime(nowMs);
  for (const item of items) {
    assertLeaderboardId(item.leaderboard);
    assertEntityId(item.entityId);
    if (typeof item.by !== 'number' || !Number.isFinite(item.by) || item.by <= 0)
      invalid('LEADERBOARD_SCORE_INVALID', `increment must be a positive finite number, got ${String(item.by)}`);
    assertName(item.name);
    if (item.groups !== undefined && !isBucketGroups(item.groups))
      invalid('LEADERBOARD_BUCKET_INVALID', `increment groups must be 1 (hour), 2 (day and all-time) or 3 (every bucket), got ${String(item.groups)}`);
  }
}

function assertRestore(leaderboard: string, bucketId: string, scores: readonly LeaderboardScore[], nowMs: number): void {
  assertLeaderboardId(leaderboard);
  parseBucketId(bucketId);
  assertTime(nowMs);
  for (const s of scores) {
    assertEntityId(s.entityId);
    if (typeof s.score !== 'number' || !Number.isFinite(s.score) || s.score < 0)
      invalid('LEADERBOARD_SCORE_INVALID', `restored score must be a finite number ≥ 0, got ${String(s.score)}`);
    assertName(s.name);
  }
}

/** The value under `key`, made and stored first when absent. */
export function upsert<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

export function aroundStart(index: number, radius: number, size: number): number {
  return Math.max(0, Math.min(index - radius, size - (2 * radius + 1)));
}

/** Skips expired buckets and empty scores. */
function resetResult(rows: Iterable<[bucketId: string, entityId: string, score: number]>, nowMs: number): LeaderboardResetResult {
  const byBucket = new Map<string, LeaderboardScore[]>();
  let entries = 0;
  for (const [bucketId, entityId, score] of rows) {
    const expiresAt = bucketExpiresAtMs(bucketId);
    if (!(score > 0) || (expiresAt !== null && expiresAt <= nowMs)) continue;
    upsert(byBucket, bucketId, () => []).push({ entityId, score });
    entries++;
  }
  const buckets = [...byBucket].map(([bucketId, scores]) => ({ bucketId, scores })).sort((a, b) => compareIds(a.bucketId, b.bucketId));
  return { buckets, entries };
}
