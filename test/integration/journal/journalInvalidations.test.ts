import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { JournalInvalidations } from '../../../features/journal/JournalInvalidations.js';
import { redisUrl } from '../../support/postgres.js';
import { ignoreErrors, localBackplane, onRedis } from '../../support/backplanes.js';

/** The journal cache's invalidation bus: a capture on one process drops the journal on every process. */
describe('UserInvalidations (journal cache across processes)', function () {
  this.timeout(10_000);

  it('Local: listeners hear a publish synchronously', () => {
    const bus = new JournalInvalidations(localBackplane(), { batchMs: 0, batchMax: 1 }, ignoreErrors);
    const heard: string[] = [];
    bus.onInvalidated((u) => heard.push(u));
    bus.publish('u1');
    assert.deepEqual(heard, ['u1']);
  });

  it('Redis: two processes on real Redis each hear the other once, and their own publish once', async () => {
    const prefix = `test-inval-${randomUUID()}:`;
    const redisA = new Redis(redisUrl());
    const redisB = new Redis(redisUrl());
    const a = await new JournalInvalidations(onRedis(redisA, prefix), { batchMs: 0, batchMax: 1 }, ignoreErrors).start();
    const b = await new JournalInvalidations(onRedis(redisB, prefix), { batchMs: 0, batchMax: 1 }, ignoreErrors).start();
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
  /** Raw messages on the channel, heard by a third connection (what crosses Redis, not what listeners see). */
  async function tap(prefix: string): Promise<{ messages: string[]; close: () => void }> {
    const sub = new Redis(redisUrl());
    const messages: string[] = [];
    sub.on('message', (_channel: string, message: string) => messages.push(message));
    await sub.subscribe(`${prefix}journal:invalidate`);
    return { messages, close: () => sub.disconnect() };
  }

  const until = async (done: () => boolean): Promise<void> => {
    const deadline = Date.now() + 3000;
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  };

  it('Redis, batched: captures within the window cross Redis as one PUBLISH; the other process hears every user', async () => {
    const prefix = `test-inval-${randomUUID()}:`;
    const [redisA, redisB] = [new Redis(redisUrl()), new Redis(redisUrl())];
    const a = await new JournalInvalidations(onRedis(redisA, prefix), { batchMs: 50, batchMax: 100 }, ignoreErrors).start();
    const b = await new JournalInvalidations(onRedis(redisB, prefix), { batchMs: 0, batchMax: 1 }, ignoreErrors).start();
    const raw = await tap(prefix);
    const heardA: string[] = [];
    const heardB: string[] = [];
    a.onInvalidated((u) => heardA.push(u));
    b.onInvalidated((u) => heardB.push(u));
    try {
      for (const u of ['u1', 'u2', 'u3', 'u2']) a.publish(u);
      assert.deepEqual(heardA, ['u1', 'u2', 'u3', 'u2'], 'the publishing process applies each at once');
      await until(() => heardB.length >= 3);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(heardB.sort(), ['u1', 'u2', 'u3']);
      assert.equal(raw.messages.length, 1, `one PUBLISH for the window, saw ${JSON.stringify(raw.messages)}`);
    } finally {
      raw.close();
      await a.close();
      await b.close();
      redisA.disconnect();
      redisB.disconnect();
    }
  });

  it('Redis, batched: a full batch publishes at once, and close publishes what is still gathered', async () => {
    const prefix = `test-inval-${randomUUID()}:`;
    const [redisA, redisB] = [new Redis(redisUrl()), new Redis(redisUrl())];
    // A window far longer than the test: only the bound and close can publish.
    const a = await new JournalInvalidations(onRedis(redisA, prefix), { batchMs: 60_000, batchMax: 2 }, ignoreErrors).start();
    const b = await new JournalInvalidations(onRedis(redisB, prefix), { batchMs: 0, batchMax: 1 }, ignoreErrors).start();
    const raw = await tap(prefix);
    const heardB: string[] = [];
    b.onInvalidated((u) => heardB.push(u));
    try {
      a.publish('u1');
      a.publish('u2');
      await until(() => heardB.length >= 2);
      assert.deepEqual(heardB, ['u1', 'u2'], 'the second user filled the batch');
      a.publish('u3');
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(heardB, ['u1', 'u2'], 'u3 waits for the window');
      await a.close();
      await until(() => heardB.length >= 3);
      assert.deepEqual(heardB, ['u1', 'u2', 'u3']);
      assert.equal(raw.messages.length, 2);
    } finally {
      raw.close();
      await b.close();
      redisA.disconnect();
      redisB.disconnect();
    }
  });
});
