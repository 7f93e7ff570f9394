import type { Redis } from 'ioredis';
import type { BackplaneSlots, SlotClaim, SlotGroup } from './Backplane.js';
import { assertExpiry } from './expiry.js';

/** Extends a key's TTL to ARGV ttl unless it already lives longer (callers may run with different TTLs). */
const EXTEND = `local function extend(key, ttl) if redis.call('PTTL', key) < tonumber(ttl) then redis.call('PEXPIRE', key, ttl) end end`;

/**
 * KEYS[1] the member's holder key, KEYS[2..] its groups (sorted sets scored by expiry);
 * ARGV member, holder, now, expiresAt, ttlMs, then one limit per group. Returns {0, 0} when taken,
 * else {index of the full group, members it holds}.
 */
const CLAIM = `${EXTEND}
for i = 2, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[3])
  if not redis.call('ZSCORE', KEYS[i], ARGV[1]) then
    local held = redis.call('ZCARD', KEYS[i])
    if held >= tonumber(ARGV[4 + i]) then return {i - 1, held} end
  end
end
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[4], ARGV[1])
  extend(KEYS[i], ARGV[5])
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[5])
return {0, 0}`;

/** KEYS as for CLAIM; ARGV member, holder, expiresAt, ttlMs. 0 when another holder holds the member. */
const REFRESH = `${EXTEND}
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[2] then return 0 end
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[3], ARGV[1])
  extend(KEYS[i], ARGV[4])
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[4])
return 1`;

/** KEYS as for CLAIM; ARGV member, holder. */
const RELEASE = `local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[2] then return 0 end
for i = 2, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
redis.call('DEL', KEYS[1])
return 1`;

type Scripted = Redis & {
  slotsClaim(...args: Array<string | number>): Promise<[number, number]>;
  slotsRefresh(...args: Array<string | number>): Promise<number>;
  slotsRelease(...args: Array<string | number>): Promise<number>;
};

/**
 * One Lua script per operation, so concurrent claims never pass a bound together. Group and holder keys expire
 * with their newest member, so nothing outlives its last holder.
 */
export class RedisSlots implements BackplaneSlots {
  private readonly redis: Scripted;

  constructor(
    redis: Redis,
    private readonly base: string,
  ) {
    if (!('slotsClaim' in redis)) {
      redis.defineCommand('slotsClaim', { lua: CLAIM });
      redis.defineCommand('slotsRefresh', { lua: REFRESH });
      redis.defineCommand('slotsRelease', { lua: RELEASE });
    }
    this.redis = redis as Scripted;
  }

  /** A scope's keys share its hash tag: one script's keys must hash to one slot on a Redis Cluster. */
  private scoped(scope: string): string {
    return `${this.base}{${encodeURIComponent(scope)}}:`;
  }

  private keys(scope: string, groups: readonly string[], member: string): string[] {
    const base = this.scoped(scope);
    return [`${base}m:${member}`, ...groups.map((g) => `${base}g:${g}`)];
  }

  async claim(scope: string, groups: readonly SlotGroup[], member: string, holder: string, nowMs: number, expiresAtMs: number): Promise<SlotClaim> {
    assertExpiry(nowMs, expiresAtMs);
    const groupKeys = groups.map((g) => g.key);
    const keys = this.keys(scope, groupKeys, member);
    const [index, held] = await this.redis.slotsClaim(
      keys.length,
      ...keys,
      member,
      holder,
      nowMs,
      expiresAtMs,
      Math.ceil(expiresAtMs - nowMs),
      ...groups.map((g) => g.limit),
    );
    return index === 0 ? { ok: true } : { ok: false, group: groups[index - 1]!.key, held: Number(held) };
  }

  async refresh(scope: string, groups: readonly string[], member: string, holder: string, nowMs: number, expiresAtMs: number): Promise<boolean> {
    assertExpiry(nowMs, expiresAtMs);
    const keys = this.keys(scope, groups, member);
    return (await this.redis.slotsRefresh(keys.length, ...keys, member, holder, expiresAtMs, Math.ceil(expiresAtMs - nowMs))) === 1;
  }

  async release(scope: string, groups: readonly string[], member: string, holder: string): Promise<boolean> {
    const keys = this.keys(scope, groups, member);
    return (await this.redis.slotsRelease(keys.length, ...keys, member, holder)) === 1;
  }

  async members(scope: string, group: string, nowMs: number): Promise<string[]> {
    return (await this.redis.zrangebyscore(`${this.scoped(scope)}g:${group}`, `(${nowMs}`, '+inf')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
