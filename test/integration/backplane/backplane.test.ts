import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { BACKPLANE_KINDS, redisBackplanes, type Backplane } from '../../support/backplanes.js';
import { redisUrl } from '../../support/postgres.js';
import { leaderboardStoreOn } from '../../../persistence/leaderboard/RedisLeaderboardStore.js';
import { createBackplane } from '../../../persistence/backplane/createBackplane.js';

const NOW = Date.parse('2026-01-01T00:00:00.000Z');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mapOf = (b: Backplane) => b.map('probe:live');

for (const kind of BACKPLANE_KINDS) {
  describe(`Backplane contract: ${kind.name}`, () => {
    let all: Backplane[];
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ all, close } = await kind.make(2));
    });
    afterEach(async () => close());

    it('a map keeps each value until its expiry, lists live entries in key order and forgets expired ones', async () => {
      const [a, b] = all.map(mapOf);
      await a.set('zeta', 'z', NOW, NOW + 60_000);
      await a.set('alpha', 'a', NOW, NOW + 1_000);
      assert.equal(await b.get('zeta'), 'z', 'what one process sets, another reads');
      assert.deepEqual(await b.entries(NOW), [
        ['alpha', 'a'],
        ['zeta', 'z'],
      ]);
      assert.deepEqual(await b.entries(NOW + 1_000), [['zeta', 'z']], 'alpha expired at its expiry');
      await a.set('zeta', 'z2', NOW, NOW + 60_000);
      assert.deepEqual(await a.entries(NOW), [['zeta', 'z2']], 'a set replaces');
      await b.delete('zeta');
      assert.equal(await a.get('zeta'), undefined);
      assert.deepEqual(await a.entries(NOW), []);
    });

    it('a map clears every entry and purges the expired ones on demand', async () => {
      const [a, b] = all.map(mapOf);
      await a.set('k1', 'v1', NOW, NOW + 10);
      await a.set('k2', 'v2', NOW, NOW + 60_000);
      assert.equal(await b.purgeExpired(NOW + 10), 1);
      assert.deepEqual(
        (await a.entries(NOW)).map(([k]) => k),
        ['k2'],
      );
      await b.clear();
      assert.equal(await a.get('k2'), undefined);
      assert.deepEqual(await a.entries(NOW), []);
    });

    it('blobs keep binary values under their name until their TTL, readable by every process', async () => {
      const [a, b] = all.map((x) => x.blobs('probe-blobs'));
      const value = Buffer.from([0, 1, 2, 255, 0x93]);
      await a.set('s1', value, Date.now(), 60_000);
      assert.deepEqual(await b.get('s1', Date.now()), value, 'what one process sets, another reads, byte for byte');
      assert.equal(await b.get('s2', Date.now()), undefined);
      assert.equal(await all[0]!.blobs('other-name').get('s1', Date.now()), undefined, 'names do not share values');
      await a.set('short', value, Date.now(), 30);
      await sleep(80);
      assert.equal(await b.get('short', Date.now()), undefined, 'gone after its TTL');
      await b.delete('s1');
      assert.equal(await a.get('s1', Date.now()), undefined);
      await assert.rejects(a.set('k', value, NOW, 0), RangeError);
    });

    it("a blob keeps the value's bytes alone: not the rest of a buffer it was a view of, nor the caller's later writes", async () => {
      const [a, b] = all.map((x) => x.blobs('probe-views'));
      const chunk = Buffer.alloc(8192, 7); // as msgpackr's results share one chunk
      const view = chunk.subarray(100, 108).fill(1);
      await a.set('s1', view, Date.now(), 60_000);
      chunk.fill(9);
      const stored = await b.get('s1', Date.now());
      assert.deepEqual(stored, Buffer.alloc(8, 1), 'the bytes as set');
      assert.ok(stored!.buffer.byteLength < chunk.length, `${stored!.buffer.byteLength} bytes held for an 8-byte value`);
    });

    it('a map refuses an entry that would not live', async () => {
      await assert.rejects(mapOf(all[0]!).set('k', 'v', NOW, NOW), RangeError);
    });

    it('a channel never plays a process its own messages', async () => {
      const heard: string[] = [];
      const channel = all[0]!.channel('probe:chan');
      await channel.subscribe((body) => heard.push(body));
      channel.publish('mine');
      await sleep(100);
      assert.deepEqual(heard, []);
      await channel.close();
    });

    it('chooses the leaderboard store for its kind', () => {
      assert.equal(leaderboardStoreOn(all[0]!, { unionCacheMs: 1000 }).kind, all[0]!.kind);
    });

    it('answers a ping', async () => {
      await all[0]!.ping();
    });
  });
}

