import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Backplane, ColyseusScaleOut, BackplaneBlobs, BackplaneChannel, BackplaneLimiterOptions, BackplaneMap, BackplaneMapOptions } from './Backplane.js';
import { assertExpiry } from './expiry.js';
import { LocalSlots } from './LocalSlots.js';

/** No other process hears this one: publishing goes nowhere, subscribing hears nothing. */
class LocalChannel implements BackplaneChannel {
  publish(): void {}
  async subscribe(): Promise<void> {}
  async close(): Promise<void> {}
}

/** Entries in this process's memory, each forgotten once its expiry passes. */
class LocalMap implements BackplaneMap {
  private readonly entriesByKey = new Map<string, { value: string; expiresAtMs: number }>();

  async get(key: string): Promise<string | undefined> {
    return this.entriesByKey.get(key)?.value;
  }

  async set(key: string, value: string, nowMs: number, expiresAtMs: number): Promise<void> {
    assertExpiry(nowMs, expiresAtMs);
    this.entriesByKey.set(key, { value, expiresAtMs });
  }

  async delete(key: string): Promise<void> {
    this.entriesByKey.delete(key);
  }

  async entries(nowMs: number): Promise<Array<[string, string]>> {
    await this.purgeExpired(nowMs);
    return [...this.entriesByKey].map(([key, { value }]): [string, string] => [key, value]).sort(byKey);
  }

  async clear(): Promise<void> {
    this.entriesByKey.clear();
  }

  async purgeExpired(nowMs: number): Promise<number> {
    let purged = 0;
    for (const [key, entry] of this.entriesByKey) {
      if (entry.expiresAtMs <= nowMs) {
        this.entriesByKey.delete(key);
        purged++;
      }
    }
    return purged;
  }
}

/** Values in this process's memory; an expired one is forgotten when it is next read. */
class LocalBlobs implements BackplaneBlobs {
  private readonly values = new Map<string, { value: Buffer; expiresAtMs: number }>();

  async get(key: string, nowMs: number): Promise<Buffer | undefined> {
    const entry = this.values.get(key);
    if (entry && entry.expiresAtMs <= nowMs) this.values.delete(key);
    return entry && entry.expiresAtMs > nowMs ? entry.value : undefined;
  }

  async set(key: string, value: Buffer, nowMs: number, ttlMs: number): Promise<void> {
    assertExpiry(nowMs, nowMs + ttlMs);
    this.values.set(key, { value, expiresAtMs: nowMs + ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

/** One process alone: what it shares, it shares with itself. */
export class LocalBackplane implements Backplane {
  readonly kind = 'local' as const;
  /** One map per index key, as one Redis holds one set of keys whoever asks. */
  private readonly maps = new Map<string, LocalMap>();
  private readonly limiters = new Map<string, RateLimiterMemory>();
  private readonly blobsByName = new Map<string, LocalBlobs>();
  private readonly slotTables = new Map<string, LocalSlots>();

  constructor(readonly prefix: string) {}

  async colyseus(): Promise<ColyseusScaleOut | undefined> {
    return undefined;
  }

  channel(): BackplaneChannel {
    return new LocalChannel();
  }

  map(options: BackplaneMapOptions): BackplaneMap {
    let map = this.maps.get(options.indexKey);
    if (!map) this.maps.set(options.indexKey, (map = new LocalMap()));
    return map;
  }

  blobs(name: string): BackplaneBlobs {
    let blobs = this.blobsByName.get(name);
    if (!blobs) this.blobsByName.set(name, (blobs = new LocalBlobs()));
    return blobs;
  }

  /** One table per name, as one Redis holds one set of keys whoever asks. */
  slots(name: string): LocalSlots {
    let table = this.slotTables.get(name);
    if (!table) this.slotTables.set(name, (table = new LocalSlots()));
    return table;
  }

  /** One limiter per name, as one Redis holds one set of counts whoever asks. */
  rateLimiter({ name, points, durationSec }: BackplaneLimiterOptions): RateLimiterMemory {
    let limiter = this.limiters.get(name);
    if (!limiter) this.limiters.set(name, (limiter = new RateLimiterMemory({ keyPrefix: name, points, duration: durationSec })));
    return limiter;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

export const byKey = (a: [string, string], b: [string, string]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
