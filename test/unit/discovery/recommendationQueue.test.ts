import assert from 'node:assert/strict';
import pino from 'pino';
import { Registry } from 'prom-client';
import { registerRecommendationQueue } from '../../../src/wire/discovery.js';
import { RecommendationQueue } from '../../../features/discovery/RecommendationQueue.js';
import type { RecommendationList } from '../../../features/discovery/Recommendations.js';

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
      { maxPending: 2, concurrency: 1, minIntervalMs: 0 },
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
    assert.deepEqual(queue.stats(), { pending: 2, running: 1, computed: 0, coalesced: 1, deferred: 0, dropped: 1, failed: 0 });

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

  it('a full queue logs its drops once per 10 s as a count, and the metric has every drop', async () => {
    const lines: Array<{ dropped: number; droppedTotal: number }> = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line) as { dropped: number; droppedTotal: number }) });
    let clock = 0;
    const queue = new RecommendationQueue(
      () => new Promise<RecommendationList>(() => undefined),
      { maxPending: 1, concurrency: 1, minIntervalMs: 0 },
      log,
      () => clock,
    );
    for (let i = 0; i < 500; i++) queue.request(`u${i}`, 'room', () => undefined);
    clock = 10_000;
    queue.request('late', 'room', () => undefined);
    assert.equal(queue.stats().dropped, 500, 'each request pushes the previous one out (none started: the pump runs on a later turn)');
    assert.deepEqual(
      lines.map((l) => [l.dropped, l.droppedTotal]),
      [
        [1, 1],
        [499, 500],
      ],
      'the first drop, then the 499 since it, 10 s later',
    );
    const registry = new Registry();
    registerRecommendationQueue(registry, () => queue.stats());
    assert.match(await registry.metrics(), /ds_recommendation_requests_total\{outcome="dropped"\} 500/);
    await queue.stop(10);
  });

  it('a failed computation is counted and logged; the next request still runs', async () => {
    let fail = true;
    const queue = new RecommendationQueue(
      async (u) => {
        if (fail) throw new Error('db down');
        return list(u);
      },
      { maxPending: 10, concurrency: 2, minIntervalMs: 0 },
      pino({ level: 'silent' }),
    );
    queue.request('u1', 'r', () => assert.fail('not delivered'));
    for (let i = 0; i < 5; i++) await tick();
    fail = false;
    const got = new Promise<RecommendationList>((resolve) => queue.request('u1', 'r', resolve));
    assert.equal((await got).generatedAt, 'u1');
    assert.equal(queue.stats().failed, 1);
  });

  it("starts one user's computations at least minIntervalMs apart, folding the captures meanwhile into one, without holding up other users", async () => {
    let clock = 1_000;
    const computed: Array<[string, number]> = [];
    const queue = new RecommendationQueue(
      async (u) => {
        computed.push([u, clock]);
        return list(u);
      },
      { maxPending: 10, concurrency: 2, minIntervalMs: 30_000 },
      pino({ level: 'silent' }),
      () => clock,
    );
    const delivered: string[] = [];
    const settle = async () => {
      for (let i = 0; i < 5; i++) await tick();
    };

    assert.equal(
      queue.request('u1', 'roomA', (l) => delivered.push(`A:${l.generatedAt}`)),
      'queued',
      'a first capture computes at once',
    );
    await settle();
    clock += 10_000;
    assert.equal(
      queue.request('u1', 'roomA', (l) => delivered.push(`A2:${l.generatedAt}`)),
      'deferred',
      '10 s later: waits for the interval',
    );
    assert.equal(
      queue.request('u1', 'roomB', (l) => delivered.push(`B:${l.generatedAt}`)),
      'coalesced',
      'a capture meanwhile joins it',
    );
    assert.equal(
      queue.request('u2', 'roomC', (l) => delivered.push(`C:${l.generatedAt}`)),
      'queued',
      'another user is not held up',
    );
    await settle();
    assert.deepEqual(computed, [
      ['u1', 1_000],
      ['u2', 11_000],
    ]);
    assert.deepEqual(queue.stats().pending, 1);

    clock += 19_999; // 29.999 s after u1's start: not yet
    (queue as unknown as { release(): void }).release();
    await settle();
    assert.equal(computed.length, 2);
    clock += 1;
    (queue as unknown as { release(): void }).release(); // what the timer does when the interval ends
    await settle();
    assert.deepEqual(
      computed,
      [
        ['u1', 1_000],
        ['u2', 11_000],
        ['u1', 31_000],
      ],
      'one computation for both captures, 30 s after the last start',
    );
    assert.deepEqual(delivered, ['A:u1', 'C:u2', 'A2:u1', 'B:u1']);
    assert.deepEqual(queue.stats(), { pending: 0, running: 0, computed: 3, coalesced: 1, deferred: 1, dropped: 0, failed: 0 });
    await queue.stop(100);
  });

  it('wakes itself when a deferred request is due (real timers)', async () => {
    const computed: string[] = [];
    const queue = new RecommendationQueue(
      async (u) => {
        computed.push(u);
        return list(u);
      },
      { maxPending: 10, concurrency: 1, minIntervalMs: 60 },
      pino({ level: 'silent' }),
    );
    const second = new Promise<RecommendationList>((resolve) => {
      queue.request('u1', 'r', () => {
        assert.equal(queue.request('u1', 'r', resolve), 'deferred');
      });
    });
    const started = performance.now();
    await second;
    assert.ok(performance.now() - started >= 55, 'the second computation started once the interval had passed');
    assert.deepEqual(computed, ['u1', 'u1']);
    await queue.stop(100);
  });
});
