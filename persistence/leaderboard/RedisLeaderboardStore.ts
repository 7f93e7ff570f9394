import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import {
  BucketStore,
  EVERY_GROUP,
  PartialIncrementError,
  bucketExpiresAtMs,
  bucketsByGroups,
  windowPlan,
  type LeaderboardEntry,
  type LeaderboardIncrement,
  type LeaderboardScore,
  type LeaderboardStore,
  type LeaderboardWindow,
  type RankScore,
  type RowsOf,
  upsert,
} from '../../systems/leaderboard/windows.js';
import type { Backplane } from '../backplane/Backplane.js';
import { RedisBackplane } from '../backplane/RedisBackplane.js';
import { LocalLeaderboardStore } from './LocalLeaderboardStore.js';

/** The store on the backplane chosen at boot: one process alone keeps its boards in memory, processes sharing a Redis keep them there. */
export function leaderboardStoreOn(backplane: Backplane, options: { unionCacheMs: number }): LeaderboardStore {
  if (!(backplane instanceof RedisBackplane)) return new LocalLeaderboardStore();
  return new RedisLeaderboardStore({ redis: backplane.redis, prefix: backplane.prefix, unionCacheMs: options.unionCacheMs });
}

/**
 * Reads a window in one round trip. KEYS: [target, names, ...sources]; ARGV: [mode, cacheMs, ...weights, ...modeArgs].
 * With sources, target is a cached union (ZUNIONSTORE, rebuilt when missing or when cacheMs ≤ 0); without,
 * target is a single bucket read in place. Scores are stored negated (see RedisLeaderboardStore).
 */
const WINDOW_SCRIPT = `
local n = #KEYS - 2
local target = KEYS[1]
if n > 0 then
  local cacheMs = tonumber(ARGV[2])
  if cacheMs <= 0 or redis.call('EXISTS', target) == 0 then
    local args = {target, n}
    local negative = false
    for i = 1, n do args[#args + 1] = KEYS[i + 2] end
    args[#args + 1] = 'WEIGHTS'
    for i = 1, n do
      args[#args + 1] = ARGV[i + 2]
      if tonumber(ARGV[i + 2]) < 0 then negative = true end
    end
    redis.call('ZUNIONSTORE', unpack(args))
    if negative then redis.call('ZREMRANGEBYSCORE', target, '-1e-9', '+inf') end
    -- Uncached unions still expire, so an abandoned one never lingers.
    redis.call('PEXPIRE', target, cacheMs > 0 and cacheMs or 1000)
  end
end
local mode = ARGV[1]
local p = n + 3
local function page(start, stop)
  local range = redis.call('ZRANGE', target, start, stop, 'WITHSCORES')
  local ids = {}
  for i = 1, #range, 2 do ids[#ids + 1] = range[i] end
  local names = {}
  if #ids > 0 then names = redis.call('HMGET', KEYS[2], unpack(ids)) end
  return {start, range, names}
end
if mode == 'range' then
  return page(tonumber(ARGV[p]), tonumber(ARGV[p + 1]))
elseif mode == 'around' then
  local r = redis.call('ZRANK', target, ARGV[p])
  if not r then return {0, {}, {}} end
  local radius = tonumber(ARGV[p + 1])
  local span = 2 * radius + 1
  local start = math.max(0, math.min(r - radius, redis.call('ZCARD', target) - span))
  return page(start, start + span - 1)
else
  local out = {}
  for i = p, #ARGV do
    local r = redis.call('ZRANK', target, ARGV[i])
    if r then
      out[#out + 1] = r
      out[#out + 1] = redis.call('ZSCORE', target, ARGV[i])
    else
      out[#out + 1] = -1
      out[#out + 1] = ''
    end
  end
  return out
end
`;

/** One leaderboard's part of a flush: summed amounts per (bucket key, entity), and the names to write. */
type BoardWrites = { byKey: Map<string, { bucketId: string; sums: Map<string, number> }>; names: Map<string, string> };
type PageReply = [number, string[], Array<string | null>];
type WindowCommand = (numKeys: number, ...keysAndArgs: string[]) => Promise<unknown>;

/** A bucket's PEXPIRE is re-sent at most this often per process (a key deleted and recreated gets its TTL back within it). */
const EXPIRY_RESEND_MS = 60_000;
/** A display name already written is re-sent at most this often (a names hash deleted elsewhere refills within it). */
const NAME_RESEND_MS = 600_000;
/** Bounds of those two memories (per process); the least recently used entries go first. */
const MAX_EXPIRY_KEYS = 10_000;
const MAX_NAMES_SENT = 100_000;

/**
 * Redis LeaderboardStore. Per leaderboard, in one hash tag (one cluster slot): a ZSET per bucket, a names HASH and
 * cached window unions. Scores are stored NEGATED: Redis orders equal scores by member ascending, so ascending ZRANGE
 * on −score is the leaderboard order (score desc, entity asc). An incrementMany is one round trip (a MULTI per board).
 */
