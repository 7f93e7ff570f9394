import type { Redis } from 'ioredis';
import type { StationRecord } from '../catalog/CatalogRepository.js';

/** Station snapshots by frequency (seed key `station:<f>:full`); one Local and one Redis implementation. */
export interface StationCache {
  get(frequency: number): Promise<StationRecord | undefined>;
  set(frequency: number, station: StationRecord): Promise<void>;
  /** Drops every entry: called whenever the catalog changes. */
  invalidateAll(): Promise<void>;
  readonly kind: 'local' | 'redis';
}

const keyOf = (frequency: number): string => `station:${frequency.toFixed(1)}:full`;

/** In-process cache with a TTL and a hard entry bound; when full, the oldest entry is evicted. */
export class LocalStationCache implements StationCache {
  readonly kind = 'local' as const;
  private readonly entries = new Map<string, { station: StationRecord; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(frequency: number): Promise<StationRecord | undefined> {
    const key = keyOf(frequency);
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.station;
  }

  async set(frequency: number, station: StationRecord): Promise<void> {
    const key = keyOf(frequency);
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { station, expiresAt: this.now() + this.ttlMs });
  }

  async invalidateAll(): Promise<void> {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Shared across processes; a SET of written keys lets invalidation avoid a KEYS/SCAN of the keyspace. */
export class RedisStationCache implements StationCache {
  readonly kind = 'redis' as const;
  private readonly indexKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly ttlSec: number,
    /** REDIS_PREFIX: required, so no key lands outside the configured namespace. */
    private readonly prefix: string,
  ) {
    this.indexKey = `${prefix}station:index`;
  }

  async get(frequency: number): Promise<StationRecord | undefined> {
    const raw = await this.redis.get(this.prefix + keyOf(frequency));
    return raw ? (JSON.parse(raw) as StationRecord) : undefined;
  }

  async set(frequency: number, station: StationRecord): Promise<void> {
    const key = this.prefix + keyOf(frequency);
    await this.redis.multi().set(key, JSON.stringify(station), 'EX', this.ttlSec).sadd(this.indexKey, key).expire(this.indexKey, this.ttlSec).exec();
  }

  async invalidateAll(): Promise<void> {
    const keys = await this.redis.smembers(this.indexKey);
    if (keys.length) await this.redis.del(...keys);
    await this.redis.del(this.indexKey);
  }
}
