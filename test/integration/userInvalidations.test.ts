import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { LocalUserInvalidations, RedisUserInvalidations } from '../../persistence/cache/UserInvalidations.js';
import { redisUrl } from '../support/postgres.js';

/** The journal cache's invalidation bus: a capture on one process drops the journal on every process. */
describe('UserInvalidations (journal cache across processes)', function () {
  this.timeout(10_000);

  it('Local: listeners hear a publish synchronously', () => {
    const bus = new LocalUserInvalidations();
    const heard: string[] = [];
    bus.onInvalidated((u) => heard.push(u));
    bus.publish('u1');
    assert.deepEqual(heard, ['u1']);
  });

  it('Redis: two processes on real Redis each hear the other once, and their own publish once', async () => {
    const prefix = `test-inval-${randomUUID()}:`;
    const redisA = new Redis(redisUrl());
    const redisB = new Redis(redisUrl());
    const a = await new RedisUserInvalidations(redisA, prefix).start();
    const b = await new RedisUserInvalidations(redisB, prefix).start();
    const heardA: string[] = [];
    const heardB: string[] = [];
    a.onInvalidated((u) => heardA.push(u));
    b.onInvalidated((u) => heardB.push(u));
    try {
      a.publish('user-1');
      b.publish('user-2');
      const deadline = Date.now() + 3000;
      while ((heardA.length < 2 || heardB.length < 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 100)); // a duplicate of our own message would arrive by now
      assert.deepEqual(heardA.sort(), ['user-1', 'user-2']);
      assert.deepEqual(heardB.sort(), ['user-1', 'user-2']);
    } finally {
      await a.close();
      await b.close();
      redisA.disconnect();
      redisB.disconnect();
    }
  });
});