describe('Backplane over Redis: channels between processes', () => {
  it('every other process hears a message once, with the sender as its origin; a closed channel hears no more', async () => {
    const { all, close } = await redisBackplanes(3);
    try {
      const [a, b, c] = [all[0]!, all[1]!, all[2]!];
      const heardB: Array<[string, string]> = [];
      const heardC: string[] = [];
      const onB = b.channel('probe:chan');
      const onC = c.channel('probe:chan');
      await onB.subscribe((body, origin) => heardB.push([body, origin]));
      await onC.subscribe((body) => heardC.push(body));
      a.channel('probe:chan').publish('hello|with a bar');
      a.channel('probe:other').publish('elsewhere');
      const deadline = Date.now() + 2000;
      while ((heardB.length < 1 || heardC.length < 1) && Date.now() < deadline) await sleep(10);
      assert.deepEqual(heardB, [['hello|with a bar', a.id]]);
      assert.deepEqual(heardC, ['hello|with a bar']);
      await onC.close();
      a.channel('probe:chan').publish('second');
      while (heardB.length < 2 && Date.now() < deadline) await sleep(10);
      await sleep(100);
      assert.deepEqual(heardC, ['hello|with a bar'], 'c closed its channel');
      assert.equal(heardB.length, 2);
    } finally {
      await close();
    }
  });

  it("keeps map values under the prefix, in the map's hash tag (one Redis Cluster slot), with a Redis TTL as a backstop", async () => {
    const { all, prefix, close } = await redisBackplanes(1);
    const probe = new Redis(redisUrl());
    try {
      const now = Date.now();
      await mapOf(all[0]!).set('k', 'v', now, now + 60_000);
      const ttl = await probe.pttl(`${prefix}{probe:live}:k`);
      assert.ok(ttl > 0 && ttl <= 60_000, `pttl ${ttl}`);
      assert.deepEqual(await probe.zrange(`${prefix}{probe:live}`, 0, -1), ['k']);
    } finally {
      await probe.quit();
      await close();
    }
  });
});

describe('createBackplane', () => {
  it('is Local without a Redis URL and Redis with one', async () => {
    const local = createBackplane({ prefix: 't:', log: { warn: () => undefined, info: () => undefined } });
    assert.equal(local.kind, 'local');
    const shared = createBackplane({ redisUrl: redisUrl(), prefix: 't:', log: { warn: () => undefined, info: () => undefined } });
    assert.equal(shared.kind, 'redis');
    await shared.ping();
    await Promise.all([local.close(), shared.close()]);
  });

  it("builds Colyseus's presence and driver on the same Redis (none when Local), on connections Colyseus may quit", async () => {
    const local = createBackplane({ prefix: 't:', log: { warn: () => undefined, info: () => undefined } });
    assert.equal(await local.colyseus(), undefined);
    const shared = createBackplane({ redisUrl: redisUrl(), prefix: 't:', log: { warn: () => undefined, info: () => undefined } });
    const colyseus = await shared.colyseus();
    assert.ok(colyseus);
    const key = `t:colyseus-probe:${process.pid}`;
    await colyseus.presence.hset(key, 'f', 'v');
    const probe = new Redis(redisUrl());
    try {
      assert.equal(await probe.hget(key, 'f'), 'v', 'the presence writes where REDIS_URL points');
      await probe.del(key);
      assert.equal(await colyseus.driver.has('no-such-room'), false);
      colyseus.presence.shutdown();
      await colyseus.driver.shutdown();
      await shared.ping(); // the backplane's own connection outlives Colyseus's
    } finally {
      await probe.quit();
      await Promise.all([local.close(), shared.close()]);
    }
  });
});
