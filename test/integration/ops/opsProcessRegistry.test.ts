import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ProcessRegistry } from '../../../features/ops/processRegistry.js';
import { localBackplane, onRedis } from '../../support/backplanes.js';
import type { ProcessHeartbeat } from '../../../features/ops/types.js';
import { redisUrl } from '../../support/postgres.js';

const NOW = Date.parse('2025-06-01T12:00:00.000Z');

function heartbeat(processId: string, at: number, ccu = 1): ProcessHeartbeat {
  return {
    processId,
    publicAddress: `10.0.0.1:${processId.length}`,
    pid: 1,
    hostname: 'h',
    transport: 'uws',
    startedAt: at - 1000,
    at,
    uptimeSec: 1,
    rssMb: 100,
    heapUsedMb: 50,
    rooms: { session: { rooms: ccu, clients: ccu } },
    ccu,
    tickMsP99: 0.5,
    patchBytesPerSec: 1200,
    eventLoopLagMsP99: 10.2,
    passport: {
      queueDepth: 3,
      maxQueue: 100,
      persistedPerSec: 12.5,
      persistedTotal: 99,
      rejected: 0,
      deadLettered: 0,
      flushLatencyMsP50: 2,
      flushLatencyMsMax: 9,
      lastError: null,
      lastErrorAt: null,
      retrying: false,
    },
    leaderboardLagMs: 250,
  };
}

/** One behaviour suite over every ProcessRegistry implementation. */
function describeRegistry(name: string, make: () => ProcessRegistry, cleanup: () => Promise<void> = async () => {}): void {
  describe(`ProcessRegistry contract: ${name}`, () => {
    let registry: ProcessRegistry;
    beforeEach(() => {
      registry = make();
    });
    afterEach(async () => {
      await cleanup();
    });

    it('lists published heartbeats ordered by processId, with every field intact', async () => {
      await registry.publish(heartbeat('b', NOW, 2), 5000);
      await registry.publish(heartbeat('a', NOW, 1), 5000);
      const listed = await registry.list(NOW + 100);
      assert.deepEqual(
        listed.map((h) => h.processId),
        ['a', 'b'],
      );
      assert.deepEqual(listed[1], heartbeat('b', NOW, 2));
    });

    it('a newer heartbeat replaces the older one of the same process', async () => {
      await registry.publish(heartbeat('a', NOW, 1), 5000);
      await registry.publish(heartbeat('a', NOW + 1000, 7), 5000);
      const listed = await registry.list(NOW + 1500);
      assert.equal(listed.length, 1);
      assert.equal(listed[0].ccu, 7);
    });

    it('forgets a heartbeat once at + ttl has passed (a crashed process disappears)', async () => {
      await registry.publish(heartbeat('dead', NOW, 1), 3000);
      await registry.publish(heartbeat('alive', NOW + 2500, 1), 3000);
      assert.deepEqual(
        (await registry.list(NOW + 2999)).map((h) => h.processId),
        ['alive', 'dead'],
      );
      assert.deepEqual(
        (await registry.list(NOW + 3000)).map((h) => h.processId),
        ['alive'],
      );
      assert.deepEqual(
        (await registry.list(NOW + 2999)).map((h) => h.processId),
        ['alive'],
        'expired entries are removed, not just hidden',
      );
    });

    it('remove() withdraws a process at once', async () => {
      await registry.publish(heartbeat('a', NOW), 5000);
      await registry.publish(heartbeat('b', NOW), 5000);
      await registry.remove('a');
      await registry.remove('never-published');
      assert.deepEqual(
        (await registry.list(NOW)).map((h) => h.processId),
        ['b'],
      );
    });

    it('stores a copy: mutating the published object later changes nothing', async () => {
      const hb = heartbeat('a', NOW);
      await registry.publish(hb, 5000);
      hb.ccu = 999;
      hb.rooms.session.clients = 999;
      const [listed] = await registry.list(NOW);
      assert.equal(listed.ccu, 1);
      assert.equal(listed.rooms.session.clients, 1);
    });

    it('rejects invalid heartbeats and ttls', async () => {
      await assert.rejects(registry.publish({ ...heartbeat('a', NOW), processId: '' }, 5000), TypeError);
      await assert.rejects(registry.publish({ ...heartbeat('a', NOW), at: Number.NaN }, 5000), TypeError);
      await assert.rejects(registry.publish(heartbeat('a', NOW), 0), RangeError);
      await assert.rejects(registry.publish(heartbeat('a', NOW), 1.5), RangeError);
      assert.deepEqual(await registry.list(NOW), []);
    });
  });
}

describeRegistry('local', () => new ProcessRegistry(localBackplane()));

describe('ProcessRegistry over a real Redis', () => {
  const prefix = `test:ops:${process.pid}:${randomUUID().slice(0, 8)}:`;
  let redis: Redis;
  before(async () => {
    redis = new Redis(redisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });
  after(async () => {
    await redis.quit();
  });
  describeRegistry(
    'redis',
    // The registry's clock is the caller's; Redis' own TTL (a backstop) must not fire during the test.
    () => new ProcessRegistry(onRedis(redis, prefix)),
    async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
    },
  );

  describe('ProcessRegistry across processes', () => {
    it('two registries on one Redis (two server processes) see each other', async () => {
      const other = new Redis(redisUrl());
      const a = new ProcessRegistry(onRedis(redis, `${prefix}x:`));
      const b = new ProcessRegistry(onRedis(other, `${prefix}x:`));
      try {
        const now = Date.now();
        await a.publish(heartbeat('proc-a', now), 5000);
        await b.publish(heartbeat('proc-b', now), 5000);
        assert.deepEqual(
          (await a.list(now)).map((h) => h.processId),
          ['proc-a', 'proc-b'],
        );
        assert.deepEqual(
          (await b.list(now)).map((h) => h.processId),
          ['proc-a', 'proc-b'],
        );
        assert.ok((await redis.pttl(`${prefix}x:{ops:procs}:proc-a`)) > 0, 'the key carries a Redis TTL as a backstop');
      } finally {
        await other.quit();
        const keys = await redis.keys(`${prefix}x:*`);
        if (keys.length) await redis.del(...keys);
      }
    });
  });
});
