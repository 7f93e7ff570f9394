import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisUrl } from '../support/postgres.js';
import { deleteKeysWithPrefix } from '../support/redis.js';
import { useServer } from '../support/serverProcess.js';

/**
 * REDIS_PREFIX was ignored by the Redis station cache and the ops process registry: their
 * keys landed under `ds:` whatever the config said (two deployments sharing a Redis collided).
 */
describe('issue: REDIS_PREFIX was ignored by the station cache and the process registry', function () {
  this.timeout(60_000);
  // A random logical database: few other runs write there.
  const url = `${redisUrl().replace(/\/\d*$/, '')}/${randomInt(1, 16)}`;
  const prefix = `test:prefix:${randomUUID().slice(0, 8)}:`;
  let redis: Redis;
  let registeredBefore: string[] = [];
  // Before the server starts: other runs may share this database; their default-prefix keys are set aside.
  before(async () => {
    redis = new Redis(url);
    for (const key of await redis.keys('ds:{station:live}*')) await redis.del(key); // cache entries: safe to drop
    registeredBefore = await redis.zrange('ds:{ops:procs}', 0, -1);
  });
  const running = useServer({ REDIS_URL: url, REDIS_PREFIX: prefix, PUBLIC_ADDRESS: '127.0.0.1:1' });
  after(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  it('station snapshots and the ops heartbeat are stored under REDIS_PREFIX, nothing under ds:', async () => {
    assert.equal((await fetch(`${running().server.baseUrl}/api/stations/99.9`)).status, 200);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !(await redis.exists(`${prefix}{ops:procs}`))) await new Promise((r) => setTimeout(r, 100));
    const ours = await redis.keys(`${prefix}*`);
    assert.ok(
      ours.some((k) => k.startsWith(`${prefix}{station:live}:`)),
      `station cache keys under the prefix: ${ours.join(', ')}`,
    );
    assert.ok(ours.includes(`${prefix}{ops:procs}`), 'the process registry under the prefix');
    assert.deepEqual(await redis.keys('ds:{station:live}*'), [], 'no station snapshot under ds:');
    const registeredNow = await redis.zrange('ds:{ops:procs}', 0, -1);
    assert.deepEqual(
      registeredNow.filter((id) => !registeredBefore.includes(id)),
      [],
      'no heartbeat under ds:',
    );
  });
});
