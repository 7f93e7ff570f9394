import assert from 'node:assert/strict';
import { entryChange, humanize, normalizeColiseum } from '../../../web/src/coliseum/model.js';

describe('web/coliseum model: defensive state reading', () => {
  it('reads leaderboards (map) with entries (array) and KPI tiles (map), sorted by rank', () => {
    const view = normalizeColiseum({
      window: 'day',
      leaderboards: {
        top_artists: {
          title: 'Top artists',
          entries: [
            { rank: 2, previousRank: 1, entityId: 'b', name: 'Burna Boy', score: 5, trend: 'down', change: -1, changePercent: 25 },
            { rank: 1, previousRank: 0, entityId: 'a', name: 'Wizkid', score: 7, trend: 'new', change: 0, changePercent: 0 },
          ],
        },
      },
      kpis: { plays: { label: 'Plays', value: 12450, changePercent: 2.3 } },
    });
    assert.equal(view.window, 'day');
    assert.deepEqual(
      view.leaderboards.map((b) => [b.id, b.title, b.entries.map((e) => e.entityId)]),
      [['top_artists', 'Top artists', ['a', 'b']]],
    );
    assert.equal(view.leaderboards[0].entries[0].previousRank, null, 'previousRank 0 means "not ranked before"');
    assert.deepEqual(view.kpis, [{ id: 'plays', label: 'Plays', value: 12450, changePercent: 2.3, unit: '' }]);
  });

  it('renders what exists when fields are missing, and accepts arrays, maps and bare numbers', () => {
    const view = normalizeColiseum({
      leaderboards: [{ id: 'stations', entries: [{ name: 'no id' }, { entityId: 'x', score: '3' }] }],
      tiles: { activeListeners: 4, broken: 'n/a-text' },
    });
    assert.equal(view.leaderboards[0].title, 'Stations');
    // No rank: its position in the collection; no id: dropped.
    assert.deepEqual(view.leaderboards[0].entries, [
      { rank: 2, previousRank: null, entityId: 'x', name: 'x', score: 3, trend: null, change: null, changePercent: null, image: null },
    ]);
    assert.deepEqual(view.kpis, [{ id: 'activeListeners', label: 'Active listeners', value: 4, changePercent: null, unit: '' }]);
  });

  it('reads the ColiseumState schema shape: rows, leaderboard names, KPI growth from `previous`', () => {
    const view = normalizeColiseum({
      window: 'week',
      leaderboards: {
        top_artists: {
          leaderboard: 'top_artists',
          title: 'Top artists',
          window: 'week',
          updatedAt: 1,
          rows: [
            {
              rank: 1,
              previousRank: 3,
              entityId: 'artist_wizkid',
              name: '',
              score: 12,
              trend: 'up',
              change: 2,
              changePercent: 50,
              image: '/api/artists/artist_wizkid/image/thumbnail',
            },
            {
              rank: 2,
              previousRank: 0,
              entityId: 'artist_sade',
              name: 'Sade',
              score: 9,
              trend: 'new',
              change: 0,
              changePercent: 0,
              image: 'https://elsewhere.example/x.png',
            },
          ],
        },
      },
      kpis: { plays: { label: 'Plays', unit: '', value: 12450, previous: 12170 }, fresh: { label: 'New', unit: '%', value: 3, previous: -1 } },
    });
    assert.deepEqual(view.leaderboards[0].entries[0], {
      rank: 1,
      previousRank: 3,
      entityId: 'artist_wizkid',
      name: 'artist_wizkid',
      score: 12,
      trend: 'up',
      change: 2,
      changePercent: 50,
      image: '/api/artists/artist_wizkid/image/thumbnail',
    });
    assert.equal(view.leaderboards[0].entries[1].image, null, 'a picture from elsewhere is not drawn: a screen on a wall fetches only from its server');
    assert.deepEqual(
      view.kpis.map((k) => [k.id, k.changePercent, k.unit]),
      [
        ['plays', 2.3, ''],
        ['fresh', null, '%'],
      ],
    );
  });

  it('returns empty views for garbage', () => {
    for (const raw of [null, 3, 'x', [], { leaderboards: 5, kpis: null }])
      assert.deepEqual(normalizeColiseum(raw), { window: null, leaderboards: [], kpis: [] });
  });

  it('classifies entry changes for the animations', () => {
    const e = { rank: 2, previousRank: null, entityId: 'a', name: 'a', score: 5, trend: null, change: null, changePercent: null, image: null };
    assert.equal(entryChange(undefined, e), 'new');
    assert.equal(entryChange({ ...e, rank: 3 }, e), 'rank_up');
    assert.equal(entryChange({ ...e, rank: 1 }, e), 'rank_down');
    assert.equal(entryChange({ ...e, score: 4 }, e), 'score');
    assert.equal(entryChange(e, e), 'none');
    assert.equal(humanize('top_artists.30d'), 'Top artists 30d');
  });
});

describe('coliseum: what an empty or not-yet-comparable leaderboard says', () => {
  const entry = (entityId: string, trend: 'new' | 'up' | null) => ({
    rank: 1,
    entityId,
    name: entityId,
    score: 3,
    trend,
    change: null,
    changePercent: null,
    previousRank: null,
  });
  it('explains an empty "Top cities" instead of showing an empty box', async () => {
    const { leaderboardNote } = await import('../../../web/src/coliseum/model.js');
    assert.match(leaderboardNote({ id: 'cities.engagement', title: 'Top cities', entries: [] } as never) ?? '', /city comes from/);
    assert.equal(leaderboardNote({ id: 'artists.visits', title: 'Most explored', entries: [] } as never), 'No entries in this window yet.');
  });
  it('hides "Trending" while every entry is new (no earlier window), shows it once growth exists', async () => {
    const { leaderboardNote, lacksPreviousWindow } = await import('../../../web/src/coliseum/model.js');
    assert.equal(lacksPreviousWindow({ id: 'artists.trending', title: 'Trending', entries: [entry('a', 'new'), entry('b', 'new')] } as never), true);
    assert.equal(lacksPreviousWindow({ id: 'artists.trending', title: 'Trending', entries: [entry('a', 'up'), entry('b', 'new')] } as never), false);
    assert.equal(lacksPreviousWindow({ id: 'artists.visits', title: 'Most explored', entries: [entry('a', 'new')] } as never), false);
    assert.equal(leaderboardNote({ id: 'artists.trending', title: 'Trending', entries: [entry('a', 'new')] } as never), null);
  });
});
