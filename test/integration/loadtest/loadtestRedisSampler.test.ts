import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisSampler } from '../../../loadtest/redisSampler.js';
import { deleteKeysWithPrefix } from '../../support/redis.js';
import { redisUrl } from '../../support/postgres.js';

const REDIS_URL = redisUrl();

describe('load-test Redis sampler on a real Redis', () => {
  const prefix = `ds_test_sampler_${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(REDIS_URL);
  after(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });

  it('counts the commands issued between its two reads (at least ours: other clients share the counters)', async () => {
    const sampler = new RedisSampler(REDIS_URL);
    await sampler.markStart();
    for (let i = 0; i < 200; i++) await redis.zincrby(`${prefix}z`, 1, `m${i % 7}`);
    await sampler.markEnd();
    await sampler.close();
    const summary = sampler.summarize(1, 4);
    assert.equal(summary.available, true);
    const zincrby = summary.top?.find((c) => c.command === 'zincrby');
    assert.ok(zincrby && zincrby.calls >= 200, `zincrby calls seen: ${JSON.stringify(summary.top)}`);
    assert.ok((summary.commandsTotal ?? 0) >= 200);
    assert.ok((summary.commandsPerSessionSecond ?? 0) >= 50);
  });

  it('says why when Redis cannot be read, and does not throw', async () => {
    const sampler = new RedisSampler('redis://127.0.0.1:1');
    await sampler.markStart();
    await sampler.markEnd();
    await sampler.close();
    const summary = sampler.summarize(1, 1);
    assert.equal(summary.available, false);
    assert.ok(summary.reason && summary.reason.length > 0);
  });
});
