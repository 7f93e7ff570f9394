import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { LeaderboardError, type LeaderboardIncrement, type LeaderboardStore } from '../../../systems/leaderboard/windows.js';
import { LocalLeaderboardStore, RankedSet } from '../../../persistence/leaderboard/LocalLeaderboardStore.js';
import { RedisLeaderboardStore } from '../../../persistence/leaderboard/RedisLeaderboardStore.js';
import { compareEntries, type LeaderboardEntry } from '../../../systems/leaderboard/windows.js';
import { DAY_GROUP, EVERY_GROUP, HOUR_GROUP, LEADERBOARD_WINDOWS, bucketIdFor, type LeaderboardWindow } from '../../../systems/leaderboard/windows.js';
import { deleteKeysWithPrefix } from '../../support/redis.js';
import { startClusterModeRedis } from '../../support/clusterModeRedis.js';
import { redisUrl } from '../../support/postgres.js';

/** One increment (hour, day and all-time buckets) through the store's batch call. */
const increment = (store: Pick<LeaderboardStore, 'incrementMany'>, leaderboard: string, entityId: string, by: number, nowMs: number, name?: string) =>
  store.incrementMany([{ leaderboard, entityId, by, ...(name === undefined ? {} : { name }) }], nowMs);
/** An entity's standing in a window (null when unranked): the one-row page around it. */
async function rankOf(store: Pick<LeaderboardStore, 'around'>, leaderboard: string, window: LeaderboardWindow, entityId: string, nowMs: number) {
  const [row] = await store.around(leaderboard, window, entityId, 0, nowMs);
  return row ? { rank: row.rank, score: row.score } : null;
}

/** The previous window's standings of `candidates`, in rank order: `[entityId, score]` pairs. */
async function previousOf(
  store: Pick<LeaderboardStore, 'previousStandings'>,
  leaderboard: string,
  window: LeaderboardWindow,
  nowMs: number,
  candidates: string[],
) {
  const standings = [...(await store.previousStandings(leaderboard, window, candidates, nowMs))].sort((a, b) => a[1].rank - b[1].rank);
  standings.forEach(([, s], i) => assert.equal(s.rank, i + 1, 'ranks are 1-based and unique'));
  return standings.map(([entityId, s]) => [entityId, s.score] as const);
}

const REDIS_URL = redisUrl();
const RUN_PREFIX = `test:lb:${process.pid}:${randomUUID().slice(0, 8)}:`;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const NOW = Date.parse('2025-01-15T12:30:00.000Z');

let redis: Redis;
let prefixCounter = 0;

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof LeaderboardError && err.code === code);
}

/** Leaderboard order (compareEntries) with unique 1-based ranks. */
const rankEntries = (items: ReadonlyArray<{ entityId: string; score: number; name?: string | null }>): LeaderboardEntry[] =>
  [...items].sort(compareEntries).map((item, i) => ({ rank: i + 1, entityId: item.entityId, name: item.name ?? null, score: item.score }));

const ids = (entries: Array<{ entityId: string }>): string[] => entries.map((e) => e.entityId);

type StoreFactory = () => LeaderboardStore;

