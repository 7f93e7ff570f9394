import { LRUCache } from 'lru-cache';
import type { Backplane, BackplaneChannel, BackplaneMap } from '../backplane/Backplane.js';
import type { StationRecord } from './CatalogRepository.js';

export interface StationCacheOptions {
  /** A snapshot's lifetime, in every tier. */
  ttlMs: number;
  /** Entries in the in-process tier (STATION_CACHE_MAX_ENTRIES); when full the least recently used goes. */
  maxEntries: number;
  /** Failed invalidation notices (Redis away); other processes keep their snapshots until the TTL. */
  onError: (err: unknown) => void;
  now: () => number;
}

const keyOf = (frequency: number): string => frequency.toFixed(1);

/**
 * Station snapshots by frequency: an in-process LRU, then (with a shared backplane) a second tier. An
 * invalidation empties both and tells every other process to empty its LRU.
 */
export class StationCache {
  private readonly near: LRUCache<string, StationRecord>;
  private readonly shared?: BackplaneMap;
  private readonly channel: BackplaneChannel;
  private readonly listeners = new Set<() => void>();

  constructor(
    backplane: Backplane,
    private readonly options: StationCacheOptions,
  ) {
    this.near = new LRUCache({ max: options.maxEntries, ttl: options.ttlMs });
    if (backplane.kind !== 'local') this.shared = backplane.map('station:live');
    this.channel = backplane.channel('station:invalidated', options.onError);
  }

  /** Hears the other processes' invalidations. */
  async start(): Promise<this> {
    await this.channel.subscribe(() => this.clearHere());
    return this;
  }

  async get(frequency: number): Promise<StationRecord | undefined> {
    const key = keyOf(frequency);
    const near = this.near.get(key);
    if (near || !this.shared) return near;
    const raw = await this.shared.get(key);
    if (!raw) return undefined;
    const station = JSON.parse(raw) as StationRecord;
    this.near.set(key, station);
    return station;
  }

  async set(frequency: number, station: StationRecord): Promise<void> {
    const key = keyOf(frequency);
    this.near.set(key, station);
    const now = this.options.now();
    await this.shared?.set(key, JSON.stringify(station), now, now + this.options.ttlMs);
  }

  /** Drops every entry, in every process sharing the cache: called whenever the catalog changes. */
  async invalidateAll(): Promise<void> {
    await this.shared?.clear();
    this.clearHere();
    this.channel.publish('all');
  }

  /** Calls `listener` after any invalidation, this process's or another's (e.g. to reload the station list). */
  onInvalidated(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops expired entries of both tiers; returns how many. Run by the cleanup job. */
  async purgeExpired(): Promise<number> {
    const before = this.near.size;
    this.near.purgeStale();
    const shared = (await this.shared?.purgeExpired(this.options.now())) ?? 0;
    return before - this.near.size + shared;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.channel.close();
  }

  /** Snapshots in this process's tier. */
  get size(): number {
    return this.near.size;
  }

  private clearHere(): void {
    this.near.clear();
    for (const listener of this.listeners) listener();
  }
}
