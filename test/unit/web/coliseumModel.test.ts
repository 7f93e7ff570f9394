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
      { rank: 2, previousRank: null, entityId: 'x', name: 'X', score: 3, trend: null, change: null, changePercent: null, image: null },
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
      name: 'Wizkid', // the room sends '' when the catalog has no name: words, never the raw id
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

  it('names an entity the catalog does not know in words, never its raw id: artist_fela on the revenue board is "Fela"', () => {
    const view = normalizeColiseum({
      leaderboards: [
        {
          id: 'revenue.usd',
          entries: [
            { entityId: 'artist_fela', name: '', score: 6499 },
            { entityId: 'artist_fela_kuti', score: 100 },
          ],
        },
      ],
    });
    assert.deepEqual(
      view.leaderboards[0].entries.map((e) => e.name),
      ['Fela', 'Fela Kuti'],
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

describe('coliseum: a not-yet-comparable leaderboard', () => {
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
  it('hides "Trending" while every entry is new (no earlier window), shows it once growth exists', async () => {
    const { lacksPreviousWindow } = await import('../../../web/src/coliseum/model.js');
    assert.equal(lacksPreviousWindow({ id: 'artists.trending', title: 'Trending', entries: [entry('a', 'new'), entry('b', 'new')] } as never), true);
    assert.equal(lacksPreviousWindow({ id: 'artists.trending', title: 'Trending', entries: [entry('a', 'up'), entry('b', 'new')] } as never), false);
    assert.equal(lacksPreviousWindow({ id: 'artists.visits', title: 'Most explored', entries: [entry('a', 'new')] } as never), false);
  });
});

describe('coliseum: the tiles a screen shows', () => {
  const tile = (id: string, value: number | string | null) => ({ id, label: id, value, changePercent: null, unit: '' });
  it('leaves out a figure with no data (0, $0.00 in cents, n/a) and shows six at most, the live figures first', async () => {
    const { screenTiles, MAX_TILES } = await import('../../../web/src/coliseum/model.js');
    const all = [
      tile('spectators', 2),
      tile('activeSessions', 105),
      tile('eventsPerMin', 940.5),
      tile('sessionsToday', 300),
      tile('visitsToday', 3004),
      tile('capturesToday', 651),
      tile('transitionsToday', 311),
      tile('votesToday', 0),
      tile('playsToday', 0),
      tile('attendanceToday', null),
      tile('revenueToday', 0),
    ];
    const shown = screenTiles(all).map((t) => t.id);
    assert.equal(MAX_TILES, 6);
    assert.deepEqual(shown, ['activeSessions', 'eventsPerMin', 'capturesToday', 'visitsToday', 'sessionsToday', 'transitionsToday']);
    assert.deepEqual(
      screenTiles([tile('revenueToday', 6499), tile('votesToday', 2), tile('activeSessions', 0)]).map((t) => t.id),
      ['votesToday', 'revenueToday'],
      'a quiet venue shows what it has, nothing at zero',
    );
  });
});
