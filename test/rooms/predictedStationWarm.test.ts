import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Room } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { redisUrl } from '../support/postgres.js';
import { deleteKeysWithPrefix } from '../support/redis.js';
import { useServer } from '../support/serverProcess.js';
import { clientFor, nextMessage, waitForState } from '../support/rooms.js';
import { signIn } from '../support/auth.js';

/**
 * Seed 000 steps 3.4–3.6: a swipe predicts where the dial will stop and loads that station into the
 * Redis station cache ("Preload prediction to Redis") at once, so it is there while the dial still
 * glides, not first read when the dial locks on it ~1 s later. Observed from outside: the shared
 * cache's index in Redis, polled from the moment of the swipe until the `locked` message.
 */
describe('a swipe warms the predicted station in Redis before the glide ends (seed 000 steps 3.5–3.6)', function () {
  this.timeout(60_000);
  const prefix = `test:warm:${randomUUID().slice(0, 8)}:`;
  const index = `${prefix}{station:live}`;
  let redis: Redis;
  before(() => {
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  });
  const running = useServer({ REDIS_URL: redisUrl(), REDIS_PREFIX: prefix, CLIENT_MESSAGE_RATE: '200' });
  let room: Room | undefined;
  // In afterEach, before the server is stopped: a leave against a stopped server never answers.
  afterEach(async () => {
    await Promise.race([room?.leave(true).catch(() => undefined), new Promise((done) => setTimeout(done, 500))]);
  });
  after(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  it('99.9 → swipe right at 850 px/s: 105.5 is in the station cache while the dial still glides, before `locked`', async () => {
    const base = running().server.baseUrl;
    room = await clientFor(base, (await signIn(base)).accessToken).create('session', { deviceModel: 'iPhone17,3' });
    await nextMessage(room, 'welcome');
    await waitForState(room, (s) => s.station.artistName === 'Wizkid' && s.dial.locked === true, 5000, 'on Wizkid at 99.9');
    // The cache holds what was read so far (99.9, the station the room joined on), not the target.
    assert.ok((await redis.zscore(index, '99.9')) !== null, `the joined station is cached under ${index}`);
    assert.equal(await redis.zscore(index, '105.5'), null, 'the target is not cached before the swipe');

    let locked = false;
    const lockedMsg = nextMessage(room, 'locked', 5000).then((m) => ((locked = true), m));
    room.send('swipe', { direction: 'right', velocity: 850 });
    let warmWhileGliding = false;
    while (!locked) {
      if ((await redis.zscore(index, '105.5')) !== null) {
        warmWhileGliding = !locked;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const msg = await lockedMsg;
    assert.equal(msg.frequency, 105.5, 'the predicted station is where the dial stopped');
    assert.ok(warmWhileGliding, 'the predicted station was cached before the dial locked on it, not by the arrival');
    const snapshot = await redis.get(`${index}:105.5`);
    assert.equal(JSON.parse(snapshot ?? '{}').artist?.id, 'artist_burna_boy', "the cached snapshot is Burna Boy's station");
  });
});