export class RedisLeaderboardStore extends BucketStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly prefix: string;
  /** Bucket keys whose TTL this process set lately, and names it wrote lately: neither is re-sent every flush. */
  private readonly expirySent = new LRUCache<string, true>({ max: MAX_EXPIRY_KEYS, ttl: EXPIRY_RESEND_MS });
  private readonly namesSent = new LRUCache<string, string>({ max: MAX_NAMES_SENT, ttl: NAME_RESEND_MS });

  /** `prefix` of every key, default 'ds:'; `unionCacheMs`: LEADERBOARD_UNION_CACHE_MS (≤ 0 recomputes a union on every read). */
  constructor(private readonly options: { redis: Redis; prefix?: string; unionCacheMs: number }) {
    super();
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'ds:';
    // ioredis sends it by EVALSHA and loads it again after a SCRIPT FLUSH.
    this.redis.defineCommand('leaderboardWindow', { lua: WINDOW_SCRIPT });
  }

  protected async write(items: readonly LeaderboardIncrement[], nowMs: number): Promise<void> {
    // Coalesce repeated (bucket key, entity) pairs: fewer commands on the hot path.
    const buckets = bucketsByGroups(nowMs);
    const boards = new Map<string, BoardWrites>();
    for (const item of items) {
      const board = upsert(boards, item.leaderboard, () => ({ byKey: new Map(), names: new Map() }));
      for (const bucketId of buckets[item.groups ?? EVERY_GROUP]) {
        const key = this.bucketKey(item.leaderboard, bucketId);
        const bucket = upsert(board.byKey, key, () => ({ bucketId, sums: new Map() }));
        bucket.sums.set(item.entityId, (bucket.sums.get(item.entityId) ?? 0) + item.by);
      }
      if (item.name !== undefined) board.names.set(item.entityId, item.name);
    }
    // One MULTI per leaderboard (one slot each; across boards would be CROSSSLOT), sent at once. A connection lost
    // mid-flush discards a board's increments whole; the error names those applied, so a retry never counts twice.
    const written = await Promise.allSettled([...boards].map(([leaderboard, board]) => this.incrementBoard(leaderboard, board, nowMs)));
    const failed = written.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    if (failed.length === 0) return;
    const applied = [...boards.keys()].filter((_, i) => written[i]!.status === 'fulfilled');
    throw applied.length ? new PartialIncrementError(applied, failed[0]!) : failed[0];
  }

  /** One leaderboard's part of a flush, in one transaction: a ZINCRBY per (bucket, entity); PEXPIRE and HSET only when not sent lately. */
  private async incrementBoard(leaderboard: string, { byKey, names: named }: BoardWrites, nowMs: number): Promise<void> {
    const tx = this.redis.multi();
    const sent: Array<() => void> = [];
    for (const [key, { bucketId, sums }] of byKey) {
      for (const [entityId, by] of sums) tx.zincrby(key, -by, entityId);
      const expiresAt = bucketExpiresAtMs(bucketId);
      if (expiresAt !== null && !this.expirySent.has(key)) {
        tx.pexpire(key, expiresAt - nowMs);
        sent.push(() => this.expirySent.set(key, true));
      }
    }
    const names = [...named].filter(([entityId, name]) => this.namesSent.get(`${leaderboard}\u0000${entityId}`) !== name);
    if (names.length > 0) {
      tx.hset(this.namesKey(leaderboard), Object.fromEntries(names));
      sent.push(() => names.forEach(([entityId, name]) => this.namesSent.set(`${leaderboard}\u0000${entityId}`, name)));
    }
    await exec(tx);
    for (const remember of sent) remember();
  }

  protected async rows(leaderboard: string, window: LeaderboardWindow, nowMs: number, which: RowsOf): Promise<LeaderboardEntry[]> {
    const [mode, args] = 'start' in which ? ['range', [which.start, which.start + which.count - 1]] : ['around', [which.around, which.radius]];
    const [start, range, names] = (await this.run(leaderboard, window, nowMs, false, mode, args.map(String))) as PageReply;
    const entries: LeaderboardEntry[] = [];
    for (let i = 0; i < range.length; i += 2) {
      entries.push({ rank: Number(start) + i / 2 + 1, entityId: range[i], name: names[i / 2] ?? null, score: -Number(range[i + 1]) });
    }
    return entries;
  }

  protected async setScores(leaderboard: string, bucketId: string, scores: readonly LeaderboardScore[], ttlMs: number | null): Promise<void> {
    const key = this.bucketKey(leaderboard, bucketId);
    const tx = this.redis.multi();
    const set = scores.filter((s) => s.score > 0);
    const removed = scores.filter((s) => s.score === 0).map((s) => s.entityId);
    if (set.length) tx.zadd(key, ...set.flatMap((s) => [String(-s.score), s.entityId]));
    if (removed.length) tx.zrem(key, ...removed);
    if (ttlMs !== null) tx.pexpire(key, ttlMs);
    const named = scores.filter((s) => s.name !== undefined);
    if (named.length) tx.hset(this.namesKey(leaderboard), Object.fromEntries(named.map((s) => [s.entityId, s.name as string])));
    await exec(tx);
  }

  /** The wiring owns the Redis client and quits it. */
  async close(): Promise<void> {}

  private readonly leaderboardPrefix = (leaderboard: string): string => `${this.prefix}lb:{${encodeURIComponent(leaderboard)}}:`;
  private readonly bucketKey = (leaderboard: string, bucketId: string): string => `${this.leaderboardPrefix(leaderboard)}b:${bucketId}`;
  private readonly namesKey = (leaderboard: string): string => `${this.leaderboardPrefix(leaderboard)}names`;

  protected async standings(leaderboard: string, window: LeaderboardWindow, ids: readonly string[], nowMs: number) {
    const out = new Map<string, RankScore>();
    const flat = (await this.run(leaderboard, window, nowMs, true, 'rank', ids)) as Array<number | string>;
    ids.forEach((id, i) => {
      const rank = Number(flat[2 * i]);
      if (rank >= 0) out.set(id, { rank: rank + 1, score: -Number(flat[2 * i + 1]) });
    });
    return out;
  }

  /** Runs WINDOW_SCRIPT for a window (or its previous window) of a leaderboard. */
  private async run(leaderboard: string, window: LeaderboardWindow, nowMs: number, previous: boolean, mode: string, modeArgs: readonly string[]) {
    const { terms, signature } = windowPlan(window, nowMs, previous);
    const single = terms.length === 1 && terms[0].weight === 1;
    const target = single ? this.bucketKey(leaderboard, terms[0].id) : `${this.leaderboardPrefix(leaderboard)}u:${signature}`;
    const sources = single ? [] : terms.map((t) => this.bucketKey(leaderboard, t.id));
    const keys = [target, this.namesKey(leaderboard), ...sources];
    const args = [mode, String(this.options.unionCacheMs), ...(single ? [] : terms.map((t) => String(t.weight))), ...modeArgs];
    return (this.redis as unknown as { leaderboardWindow: WindowCommand }).leaderboardWindow(keys.length, ...keys, ...args);
  }

  protected async clear(leaderboard: string): Promise<Iterable<[string, string, number]>> {
    const keyPrefix = this.leaderboardPrefix(leaderboard);
    const keys = await scanKeys(this.redis, globPrefix(keyPrefix));
    const buckets = keys.filter((k) => k.startsWith(`${keyPrefix}b:`));
    const rest = keys.filter((k) => !buckets.includes(k));
    const reply = (await this.redis.eval(RESET_SCRIPT, keys.length, ...buckets, ...rest, String(buckets.length))) as Array<[string, string[]]>;
    // The keys are gone: the next flush must set expiry and names again.
    for (const key of [...this.expirySent.keys()]) if (key.startsWith(keyPrefix)) this.expirySent.delete(key);
    for (const key of [...this.namesSent.keys()]) if (key.startsWith(`${leaderboard}\u0000`)) this.namesSent.delete(key);
    return reply.flatMap(([key, range]) =>
      Array.from({ length: range.length / 2 }, (_, i): [string, string, number] => [key.slice(keyPrefix.length + 2), range[2 * i], -Number(range[2 * i + 1])]),
    );
  }

  protected async boards(): Promise<Set<string>> {
    const head = `${this.prefix}lb:{`;
    const ids = new Set<string>();
    for (const key of await scanKeys(this.redis, globPrefix(head))) {
      const end = key.indexOf('}:b:', head.length);
      if (end > 0) ids.add(decodeURIComponent(key.slice(head.length, end)));
    }
    return ids;
  }
}

/** Reads every bucket key given (ZSETs, negated scores) and deletes all keys given, atomically. KEYS: bucket keys, then the rest. ARGV: [bucket count]. */
const RESET_SCRIPT = `
local out = {}
for i = 1, tonumber(ARGV[1]) do
  out[#out + 1] = {KEYS[i], redis.call('ZRANGE', KEYS[i], 0, -1, 'WITHSCORES')}
end
if #KEYS > 0 then redis.call('DEL', unpack(KEYS)) end
return out
`;

/** SCAN MATCH pattern of keys starting with `prefix` (glob characters escaped). */
const globPrefix = (prefix: string): string => `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;

/** Every key matching `pattern`, SCANned in pages (an admin operation: it walks the whole keyspace once). */
async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys = new Set<string>();
  for await (const page of redis.scanStream({ match: pattern, count: 1000 })) for (const key of page as string[]) keys.add(key);
  return [...keys];
}

async function exec(tx: ReturnType<Redis['multi']> | ReturnType<Redis['pipeline']>): Promise<void> {
  const results = await tx.exec();
  const failed = results?.find(([err]) => err);
  if (failed?.[0]) throw failed[0];
}
