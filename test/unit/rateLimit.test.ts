import assert from 'node:assert/strict';
import { createBucket, tryTake } from '../../systems/rateLimit.js';

describe('token bucket rate limit', () => {
  it('allows a burst, then refills at the sustained rate', () => {
    const bucket = createBucket(5, 0);
    const burst = Array.from({ length: 7 }, () => tryTake(bucket, 10, 5, 0));
    assert.deepEqual(burst, [true, true, true, true, true, false, false]);
    assert.equal(tryTake(bucket, 10, 5, 99), false); // 0.99 tokens refilled
    assert.equal(tryTake(bucket, 10, 5, 100), true);
  });

  it('never stores more than the burst, however long the client was idle', () => {
    const bucket = createBucket(3, 0);
    let allowed = 0;
    for (let i = 0; i < 10; i++) if (tryTake(bucket, 10, 3, 3_600_000)) allowed++;
    assert.equal(allowed, 3);
  });

  it('treats a clock that goes backwards as no time elapsed', () => {
    const bucket = createBucket(1, 1000);
    assert.equal(tryTake(bucket, 1, 1, 1000), true);
    assert.equal(tryTake(bucket, 1, 1, 0), false);
  });
});
