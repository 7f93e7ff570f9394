import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { StationCache } from '../../../persistence/catalog/StationCache.js';
import type { StationRecord } from '../../../persistence/catalog/CatalogRepository.js';
import { RedisBackplane } from '../../../persistence/backplane/RedisBackplane.js';
import { redisUrl } from '../../support/postgres.js';
import { deleteKeysWithPrefix } from '../../support/redis.js';
import { localBackplane, redisBackplanes, type Backplane } from '../../support/backplanes.js';

const station = (name: string, frequency = 99.9) =>
  ({ artist: { id: `artist_${name}`, name, frequency }, scene: {}, orbs: [], adjacent: { below: null, above: null } }) as unknown as StationRecord;
const until = async (ok: () => Promise<boolean>, what: string) => {
  const deadline = Date.now() + 2000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

interface Pair {
  /** Two caches as two processes sharing the store see it (Local: the same instance). */
  a: StationCache;
  b: StationCache;
  close(): Promise<void>;
}

/** One behaviour suite over every StationCache implementation. */
function describeStationCache(name: string, make: (options: { ttlSec: number; maxEntries: number }) => Promise<Pair>): void {
  describe(`StationCache contract: ${name}`, () => {
    let pair: Pair;
    afterEach(async () => pair?.close());

    it('returns what was set, misses what was not', async () => {
      pair = await make({ ttlSec: 60, maxEntries: 10 });
      assert.equal(await pair.a.get(99.9), undefined);
      await pair.a.set(99.9, station('Wizkid'));
      assert.equal((await pair.a.get(99.9))?.artist.name, 'Wizkid');
      assert.equal((await pair.b.get(99.9))?.artist.name, 'Wizkid', 'the other process sees it');
      assert.equal(await pair.a.get(105.5), undefined);
    });

    it('invalidateAll empties every process and tells their listeners', async () => {
      pair = await make({ ttlSec: 60, maxEntries: 10 });
      let heardInB = 0;
      pair.b.onInvalidated(() => heardInB++);
      await pair.a.set(99.9, station('Wizkid'));
      assert.ok(await pair.b.get(99.9), 'b has it (its own tier warm)');
      await pair.a.invalidateAll();
      assert.equal(await pair.a.get(99.9), undefined);
      await until(async () => (await pair.b.get(99.9)) === undefined && heardInB > 0, 'b emptied and notified');
    });

    it('a change made in one process after an invalidation is what the other serves', async () => {
      pair = await make({ ttlSec: 60, maxEntries: 10 });
      await pair.a.set(99.9, station('Wizkid'));
      assert.equal((await pair.b.get(99.9))?.artist.name, 'Wizkid');
      await pair.a.invalidateAll();
      await until(async () => (await pair.b.get(99.9)) === undefined, 'b emptied');
      await pair.a.set(99.9, station('Wizkid (renamed)'));
      assert.equal((await pair.b.get(99.9))?.artist.name, 'Wizkid (renamed)');
    });

    it('holds at most maxEntries in a process, evicting the least recently used', async () => {
      pair = await make({ ttlSec: 60, maxEntries: 3 });
      const cache = pair.a;
      for (const f of [88.1, 90.1, 92.1]) await cache.set(f, station(`s${f}`, f));
      await cache.get(88.1); // recently used: survives
      await cache.set(94.1, station('s94.1', 94.1));
      assert.equal(cache.size, 3, 'the in-process tier keeps maxEntries');
    });
  });
}

const cacheOn = (backplane: Backplane, ttlSec: number, maxEntries: number) =>
  new StationCache(backplane, { ttlMs: ttlSec * 1000, maxEntries, onError: () => undefined, now: Date.now }).start();

describeStationCache('Local (one process)', async ({ ttlSec, maxEntries }) => {
  const cache = await cacheOn(localBackplane(), ttlSec, maxEntries);
  return { a: cache, b: cache, close: () => cache.close() };
});

describeStationCache('Redis (two processes, each with its in-process tier)', async ({ ttlSec, maxEntries }) => {
  const backplanes = await redisBackplanes(2);
  const [a, b] = await Promise.all(backplanes.all.map((bp) => cacheOn(bp, ttlSec, maxEntries)));
  return {
    a,
    b,
    close: async () => {
      await a.close();
      await b.close();
      await backplanes.close();
    },
  };
});

describe('StationCache on a Redis backplane: in-process tier', () => {
  it('serves a warm station without a Redis round trip', async () => {
    const prefix = `test:stations:${randomUUID().slice(0, 8)}:`;
    const redis = new Redis(redisUrl());
    const cache = await cacheOn(new RedisBackplane(redis, prefix), 60, 10);
    try {
      await cache.set(99.9, station('Wizkid'));
      let commands = 0;
      const original = redis.sendCommand.bind(redis);
      redis.sendCommand = ((...args: Parameters<typeof original>) => (commands++, original(...args))) as typeof redis.sendCommand;
      for (let i = 0; i < 100; i++) assert.ok(await cache.get(99.9));
      assert.equal(commands, 0, 'no Redis command for 100 reads of a warm station');
    } finally {
      await cache.close();
      await deleteKeysWithPrefix(redis, prefix);
      await redis.quit().catch(() => undefined);
    }
  });
});
