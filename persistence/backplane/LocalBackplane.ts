import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Backplane, ColyseusScaleOut, BackplaneBlobs, BackplaneChannel, BackplaneLimiterOptions, BackplaneMap } from './Backplane.js';
import { assertExpiry } from './expiry.js';
import { LocalSlots } from './LocalSlots.js';

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

/** Copies in this process's memory (a view, as msgpackr's results, would keep its whole 8 KB chunk); an expired one is forgotten when next read. */
class LocalBlobs implements BackplaneBlobs {
  private readonly values = new Map<string, { value: Buffer; expiresAtMs: number }>();

  async get(key: string, nowMs: number): Promise<Buffer | undefined> {
    const entry = this.values.get(key);
    if (entry && entry.expiresAtMs <= nowMs) this.values.delete(key);
    return entry && entry.expiresAtMs > nowMs ? entry.value : undefined;
  }

  async set(key: string, value: Buffer, nowMs: number, ttlMs: number): Promise<void> {
    assertExpiry(nowMs, nowMs + ttlMs);
    this.values.set(key, { value: Buffer.from(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)), expiresAtMs: nowMs + ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

/** One process alone: what it shares, it shares with itself. */
export class LocalBackplane implements Backplane {
  readonly kind = 'local' as const;
  // One store per name, as one Redis holds one set of keys whoever asks.
  private readonly maps = new Map<string, LocalMap>();
  private readonly limiters = new Map<string, RateLimiterMemory>();
  private readonly blobsByName = new Map<string, LocalBlobs>();
  private readonly slotTables = new Map<string, LocalSlots>();

  constructor(readonly prefix: string) {}

  async colyseus(): Promise<ColyseusScaleOut | undefined> {
    return undefined;
  }

  /** No other process hears this one: publishing goes nowhere, subscribing hears nothing. */
  channel(): BackplaneChannel {
    return { publish: () => undefined, subscribe: async () => undefined, close: async () => undefined };
  }

  map(name: string): BackplaneMap {
    return named(this.maps, name, () => new LocalMap());
  }

  blobs(name: string): BackplaneBlobs {
    return named(this.blobsByName, name, () => new LocalBlobs());
  }

  slots(name: string): LocalSlots {
    return named(this.slotTables, name, () => new LocalSlots());
  }

  rateLimiter({ name, points, durationSec }: BackplaneLimiterOptions): RateLimiterMemory {
    return named(this.limiters, name, () => new RateLimiterMemory({ keyPrefix: name, points, duration: durationSec }));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

function named<T>(stores: Map<string, T>, name: string, create: () => T): T {
  let store = stores.get(name);
  if (!store) stores.set(name, (store = create()));
  return store;
}

export const byKey = (a: [string, string], b: [string, string]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
