import assert from 'node:assert/strict';
import { shownTrends, type LeaderboardView } from '../../../web/src/coliseum/model.js';
import { fittedFontPx } from '../../../web/src/shared/fit.js';
import { starsWord } from '../../../web/src/play/captureMoment.js';

const entry = (rank: number, trend: LeaderboardView['entries'][number]['trend']) => ({
  rank,
  previousRank: null,
  entityId: `e${rank}`,
  name: `E${rank}`,
  score: 10 - rank,
  trend,
  change: null,
  changePercent: null,
  image: null,
});

describe('web: trends shown, figures fitted, stars counted', () => {
  it('a board whose every entry is new (nothing earlier to compare) shows no marks; a mixed board keeps its "new"', () => {
    const first = shownTrends({ id: 'artists.visits', title: 'x', entries: [entry(1, 'new'), entry(2, 'new')] });
    assert.deepEqual(
      first.entries.map((e) => e.trend),
      [null, null],
    );
    const mixed = shownTrends({ id: 'artists.visits', title: 'x', entries: [entry(1, 'up'), entry(2, 'new')] });
    assert.deepEqual(
      mixed.entries.map((e) => e.trend),
      ['up', 'new'],
    );
  });

  it('a figure keeps its size when it fits, shrinks in proportion when not, never below the floor', () => {
    assert.equal(fittedFontPx(32, 100, 120, 16), 32);
    assert.equal(fittedFontPx(32, 200, 100, 16), 16);
    assert.equal(fittedFontPx(32, 160, 120, 16), 24);
    assert.equal(fittedFontPx(32, 400, 100, 16), 16);
  });

  it('"1 star", "0 stars", "2 stars"', () => {
    assert.deepEqual([0, 1, 2].map(starsWord), ['stars', 'star', 'stars']);
  });
});
