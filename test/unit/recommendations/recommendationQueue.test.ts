import assert from 'node:assert/strict';
import pino from 'pino';
import { RecommendationQueue } from '../../../features/recommendations/RecommendationQueue.js';
import type { RecommendationList } from '../../../features/recommendations/Recommendations.js';

const list = (userId: string): RecommendationList => ({ recommendations: [], generatedAt: userId, newArtistIds: [] });
const tick = () => new Promise((r) => setImmediate(r));

describe('RecommendationQueue (off-tick recomputation after captures)', () => {
  it('coalesces requests of one user, drops the oldest waiting user when full, and never blocks the caller', async () => {
    const gates = new Map<string, () => void>();
    const computed: string[] = [];
    const queue = new RecommendationQueue(
      (userId) =>
        new Promise((resolve) => {
          computed.push(userId);
          gates.set(userId, () => resolve(list(userId)));
        }),
      { maxPending: 2, concurrency: 1 },
      pino({ level: 'silent' }),
    );
    const delivered: string[] = [];
    const deliver = (key: string) => (l: RecommendationList) => delivered.push(`${key}:${l.generatedAt}`);

    assert.equal(queue.request('u1', 'roomA', deliver('roomA')), 'queued');
    await tick(); // u1 starts (concurrency 1)
    assert.equal(queue.request('u2', 'roomB', deliver('roomB')), 'queued');
    assert.equal(queue.request('u2', 'roomB', deliver('roomB2')), 'coalesced', 'a second capture joins the waiting request');
    assert.equal(queue.request('u3', 'roomC', deliver('roomC')), 'queued');
    assert.equal(queue.request('u4', 'roomD', deliver('roomD')), 'queued', 'full: u2 (the oldest waiting) is dropped, the caller is not blocked');
    assert.deepEqual(queue.stats(), { pending: 2, running: 1, computed: 0, coalesced: 1, dropped: 1, failed: 0 });

    gates.get('u1')!();
    for (let i = 0; i < 5; i++) await tick();
    gates.get('u3')!();
    for (let i = 0; i < 5; i++) await tick();
    gates.get('u4')!();
    for (let i = 0; i < 5; i++) await tick();
    assert.deepEqual(computed, ['u1', 'u3', 'u4'], 'u2 never computed');
    assert.deepEqual(delivered, ['roomA:u1', 'roomC:u3', 'roomD:u4']);
    assert.equal(queue.stats().computed, 3);
    await queue.stop(100);
    assert.equal(queue.request('u5', 'roomE', deliver('roomE')), 'stopped');
  });

  it('a failed computation is counted and logged; the next request still runs', async () => {
    let fail = true;
    const queue = new RecommendationQueue(async (u) => {
      if (fail) throw new Error('db down');
      return list(u);
    }, { maxPending: 10, concurrency: 2 }, pino({ level: 'silent' }));
    queue.request('u1', 'r', () => assert.fail('not delivered'));
    for (let i = 0; i < 5; i++) await tick();
    fail = false;
    const got = new Promise<RecommendationList>((resolve) => queue.request('u1', 'r', resolve));
    assert.equal((await got).generatedAt, 'u1');
    assert.equal(queue.stats().failed, 1);
  });
});
