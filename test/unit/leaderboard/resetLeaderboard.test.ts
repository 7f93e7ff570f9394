import assert from 'node:assert/strict';
import type { LeaderboardStore } from '../../../systems/leaderboard/windows.js';
import { LocalLeaderboardStore } from '../../../persistence/leaderboard/LocalLeaderboardStore.js';
import { resetLeaderboard, resetTarget } from '../../../features/leaderboard/boards.js';

/** One increment (hour, day and all-time buckets) through the store's batch call. */
const increment = (store: Pick<LeaderboardStore, 'incrementMany'>, leaderboard: string, entityId: string, by: number, nowMs: number, name?: string) =>
  store.incrementMany([{ leaderboard, entityId, by, ...(name === undefined ? {} : { name }) }], nowMs);

const NOW = Date.parse('2025-01-15T12:30:00.000Z');
const DAY = 86_400_000;

describe('resetLeaderboard (features/leaderboard/boards.ts)', () => {
  it('puts the removed scores back and fails when the durable record cannot be written', async () => {
    const store = new LocalLeaderboardStore();
    await increment(store, 'artists.visits', 'a', 3, NOW);
    await increment(store, 'artists.visits', 'b', 2, NOW - 2 * DAY);
    let poked = 0;
    const failing = { record: async () => Promise.reject(new Error('database down')) };
    await assert.rejects(resetLeaderboard({ store, record: failing, onReset: () => poked++ }, 'artists.visits', NOW), /database down/);
    assert.deepEqual(
      (await store.top('artists.visits', 'all', 10, NOW)).map((e) => [e.entityId, e.score]),
      [
        ['a', 3],
        ['b', 2],
      ],
    );
    assert.deepEqual(
      (await store.top('artists.visits', 'day', 10, NOW)).map((e) => [e.entityId, e.score]),
      [['a', 3]],
    );
    assert.equal(poked, 0);

    const recorded: number[] = [];
    const ok = {
      record: async (leaderboard: string, at: number, removed: { entries: number }) => (
        recorded.push(removed.entries),
        { id: '1', leaderboard, resetAt: new Date(at).toISOString(), entries: removed.entries }
      ),
    };
    const done = await resetLeaderboard({ store, record: ok, onReset: () => poked++ }, 'artists.visits', NOW);
    assert.deepEqual([done.entries, done.buckets, poked, recorded], [5, 4, 1, [5]]);
    assert.deepEqual(await store.top('artists.visits', 'all', 10, NOW), []);
  });

  it('names what can be reset: counter boards; trending boards point at their base; unknown and empty dynamic boards are not boards', async () => {
    const store = new LocalLeaderboardStore();
    await increment(store, 'votes.ev1', 'opt', 1, NOW);
    assert.equal(((await resetTarget(store, 'artists.plays', NOW)) as { name: string }).name, 'artists.plays');
    assert.equal(((await resetTarget(store, 'votes.ev1', NOW)) as { name: string }).name, 'votes.ev1');
    assert.deepEqual(await resetTarget(store, 'tracks.trending', NOW), {
      reason: 'derived',
      base: 'tracks.plays',
      message: '"tracks.trending" ranks the growth of tracks.plays: reset tracks.plays instead',
    });
    assert.equal(((await resetTarget(store, 'votes.ev2', NOW)) as { reason: string }).reason, 'unknown');
    assert.equal(((await resetTarget(store, 'kpi.totals', NOW)) as { reason: string }).reason, 'unknown');
  });
});