/** One behaviour suite, run over every LeaderboardStore implementation. */
function describeLeaderboardStore(name: string, factory: StoreFactory): void {
  describe(`LeaderboardStore contract: ${name}`, () => {
    let store: LeaderboardStore;
    beforeEach(() => {
      store = factory();
    });
    afterEach(async () => {
      await store.close();
    });

    it('increments and returns the top N with 1-based ranks', async () => {
      await increment(store, 'plays', 'a', 3, NOW);
      await increment(store, 'plays', 'b', 5, NOW);
      await increment(store, 'plays', 'c', 1, NOW);
      await increment(store, 'plays', 'a', 4, NOW);
      assert.deepEqual(await store.top('plays', 'day', 2, NOW), [
        { rank: 1, entityId: 'a', name: null, score: 7 },
        { rank: 2, entityId: 'b', name: null, score: 5 },
      ]);
      assert.equal((await store.top('plays', 'all', 10, NOW)).length, 3);
      assert.deepEqual(await store.top('unknown-leaderboard', 'day', 10, NOW), []);
    });

    it('breaks ties by entity id ascending in code point order', async () => {
      const tied = ['zed', 'alpha', 'Beta', 'beta', 'émile', '\uFFEFy', '😀x', 'a'];
      for (const id of tied) await increment(store, 'ties', id, 2, NOW);
      await increment(store, 'ties', 'winner', 3, NOW);
      const expected = ['winner', 'Beta', 'a', 'alpha', 'beta', 'zed', 'émile', '\uFFEFy', '😀x'];
      for (const window of LEADERBOARD_WINDOWS) assert.deepEqual(ids(await store.top('ties', window, 20, NOW)), expected, window);
      assert.deepEqual(await rankOf(store, 'ties', 'week', '😀x', NOW), { rank: 9, score: 2 });
      assert.deepEqual(await rankOf(store, 'ties', 'day', 'Beta', NOW), { rank: 2, score: 2 });
    });

    it('answers rankOf for known and unknown entities', async () => {
      for (let i = 0; i < 5; i++) await increment(store, 'r', `e${i}`, i + 1, NOW);
      assert.deepEqual(await rankOf(store, 'r', 'day', 'e4', NOW), { rank: 1, score: 5 });
      assert.deepEqual(await rankOf(store, 'r', '30d', 'e0', NOW), { rank: 5, score: 1 });
      assert.equal(await rankOf(store, 'r', 'day', 'nobody', NOW), null);
      assert.equal(await rankOf(store, 'nothing-here', 'day', 'e1', NOW), null);
    });

    it('pages around an entity, shifting at the edges to keep the page full', async () => {
      for (let i = 1; i <= 10; i++) await increment(store, 'ar', `p${String(i).padStart(2, '0')}`, 100 - i, NOW);
      const ranks = async (id: string, radius: number): Promise<number[]> => (await store.around('ar', 'week', id, radius, NOW)).map((e) => e.rank);
      assert.deepEqual(await ranks('p05', 2), [3, 4, 5, 6, 7]);
      assert.deepEqual(await ranks('p01', 2), [1, 2, 3, 4, 5]);
      assert.deepEqual(await ranks('p10', 2), [6, 7, 8, 9, 10]);
      assert.deepEqual(await ranks('p02', 0), [2]);
      assert.deepEqual(await ranks('p03', 50), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assert.deepEqual(await store.around('ar', 'week', 'stranger', 2, NOW), []);
      const page = await store.around('ar', 'day', 'p05', 1, NOW);
      assert.deepEqual(page, [
        { rank: 4, entityId: 'p04', name: null, score: 96 },
        { rank: 5, entityId: 'p05', name: null, score: 95 },
        { rank: 6, entityId: 'p06', name: null, score: 94 },
      ]);
    });

    it('keeps each increment in the windows its time belongs to', async () => {
      await increment(store, 'w', 'now', 1, NOW);
      await increment(store, 'w', 'twoHoursAgo', 2, NOW - 2 * HOUR);
      await increment(store, 'w', 'eightDaysAgo', 3, NOW - 8 * DAY);
      await increment(store, 'w', 'fortyDaysAgo', 4, NOW - 40 * DAY);
      const sorted = async (window: (typeof LEADERBOARD_WINDOWS)[number]): Promise<string[]> => ids(await store.top('w', window, 10, NOW)).sort();
      assert.deepEqual(await sorted('hour'), ['now']);
      assert.deepEqual(await sorted('day'), ['now', 'twoHoursAgo']);
      assert.deepEqual(await sorted('week'), ['now', 'twoHoursAgo']);
      assert.deepEqual(await sorted('30d'), ['eightDaysAgo', 'now', 'twoHoursAgo']);
      assert.deepEqual(await sorted('all'), ['eightDaysAgo', 'fortyDaysAgo', 'now', 'twoHoursAgo']);
      assert.deepEqual(await rankOf(store, 'w', 'all', 'fortyDaysAgo', NOW), { rank: 1, score: 4 });
      assert.equal(await rankOf(store, 'w', '30d', 'fortyDaysAgo', NOW), null);
    });

    it('sums an entity across the day buckets of a rolling window', async () => {
      for (let d = 0; d < 10; d++) await increment(store, 'sum', 'x', 1, NOW - d * DAY);
      await increment(store, 'sum', 'y', 6, NOW - HOUR);
      assert.deepEqual(await store.top('sum', 'week', 10, NOW), [
        { rank: 1, entityId: 'x', name: null, score: 7 },
        { rank: 2, entityId: 'y', name: null, score: 6 },
      ]);
      assert.deepEqual(await rankOf(store, 'sum', '30d', 'x', NOW), { rank: 1, score: 10 });
      // A later read on a later day sees the window roll.
      assert.deepEqual(await rankOf(store, 'sum', 'week', 'x', NOW + 3 * DAY), { rank: 2, score: 4 });
    });

    it('serves the previous window for trends', async () => {
      await increment(store, 'prev', 'old', 5, NOW - DAY);
      await increment(store, 'prev', 'steady', 2, NOW - DAY);
      await increment(store, 'prev', 'steady', 9, NOW);
      await increment(store, 'prev', 'lastHour', 1, NOW - HOUR);
      await increment(store, 'prev', 'rookie', 4, NOW);
      const prev = async (window: LeaderboardWindow, at = NOW) => previousOf(store, 'prev', window, at, ['old', 'steady', 'lastHour', 'rookie']);
      assert.deepEqual(
        (await prev('day')).map(([id]) => id),
        ['old', 'steady'],
      );
      assert.deepEqual(
        (await prev('hour')).map(([id]) => id),
        ['lastHour'],
      );
      assert.deepEqual(await prev('week'), []);
      assert.deepEqual(
        (await prev('week', NOW + 7 * DAY)).map(([id]) => id),
        ['steady', 'old', 'rookie', 'lastHour'],
      );
      // all-time as of 00:00 UTC today: today's scores are taken out, newcomers disappear.
      assert.deepEqual(await prev('all'), [
        ['old', 5],
        ['steady', 2],
      ]);
      const standings = await store.previousStandings('prev', 'day', ['steady', 'rookie', 'old'], NOW);
      assert.deepEqual(Object.fromEntries(standings), { old: { rank: 1, score: 5 }, steady: { rank: 2, score: 2 } });
    });

    it('keeps the latest display name per entity per leaderboard', async () => {
      await increment(store, 'names', 'a1', 1, NOW, 'Burna Boy');
      await increment(store, 'names', 'a2', 2, NOW);
      await increment(store, 'names', 'a1', 5, NOW, 'Burna Boy (live)');
      await increment(store, 'other', 'a1', 1, NOW, 'Someone else');
      assert.deepEqual(await store.top('names', 'day', 10, NOW), [
        { rank: 1, entityId: 'a1', name: 'Burna Boy (live)', score: 6 },
        { rank: 2, entityId: 'a2', name: null, score: 2 },
      ]);
      assert.equal((await store.around('names', 'all', 'a2', 1, NOW))[0].name, 'Burna Boy (live)');
      assert.equal((await store.top('other', 'day', 1, NOW))[0].name, 'Someone else');
    });

    it('keeps leaderboards apart, even with separator characters in their names', async () => {
      await increment(store, 'a:b', 'x', 1, NOW);
      await increment(store, 'a', 'x', 2, NOW);
      await increment(store, 'a}{b', 'x', 3, NOW);
      assert.deepEqual(await rankOf(store, 'a:b', 'all', 'x', NOW), { rank: 1, score: 1 });
      assert.deepEqual(await rankOf(store, 'a', 'all', 'x', NOW), { rank: 1, score: 2 });
      assert.deepEqual(await rankOf(store, 'a}{b', 'all', 'x', NOW), { rank: 1, score: 3 });
    });

    it('rejects invalid input with typed errors', async () => {
      await rejectsCode(increment(store, '', 'x', 1, NOW), 'LEADERBOARD_ID_INVALID');
      await rejectsCode(increment(store, 'has space', 'x', 1, NOW), 'LEADERBOARD_ID_INVALID');
      await rejectsCode(increment(store, 'b'.repeat(201), 'x', 1, NOW), 'LEADERBOARD_ID_INVALID');
      await rejectsCode(increment(store, 'leaderboard', 'tab\there', 1, NOW), 'LEADERBOARD_ENTITY_INVALID');
      await rejectsCode(increment(store, 'leaderboard', 'nul\u0000', 1, NOW), 'LEADERBOARD_ENTITY_INVALID');
      await rejectsCode(increment(store, 'leaderboard', 'lone\uD800', 1, NOW), 'LEADERBOARD_ENTITY_INVALID');
      await rejectsCode(increment(store, 'leaderboard', 'x', 0, NOW), 'LEADERBOARD_SCORE_INVALID');
      await rejectsCode(increment(store, 'leaderboard', 'x', -1, NOW), 'LEADERBOARD_SCORE_INVALID');
      await rejectsCode(increment(store, 'leaderboard', 'x', Number.NaN, NOW), 'LEADERBOARD_SCORE_INVALID');
      await rejectsCode(increment(store, 'leaderboard', 'x', 1, Number.NaN), 'LEADERBOARD_TIME_INVALID');
      await rejectsCode(increment(store, 'leaderboard', 'x', 1, NOW, 'bad\nname'), 'LEADERBOARD_NAME_INVALID');
      await rejectsCode(store.top('leaderboard', 'month' as never, 10, NOW), 'LEADERBOARD_WINDOW_INVALID');
      await rejectsCode(store.top('leaderboard', 'day', 0, NOW), 'LEADERBOARD_LIMIT_INVALID');
      await rejectsCode(store.top('leaderboard', 'day', 1001, NOW), 'LEADERBOARD_LIMIT_INVALID');
      await rejectsCode(store.around('leaderboard', 'day', 'x', 101, NOW), 'LEADERBOARD_LIMIT_INVALID');
      await rejectsCode(rankOf(store, 'leaderboard', 'day', '', NOW), 'LEADERBOARD_ENTITY_INVALID');
      await rejectsCode(
        store.previousStandings(
          'leaderboard',
          'day',
          Array.from({ length: 1001 }, (_, i) => `e${i}`),
          NOW,
        ),
        'LEADERBOARD_LIMIT_INVALID',
      );
      await rejectsCode(store.restore('leaderboard', 'd:2025-01-15', [], NOW), 'LEADERBOARD_BUCKET_INVALID');
      await rejectsCode(store.restore('leaderboard', 'all', [{ entityId: 'x', score: -2 }], NOW), 'LEADERBOARD_SCORE_INVALID');
      // A batch with one bad item writes nothing.
      await rejectsCode(
        store.incrementMany(
          [
            { leaderboard: 'batch', entityId: 'ok', by: 1 },
            { leaderboard: 'batch', entityId: 'bad id', by: 1 },
          ],
          NOW,
        ),
        'LEADERBOARD_ENTITY_INVALID',
      );
      assert.deepEqual(await store.top('batch', 'all', 10, NOW), []);
      assert.equal(await rankOf(store, 'k'.repeat(200), 'day', 'x', NOW), null, '200 characters is still a valid leaderboard');
    });

    it('restores absolute bucket scores, then keeps counting on top of them', async () => {
      const today = bucketIdFor('day', NOW);
      const yesterday = bucketIdFor('day', NOW - DAY);
      await increment(store, 'rs', 'live', 1, NOW);
      await store.restore(
        'rs',
        today,
        [
          { entityId: 'a', score: 40, name: 'Artist A' },
          { entityId: 'b', score: 25 },
          { entityId: 'live', score: 10 },
        ],
        NOW,
      );
      await store.restore('rs', yesterday, [{ entityId: 'a', score: 7 }], NOW);
      await store.restore(
        'rs',
        'all',
        [
          { entityId: 'a', score: 47 },
          { entityId: 'b', score: 25 },
        ],
        NOW,
      );
      await increment(store, 'rs', 'b', 20, NOW);
      assert.deepEqual(await store.top('rs', 'day', 10, NOW), [
        { rank: 1, entityId: 'b', name: null, score: 45 },
        { rank: 2, entityId: 'a', name: 'Artist A', score: 40 },
        { rank: 3, entityId: 'live', name: null, score: 10 },
      ]);
      assert.deepEqual(await rankOf(store, 'rs', 'week', 'a', NOW), { rank: 1, score: 47 });
      assert.deepEqual(await rankOf(store, 'rs', 'all', 'b', NOW), { rank: 2, score: 45 });
      assert.deepEqual(await store.previousStandings('rs', 'day', ['a', 'b'], NOW), new Map([['a', { rank: 1, score: 7 }]]));
      await store.restore('rs', today, [{ entityId: 'live', score: 0 }], NOW);
      assert.equal(await rankOf(store, 'rs', 'day', 'live', NOW), null);
      // Absolute means exact, even for fractions; buckets expired at nowMs are skipped.
      await increment(store, 'frac', 'f', 0.1, NOW);
      await store.restore('frac', today, [{ entityId: 'f', score: 0.3 }], NOW);
      assert.deepEqual(await rankOf(store, 'frac', 'day', 'f', NOW), { rank: 1, score: 0.3 });
      await store.restore('frac', bucketIdFor('day', NOW - 70 * DAY), [{ entityId: 'old', score: 3 }], NOW);
      assert.equal(await rankOf(store, 'frac', 'all', 'old', NOW), null);
    });

    it('applies incrementMany like the same increments one by one', async () => {
      const items = Array.from({ length: 500 }, (_, i) => ({
        leaderboard: i % 3 === 0 ? 'many-a' : 'many-b',
        entityId: `e${i % 37}`,
        by: 1 + (i % 5),
        name: `E${i % 37}`,
      }));
      await store.incrementMany(items, NOW);
      await store.incrementMany([], NOW);
      const expected = new Map<string, Map<string, number>>();
      for (const it of items) {
        const leaderboard = expected.get(it.leaderboard) ?? new Map<string, number>();
        leaderboard.set(it.entityId, (leaderboard.get(it.entityId) ?? 0) + it.by);
        expected.set(it.leaderboard, leaderboard);
      }
      for (const [leaderboard, scores] of expected) {
        const want = rankEntries([...scores].map(([entityId, score]) => ({ entityId, score, name: `E${entityId.slice(1)}` })));
        for (const window of ['hour', 'week', 'all'] as const)
          assert.deepEqual(await store.top(leaderboard, window, 1000, NOW), want, `${leaderboard} ${window}`);
      }
    });

    it('aggregated increments (one incrementMany per event hour, coalesced per key) give the same boards as per-event increments', async () => {
      // The feeder's path: events coalesced per (event hour, leaderboard, entity), written at the hour's start.
      const perEvent = factory();
      let seed = 17;
      const rnd = (n: number): number => Math.floor(((seed = (seed * 16807) % 2147483647) / 2147483647) * n);
      const events = Array.from({ length: 600 }, () => {
        const entity = rnd(25);
        const named = rnd(3) > 0;
        return {
          leaderboard: `agg${rnd(3)}`,
          entityId: `e${entity}`,
          by: 1 + rnd(4),
          at: NOW - rnd(3) * DAY - rnd(30) * HOUR,
          ...(named ? { name: `E${entity}${rnd(2) ? '' : '*'}` } : {}),
        };
      }).sort((x, y) => x.at - y.at); // arrival in time order, so "the last name given wins" means the same in both
      try {
        const hours = new Map<number, Map<string, LeaderboardIncrement>>();
        for (const { at, ...item } of events) {
          await increment(perEvent, item.leaderboard, item.entityId, item.by, at, item.name);
          const hour = Math.floor(at / HOUR) * HOUR;
          const pending = hours.get(hour) ?? new Map<string, LeaderboardIncrement>();
          hours.set(hour, pending);
          const key = `${item.leaderboard}|${item.entityId}`;
          const have = pending.get(key);
          if (!have) pending.set(key, { ...item });
          else {
            have.by += item.by;
            if (item.name !== undefined) have.name = item.name;
          }
        }
        for (const [hour, pending] of [...hours].sort((x, y) => x[0] - y[0])) await store.incrementMany([...pending.values()], hour);
        for (const leaderboard of ['agg0', 'agg1', 'agg2']) {
          for (const window of LEADERBOARD_WINDOWS) {
            for (const t of [NOW, NOW - 5 * HOUR, NOW - DAY]) {
              const what = `${leaderboard} ${window} at NOW−${(NOW - t) / HOUR} h`;
              assert.deepEqual(await store.top(leaderboard, window, 100, t), await perEvent.top(leaderboard, window, 100, t), what);
              const entities = Array.from({ length: 25 }, (_, i) => `e${i}`);
              assert.deepEqual(
                await previousOf(store, leaderboard, window, t, entities),
                await previousOf(perEvent, leaderboard, window, t, entities),
                `previous ${what}`,
              );
              assert.deepEqual(await store.around(leaderboard, window, 'e3', 2, t), await perEvent.around(leaderboard, window, 'e3', 2, t), `around ${what}`);
            }
          }
        }
        assert.ok((await store.top('agg0', 'all', 100, NOW)).length > 10, 'the workload fills the boards');
      } finally {
        await perEvent.close();
      }
    });

    it('writes an increment to the buckets of its groups only: hour, day and all-time, or all three; the split amounts add up to one whole increment', async () => {
      await store.incrementMany(
        [
          { leaderboard: 'groups', entityId: 'hour-only', by: 2, groups: HOUR_GROUP },
          { leaderboard: 'groups', entityId: 'day-only', by: 3, groups: DAY_GROUP },
          { leaderboard: 'groups', entityId: 'every', by: 4, groups: EVERY_GROUP },
          { leaderboard: 'groups', entityId: 'split', by: 5, groups: HOUR_GROUP, name: 'Split' },
          { leaderboard: 'groups', entityId: 'split', by: 5, groups: DAY_GROUP },
          { leaderboard: 'whole', entityId: 'split', by: 5 },
        ],
        NOW,
      );
      const scores = async (leaderboard: string, window: LeaderboardWindow) =>
        Object.fromEntries((await store.top(leaderboard, window, 10, NOW)).map((e) => [e.entityId, e.score]));
      assert.deepEqual(await scores('groups', 'hour'), { 'hour-only': 2, every: 4, split: 5 });
      for (const window of ['day', 'week', '30d', 'all'] as const)
        assert.deepEqual(await scores('groups', window), { 'day-only': 3, every: 4, split: 5 }, window);
      // Written in two groups or at once, an amount shows the same in every window and previous window.
      for (const window of LEADERBOARD_WINDOWS) {
        assert.deepEqual(
          await rankOf(store, 'groups', window, 'split', NOW).then((r) => r?.score),
          await rankOf(store, 'whole', window, 'split', NOW).then((r) => r?.score),
          window,
        );
        assert.deepEqual(
          (await store.previousStandings('groups', window, ['split'], NOW + DAY)).get('split')?.score,
          (await store.previousStandings('whole', window, ['split'], NOW + DAY)).get('split')?.score,
          `previous ${window}`,
        );
      }
      assert.equal((await store.top('groups', 'hour', 10, NOW)).find((e) => e.entityId === 'split')?.name, 'Split');
      await rejectsCode(store.incrementMany([{ leaderboard: 'groups', entityId: 'x', by: 1, groups: 4 as never }], NOW), 'LEADERBOARD_BUCKET_INVALID');
      await rejectsCode(store.incrementMany([{ leaderboard: 'groups', entityId: 'x', by: 1, groups: 0 as never }], NOW), 'LEADERBOARD_BUCKET_INVALID');
      assert.deepEqual(await scores('groups', 'all'), { 'day-only': 3, every: 4, split: 5 }, 'a refused batch wrote nothing');
    });

    it('resets one leaderboard in every window, returns the live buckets it removed, and counts again from zero', async () => {
      await increment(store, 'reset-me', 'a', 3, NOW, 'Artist A');
      await increment(store, 'reset-me', 'b', 2, NOW - 2 * HOUR);
      await increment(store, 'reset-me', 'c', 5, NOW - 8 * DAY);
      await increment(store, 'reset-me', 'gone', 1, NOW - 4 * HOUR); // its hour bucket expired at NOW − 1 h
      await increment(store, 'keep', 'k', 9, NOW);
      const removed = await store.reset('reset-me', NOW);
      const byBucket = Object.fromEntries(removed.buckets.map((b) => [b.bucketId, Object.fromEntries(b.scores.map((s) => [s.entityId, s.score]))]));
      assert.deepEqual(byBucket, {
        all: { a: 3, b: 2, c: 5, gone: 1 },
        [bucketIdFor('day', NOW)]: { a: 3, b: 2, gone: 1 },
        [bucketIdFor('day', NOW - 8 * DAY)]: { c: 5 },
        [bucketIdFor('hour', NOW)]: { a: 3 },
        [bucketIdFor('hour', NOW - 2 * HOUR)]: { b: 2 },
      });
      assert.equal(removed.entries, 10);
      for (const window of LEADERBOARD_WINDOWS) {
        assert.deepEqual(await store.top('reset-me', window, 10, NOW), [], window);
        assert.deepEqual(await previousOf(store, 'reset-me', window, NOW + DAY, ['a', 'b', 'c', 'gone']), [], `previous ${window}`);
      }
      assert.equal(await rankOf(store, 'reset-me', 'all', 'c', NOW), null);
      assert.deepEqual(await store.top('keep', 'day', 10, NOW), [{ rank: 1, entityId: 'k', name: null, score: 9 }]);
      // Counting starts again from zero, display names included.
      await increment(store, 'reset-me', 'b', 1, NOW);
      assert.deepEqual(await store.top('reset-me', 'all', 10, NOW), [{ rank: 1, entityId: 'b', name: null, score: 1 }]);
      assert.deepEqual(await store.top('reset-me', 'week', 10, NOW), [{ rank: 1, entityId: 'b', name: null, score: 1 }]);
      assert.deepEqual(await store.reset('never-written', NOW), { buckets: [], entries: 0 });
      await rejectsCode(store.reset('bad id', NOW), 'LEADERBOARD_ID_INVALID');
      await rejectsCode(store.reset('ok', Number.NaN), 'LEADERBOARD_TIME_INVALID');
    });

    it('lists the leaderboards that hold scores, in code point order, up to a limit', async () => {
      assert.deepEqual(await store.leaderboardIds(10), []);
      for (const name of ['votes.ev{1}*', 'artists.visits', 'Zeta', 'kpi.totals']) await increment(store, name, 'x', 1, NOW);
      await store.restore('restored.only', bucketIdFor('day', NOW), [{ entityId: 'y', score: 2 }], NOW);
      assert.deepEqual(await store.leaderboardIds(10), ['Zeta', 'artists.visits', 'kpi.totals', 'restored.only', 'votes.ev{1}*']);
      assert.deepEqual(await store.leaderboardIds(2), ['Zeta', 'artists.visits']);
      await store.reset('Zeta', NOW);
      assert.deepEqual(await store.leaderboardIds(1), ['artists.visits']);
      await rejectsCode(store.leaderboardIds(0), 'LEADERBOARD_LIMIT_INVALID');
      await rejectsCode(store.leaderboardIds(1001), 'LEADERBOARD_LIMIT_INVALID');
    });
  });
}

describe('leaderboard stores', () => {
  before(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });
  after(async () => {
    await deleteKeysWithPrefix(redis, RUN_PREFIX);
    await redis.quit();
  });

  describeLeaderboardStore('local', () => new LocalLeaderboardStore());
  describeLeaderboardStore('redis', () => new RedisLeaderboardStore({ redis, prefix: `${RUN_PREFIX}${++prefixCounter}:`, unionCacheMs: 0 }));
  describeLeaderboardStore('redis (cached unions)', () => new RedisLeaderboardStore({ redis, prefix: `${RUN_PREFIX}${++prefixCounter}:`, unionCacheMs: 1000 }));

  describe('local store specifics', () => {
    it('prunes expired buckets and rolled views to bound memory', async () => {
      const store = new LocalLeaderboardStore();
      for (let d = 0; d < 90; d++) await increment(store, 'mem', 'x', 1, NOW - d * DAY);
      await store.top('mem', '30d', 10, NOW - 60 * DAY);
      const before = store.stats();
      assert.equal(before.buckets, 90 * 2 + 1);
      store.prune(NOW);
      const after = store.stats();
      // 61 day buckets survive (d−60…d), hour buckets only from the last 3 h (here: today's one), plus all.
      assert.equal(after.buckets, 61 + 1 + 1);
      assert.equal(after.views, 0);
      assert.deepEqual(await rankOf(store, 'mem', 'all', 'x', NOW), { rank: 1, score: 90 });
      assert.deepEqual(await rankOf(store, 'mem', '30d', 'x', NOW), { rank: 1, score: 30 });
    });

    it('prunes automatically when increments enter a new hour', async () => {
      const store = new LocalLeaderboardStore();
      await increment(store, 'auto', 'x', 1, NOW - 100 * DAY);
      await increment(store, 'auto', 'x', 1, NOW);
      assert.equal(store.stats().buckets, 3);
    });

    it('keeps the ranked set in leaderboard order after bulk load and random updates', () => {
      let seed = 42;
      const rnd = (n: number): number => Math.floor(((seed = (seed * 16807) % 2147483647) / 2147483647) * n);
      // Start from a bulk-loaded set, then mix single inserts and removals.
      const scores = new Map<string, number>(Array.from({ length: 200 }, (_, i) => [`k${i * 2}`, rnd(30)]));
      const initial = [...scores].map(([entityId, score]) => ({ entityId, score })).sort(compareEntries);
      const set = new RankedSet(initial.map((e) => ({ id: e.entityId, score: e.score })));
      for (let step = 0; step < 5000; step++) {
        const id = `k${rnd(400)}`;
        const old = scores.get(id);
        if (old !== undefined) set.remove(id, old);
        if (rnd(5) === 0) scores.delete(id);
        else {
          const score = rnd(30);
          scores.set(id, score);
          set.insert(id, score);
        }
        if (step % 500 === 0 || step === 4999) {
          const want = [...scores].map(([entityId, score]) => ({ entityId, score })).sort(compareEntries);
          assert.equal(set.size, want.length);
          assert.deepEqual(
            set.slice(0, want.length).map((e) => e.id),
            want.map((e) => e.entityId),
          );
          want.forEach((e, i) => assert.equal(set.rankOf(e.entityId, e.score), i + 1));
          assert.deepEqual(
            set.slice(17, 5).map((e) => e.id),
            want.slice(17, 22).map((e) => e.entityId),
          );
        }
      }
    });
  });

  describe('redis store specifics', () => {
    let prefix: string;
    beforeEach(() => {
      prefix = `${RUN_PREFIX}${++prefixCounter}:`;
    });

    it('stores negated scores in bucket keys that expire with their bucket', async () => {
      const store = new RedisLeaderboardStore({ redis, prefix, unionCacheMs: 1000 });
      await increment(store, 'ttl', 'x', 2, Date.now());
      const keys = (await redis.keys(`${prefix}*`)).sort();
      assert.equal(keys.length, 3);
      const byKind = Object.fromEntries(keys.map((k) => [k.split(':b:')[1]?.[0] ?? '?', k]));
      assert.equal(await redis.zscore(byKind.a, 'x'), '-2');
      assert.equal(await redis.pttl(byKind.a), -1); // all-time never expires
      const hourTtl = await redis.pttl(byKind.h);
      assert.ok(hourTtl > 2 * HOUR && hourTtl <= 3 * HOUR, String(hourTtl));
      const dayTtl = await redis.pttl(byKind.d);
      assert.ok(dayTtl > 60 * DAY && dayTtl <= 61 * DAY, String(dayTtl));
    });

    it('after a reset, the next increment sets the expiry of the recreated buckets and the names again', async () => {
      const store = new RedisLeaderboardStore({ redis, prefix, unionCacheMs: 1000 });
      const now = Date.now();
      await increment(store, 'again', 'x', 2, now, 'Artist X');
      await store.reset('again', now);
      await increment(store, 'again', 'x', 1, now, 'Artist X');
      const hour = (await redis.keys(`${prefix}*:b:h*`))[0];
      const hourTtl = await redis.pttl(hour);
      assert.ok(hourTtl > 2 * HOUR && hourTtl <= 3 * HOUR, `the recreated hour bucket expires (pttl ${hourTtl})`);
      assert.deepEqual(await store.top('again', 'all', 1, now), [{ rank: 1, entityId: 'x', name: 'Artist X', score: 1 }]);
    });

    it('caches a multi-bucket union for unionCacheMs so spectators share one computation', async () => {
      const store = new RedisLeaderboardStore({ redis, prefix, unionCacheMs: 300 });
      await increment(store, 'cache', 'x', 1, NOW);
      assert.equal((await store.top('cache', 'week', 1, NOW))[0].score, 1);
      await increment(store, 'cache', 'x', 1, NOW);
      assert.equal((await store.top('cache', 'week', 1, NOW))[0].score, 1, 'served from the cached union');
      assert.equal((await store.top('cache', 'day', 1, NOW))[0].score, 2, 'single-bucket windows are read in place');
      await new Promise((r) => setTimeout(r, 350));
      assert.equal((await store.top('cache', 'week', 1, NOW))[0].score, 2);
    });

    it('a repeated flush is ZINCRBYs in one MULTI/EXEC per leaderboard (its slot): PEXPIRE once per bucket key, HSET only for new or changed names', async () => {
      // A Redis of its own: MONITOR sees every client of a server, and ioredis takes another client's command
      // that arrives with MONITOR's "OK" for a reply ("Command queue state error"). Its one node holds every slot.
      const own = await startClusterModeRedis();
      const client = new Redis(own.url, { maxRetriesPerRequest: 1 });
      const monitor = await client.monitor();
      try {
        const addr = /addr=(\S+)/.exec(String(await client.client('INFO')))![1];
        const seen: string[][] = [];
        monitor.on('monitor', (_time: string, args: string[], source: string) => void (source === addr && seen.push(args)));
        const store = new RedisLeaderboardStore({ redis: client, prefix, unionCacheMs: 1000 });
        const flush = (names: string[]) =>
          store.incrementMany(
            names.map((name, i) => ({ leaderboard: `cmd${i % 2}`, entityId: `e${i}`, by: 1, name })),
            NOW,
          );
        const commands = async (run: () => Promise<void>): Promise<string[]> => {
          await run();
          await client.ping();
          await new Promise((r) => setTimeout(r, 50)); // MONITOR lines trail the replies
          const out = seen
            .splice(0)
            .map((args) => args[0].toLowerCase())
            .filter((c) => c !== 'ping');
          return out.sort();
        };
        const count = (list: string[], command: string) => list.filter((c) => c === command).length;
        const first = await commands(() => flush(['A', 'B', 'C']));
        // 3 entities over 2 leaderboards × 3 buckets; hour and day buckets expire (2 × 2 PEXPIRE); one HSET per leaderboard.
        assert.deepEqual(
          [count(first, 'zincrby'), count(first, 'pexpire'), count(first, 'hset'), count(first, 'multi'), count(first, 'exec')],
          [9, 4, 2, 2, 2],
          first.join(' '),
        );
        const again = await commands(() => flush(['A', 'B', 'C']));
        assert.deepEqual(
          again,
          ['exec', 'exec', 'multi', 'multi', ...Array(9).fill('zincrby')],
          'same keys, same names: nothing but the increments, atomically',
        );
        const renamed = await commands(() => flush(['A', 'B2', 'C']));
        assert.deepEqual([count(renamed, 'zincrby'), count(renamed, 'hset'), renamed.length], [9, 1, 14], 'one HSET for the renamed entity');
        assert.deepEqual(await client.hgetall(`${prefix}lb:{cmd1}:names`), { e1: 'B2' });
        assert.deepEqual(
          (await store.top('cmd0', 'day', 10, NOW)).map((e) => [e.entityId, e.name, e.score]),
          [
            ['e0', 'A', 3],
            ['e2', 'C', 3],
          ],
        );
      } finally {
        monitor.disconnect();
        client.disconnect();
        await own.stop();
      }
    });

    it('reloads its script after SCRIPT FLUSH', async () => {
      const store = new RedisLeaderboardStore({ redis, prefix, unionCacheMs: 1000 });
      await increment(store, 'flush', 'x', 1, NOW);
      await redis.script('FLUSH');
      assert.deepEqual(await rankOf(store, 'flush', '30d', 'x', NOW), { rank: 1, score: 1 });
    });
  });

  describe('local and redis agree', () => {
    it('on a random workload, for every window and its previous window', async () => {
      const local = new LocalLeaderboardStore();
      const remote = new RedisLeaderboardStore({ redis, prefix: `${RUN_PREFIX}${++prefixCounter}:`, unionCacheMs: 0 });
      let seed = 9;
      const rnd = (n: number): number => Math.floor(((seed = (seed * 16807) % 2147483647) / 2147483647) * n);
      for (let batch = 0; batch < 40; batch++) {
        const at = NOW - rnd(45) * DAY - rnd(24) * HOUR;
        const items = Array.from({ length: 25 }, () => ({ leaderboard: `eq${rnd(2)}`, entityId: `id-${rnd(60)}`, by: 1 + rnd(3) }));
        await local.incrementMany(items, at);
        await remote.incrementMany(items, at);
      }
      for (const leaderboard of ['eq0', 'eq1']) {
        for (const window of LEADERBOARD_WINDOWS) {
          for (const t of [NOW, NOW - 3 * HOUR, NOW - 10 * DAY]) {
            assert.deepEqual(await remote.top(leaderboard, window, 100, t), await local.top(leaderboard, window, 100, t), `${leaderboard} ${window} ${t}`);
            const entities = Array.from({ length: 60 }, (_, i) => `id-${i}`);
            assert.deepEqual(
              await previousOf(remote, leaderboard, window, t, entities),
              await previousOf(local, leaderboard, window, t, entities),
              `prev ${leaderboard} ${window}`,
            );
            assert.deepEqual(await remote.around(leaderboard, window, 'id-7', 3, t), await local.around(leaderboard, window, 'id-7', 3, t));
          }
        }
      }
      await local.close();
      await remote.close();
    });
  });
});
