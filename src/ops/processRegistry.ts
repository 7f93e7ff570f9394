import type { Redis } from 'ioredis';
import type { ProcessHeartbeat } from './types.js';

/**
 * Where server processes publish their ops heartbeat so any process can show every process's row.
 * Two implementations share one test suite (test/integration/ops/opsProcessRegistry.test.ts):
 * {@link LocalProcessRegistry} (one process) and {@link RedisProcessRegistry} (processes sharing Redis).
 *
 * A heartbeat is live until `at + ttlMs`; `list` returns live heartbeats only, ordered by processId,
 * and forgets expired ones. Time is passed in (`nowMs`) so expiry is testable without waiting.
 */
export interface ProcessRegistry {
  readonly kind: 'local' | 'redis';
  /** Stores (or replaces) this process's heartbeat, live until `heartbeat.at + ttlMs`. */
  publish(heartbeat: ProcessHeartbeat, ttlMs: number): Promise<void>;
  /** Live heartbeats at `nowMs`, ordered by processId. */
  list(nowMs: number): Promise<ProcessHeartbeat[]>;
  /** Removes a process's heartbeat at once (clean shutdown). */
  remove(processId: string): Promise<void>;
  close(): Promise<void>;
}

function assertPublish(heartbeat: ProcessHeartbeat, ttlMs: number): void {
  if (!heartbeat.processId || typeof heartbeat.processId !== 'string') throw new TypeError('heartbeat.processId must be a non-empty string');
  if (!Number.isFinite(heartbeat.at)) throw new TypeError('heartbeat.at must be epoch milliseconds');
  if (!Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > 3_600_000) throw new RangeError(`ttlMs must be an integer from 1 to 3600000, got ${ttlMs}`);
}

const byProcessId = (a: ProcessHeartbeat, b: ProcessHeartbeat): number => (a.processId < b.processId ? -1 : a.processId > b.processId ? 1 : 0);

/** In-memory registry: only this process's own heartbeat is ever in it. */
export class LocalProcessRegistry implements ProcessRegistry {
  readonly kind = 'local' as const;
  private readonly entries = new Map<string, { heartbeat: ProcessHeartbeat; expiresAt: number }>();

  async publish(heartbeat: ProcessHeartbeat, ttlMs: number): Promise<void> {
    assertPublish(heartbeat, ttlMs);
    // A copy, so a caller mutating its object afterwards cannot change what was published (Redis parity).
    this.entries.set(heartbeat.processId, { heartbeat: structuredClone(heartbeat), expiresAt: heartbeat.at + ttlMs });
  }

  async list(nowMs: number): Promise<ProcessHeartbeat[]> {
    const live: ProcessHeartbeat[] = [];
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt > nowMs) live.push(structuredClone(entry.heartbeat));
      else this.entries.delete(id);
    }
    return live.sort(byProcessId);
  }

  async remove(processId: string): Promise<void> {
    this.entries.delete(processId);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}

export interface RedisProcessRegistryOptions {
  redis: Redis;
  /** Key prefix (REDIS_PREFIX). Keys: `{prefix}ops:procs` (ZSET id → expiresAt), `{prefix}ops:proc:{id}` (JSON, PX ttl). */
  prefix: string;
  /** Whether close() should quit the connection (default false: the wiring owns it). */
  ownsConnection?: boolean;
}

/**
 * Redis registry: one string key per process holding its JSON heartbeat (with a Redis TTL as a
 * backstop) plus a sorted set of process ids scored by expiry, so `list` is one ZRANGEBYSCORE and
 * one MGET however many processes there are, and a crashed process disappears after its TTL.
 */
export class RedisProcessRegistry implements ProcessRegistry {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(private readonly options: RedisProcessRegistryOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
  }

  private get indexKey(): string {
    return `${this.prefix}ops:procs`;
  }

  private keyOf(processId: string): string {
    return `${this.prefix}ops:proc:${processId}`;
  }

  async publish(heartbeat: ProcessHeartbeat, ttlMs: number): Promise<void> {
    assertPublish(heartbeat, ttlMs);
    const expiresAt = heartbeat.at + ttlMs;
    await this.redis
      .multi()
      .set(this.keyOf(heartbeat.processId), JSON.stringify(heartbeat), 'PX', ttlMs)
      .zadd(this.indexKey, expiresAt, heartbeat.processId)
      .exec()
      .then(throwOnExecError);
  }

  async list(nowMs: number): Promise<ProcessHeartbeat[]> {
    // Forget processes whose heartbeat expired (crashed or stopped without remove()).
    const [, live] = (await this.redis
      .multi()
      .zremrangebyscore(this.indexKey, '-inf', nowMs)
      .zrangebyscore(this.indexKey, `(${nowMs}`, '+inf')
      .exec()
      .then(throwOnExecError)) as [unknown, string[]];
    if (!live.length) return [];
    const values = await this.redis.mget(live.map((id) => this.keyOf(id)));
    const out: ProcessHeartbeat[] = [];
    for (const raw of values) {
      if (!raw) continue; // the key's own TTL fired a moment before the index caught up
      try {
        out.push(JSON.parse(raw) as ProcessHeartbeat);
      } catch {
        // a corrupt value is skipped rather than hiding every other process
      }
    }
    return out.sort(byProcessId);
  }

  async remove(processId: string): Promise<void> {
    await this.redis.multi().del(this.keyOf(processId)).zrem(this.indexKey, processId).exec().then(throwOnExecError);
  }

  async close(): Promise<void> {
    if (this.options.ownsConnection) await this.redis.quit();
  }
}

type ExecResult = Array<[Error | null, unknown]> | null;

function throwOnExecError(results: ExecResult): unknown[] {
  if (!results) throw new Error('redis transaction aborted');
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
