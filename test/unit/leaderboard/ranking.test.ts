import assert from 'node:assert/strict';
import { compareEntries, compareIds, type LeaderboardEntry } from '../../../systems/leaderboard/windows.js';
import { growthPercent, trendingRows, withTrends } from '../../../systems/leaderboard/leaderboards.js';

/** Leaderboard order (compareEntries) with unique 1-based ranks, as the stores answer. */
const rankEntries = (items: ReadonlyArray<{ entityId: string; score: number; name?: string | null }>, firstRank = 1): LeaderboardEntry[] =>
  [...items].sort(compareEntries).map((item, i) => ({ rank: firstRank + i, entityId: item.entityId, name: item.name ?? null, score: item.score }));

const utf8Order = (ids: string[]): string[] => [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('leaderboard ranking', () => {
  it('orders ids by code point, which is UTF-8 byte order (Redis member order)', () => {
    const ids = ['zed', 'alpha', 'Beta', 'beta', 'émile', '\uFFEFy', '😀x', 'a', 'a0', 'ab', '\uE000', '𝔸'];
    assert.deepEqual([...ids].sort(compareIds), utf8Order(ids));
    // Plain UTF-16 order would put the emoji (surrogate pair) before U+FFEF.
    assert.equal(compareIds('😀', '\uFFEF'), 1);
    assert.equal(compareIds('same', 'same'), 0);
  });

  it('agrees with UTF-8 byte order on random strings', () => {
    const alphabet = ['a', 'B', '0', 'é', '\uD7FF', '\uE000', '\uFFFD', '😀', '𝔸', '-'];
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const ids = Array.from({ length: 300 }, () =>
      Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(''),
    );
    assert.deepEqual([...ids].sort(compareIds), utf8Order(ids));
  });

  it('ranks by score descending, then entity id ascending, with unique 1-based ranks', () => {
    const ranked = rankEntries([
      { entityId: 'c', score: 5 },
      { entityId: 'b', score: 7, name: 'Bee' },
      { entityId: 'a', score: 5 },
      { entityId: 'd', score: 1 },
    ]);
    assert.deepEqual(ranked, [
      { rank: 1, entityId: 'b', name: 'Bee', score: 7 },
      { rank: 2, entityId: 'a', name: null, score: 5 },
      { rank: 3, entityId: 'c', name: null, score: 5 },
      { rank: 4, entityId: 'd', name: null, score: 1 },
    ]);
    assert.ok(compareEntries({ entityId: 'z', score: 2 }, { entityId: 'a', score: 1 }) < 0);
  });

  it('computes growth with the seed lift formula and a base of 1 when the previous value is 0', () => {
    assert.equal(growthPercent(28.4, 25), ((28.4 - 25) / 25) * 100); // seed step 17: +13.6 %
    assert.equal(Math.round(growthPercent(28.4, 25) * 10) / 10, 13.6);
    assert.equal(growthPercent(150, 100), 50);
    assert.equal(growthPercent(50, 100), -50);
    assert.equal(growthPercent(5, 0), 500);
    assert.equal(growthPercent(0, 0), 0);
    assert.equal(growthPercent(0, 10), -100);
  });

  it('adds previous rank, trend, change and changePercent', () => {
    const current: LeaderboardEntry[] = rankEntries([
      { entityId: 'up', score: 30 },
      { entityId: 'stable', score: 20 },
      { entityId: 'down', score: 10 },
      { entityId: 'fresh', score: 5 },
    ]);
    const previous = new Map([
      ['up', { rank: 3, score: 10 }],
      ['stable', { rank: 2, score: 20 }],
      ['down', { rank: 1 }],
    ]);
    const trended = withTrends(current, previous);
    assert.deepEqual(
      trended.map((t) => [t.entityId, t.rank, t.previousRank, t.trend, t.change, t.changePercent]),
      [
        ['up', 1, 3, 'up', 2, 200],
        ['stable', 2, 2, 'stable', 0, 0],
        ['down', 3, 1, 'down', -2, 0], // no previous score given → 0
        ['fresh', 4, null, 'new', 0, 0],
      ],
    );
    assert.deepEqual(
      withTrends(current, new Map()).map((t) => t.trend),
      ['new', 'new', 'new', 'new'],
    );
  });

  it('ranks trending entities by growth, dropping those under minCount', () => {
    const trending = trendingRows(
      [
        { entityId: 'steady', score: 1000 },
        { entityId: 'rising', score: 300 },
        { entityId: 'newcomer', score: 40 },
        { entityId: 'blip', score: 1 },
        { entityId: 'twin', score: 300 },
      ],
      new Map([
        ['steady', { rank: 1, score: 900 }],
        ['rising', { rank: 2, score: 100 }],
        ['twin', { rank: 3, score: 100 }],
      ]),
      { minCount: 10, limit: 4 },
    );
    assert.deepEqual(
      trending.map((t) => [t.rank, t.entityId, t.changePercent]),
      [
        [1, 'newcomer', 4000],
        [2, 'rising', 200],
        [3, 'twin', 200],
        [4, 'steady', (100 / 900) * 100],
      ],
    );
    assert.equal(trending[0].change, 40);
  });
});
