import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { StationRecord } from './CatalogRepository.js';

/**
 * Station snapshots by frequency (seed key `station:<f>:full`): one Local and one Redis implementation
 * behind one interface, with one shared test suite (test/integration/catalog/stationCache.test.ts).
 */
export interface StationCache {
  get(frequency: number): Promise<StationRecord | undefined>;
  set(frequency: number, station: StationRecord): Promise<void>;
  /** Drops every entry, in every process sharing the cache: called whenever the catalog changes. */
  invalidateAll(): Promise<void>;
  /** Calls `listener` after any invalidation, this process's or another's (e.g. to reload the station list). */
  onInvalidated(listener: () => void): () => void;
  /** Drops expired entries (and, shared, index entries whose key expired); returns how many. Run by the cleanup job. */
  purgeExpired(): Promise<number>;
  close(): Promise<void>;
  readonly kind: 'local' | 'redis';
}

const keyOf = (frequency: number): string => `station:${frequency.toFixed(1)}:full`;

/** In-process LRU with a TTL and a hard entry bound (least recently used evicted first). */
export class LocalStationCache implements StationCache {
  readonly kind: 'local' | 'redis' = 'local';
  private readonly entries: LRUCache<string, StationRecord>;
  private readonly listeners = new Set<() => void>();

  constructor(ttlMs: number, maxEntries: number) {
    this.entries = new LRUCache({ max: maxEntries, ttl: ttlMs });
  }

  async get(frequency: number): Promise<StationRecord | undefined> {
    return this.entries.get(keyOf(frequency));
  }

  async set(frequency: number, station: StationRecord): Promise<void> {
    this.entries.set(keyOf(frequency), station);
  }

  async invalidateAll(): Promise<void> {
    this.clearHere();
  }

  /** Empties this process's entries and tells the listeners. */
  clearHere(): void {
    this.entries.clear();
    for (const listener of this.listeners) listener();
  }

  async purgeExpired(): Promise<number> {
    const before = this.entries.size;
    this.entries.purgeStale();
    return before - this.entries.size;
  }

  onInvalidated(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Shared across processes, with an in-process tier in front: a swipe's station read costs no Redis
 * round trip and no JSON.parse once the station was seen here. An invalidation deletes the shared keys
 * and is published on `<prefix>station:invalidated`; every process empties its own tier on the message.
 * A SET of written keys lets invalidation avoid a KEYS/SCAN of the keyspace.
 */
export class RedisStationCache extends LocalStationCache {
  override readonly kind = 'redis' as const;
  private readonly indexKey: string;
  private readonly channel: string;
  private subscriber?: Redis;

  constructor(
    private readonly redis: Redis,
    private readonly ttlSec: number,
    /** REDIS_PREFIX: required, so no key lands outside the configured namespace. */
    private readonly prefix: string,
    /** Entries in the in-process tier (STATION_CACHE_MAX_ENTRIES). */
    maxNearEntries: number,
  ) {
    super(ttlSec * 1000, maxNearEntries);
    this.indexKey = `${prefix}station:index`;
    this.channel = `${prefix}station:invalidated`;
  }

  /** Subscribes to invalidations from other processes (a connection of its own: subscriber mode). */
  async start(): Promise<this> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (channel) => channel === this.channel && this.clearHere());
    await this.subscriber.subscribe(this.channel);
    return this;
  }

  override async get(frequency: number): Promise<StationRecord | undefined> {
    const near = await super.get(frequency);
    if (near) return near;
    const raw = await this.redis.get(this.prefix + keyOf(frequency));
    if (!raw) return undefined;
    const station = JSON.parse(raw) as StationRecord;
    await super.set(frequency, station);
    return station;
  }

  override async set(frequency: number, station: StationRecord): Promise<void> {
    await super.set(frequency, station);
    const key = this.prefix + keyOf(frequency);
    await this.redis.multi().set(key, JSON.stringify(station), 'EX', this.ttlSec).sadd(this.indexKey, key).expire(this.indexKey, this.ttlSec).exec();
  }

  override async invalidateAll(): Promise<void> {
    const keys = await this.redis.smembers(this.indexKey);
    if (keys.length) await this.redis.del(...keys);
    await this.redis.del(this.indexKey);
    this.clearHere();
    await this.redis.publish(this.channel, 'all');
  }

  /** Also removes index members whose snapshot expired in Redis (the index only grows between invalidations). */
  override async purgeExpired(): Promise<number> {
    const near = await super.purgeExpired();
    const keys = await this.redis.smembers(this.indexKey);
    if (keys.length === 0) return near;
    const exists = await this.redis.pipeline(keys.map((k) => ['exists', k])).exec();
    const gone = keys.filter((_, i) => exists?.[i]?.[1] === 0);
    if (gone.length) await this.redis.srem(this.indexKey, ...gone);
    return near + gone.length;
  }

  override async close(): Promise<void> {
    await super.close();
    await this.subscriber?.quit();
  }
}
