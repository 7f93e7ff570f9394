import assert from 'node:assert/strict';
import { audienceMatch, changeText, completionRate, fmtMatch, metricTiles, noneLine, rankCard } from '../../../systems/reports/reportFigures.js';

const metrics = {
  events: 1234,
  uniqueUsers: 56,
  plays: 3,
  likes: 0,
  visits: 9,
  captures: 2,
  votes: 0,
  attendance: 0,
  purchases: 0,
  revenue: [] as Array<{ currency: string; cents: number }>,
};

describe('report figures shared by the page and the PDF (systems/reports/reportFigures)', () => {
  it('labels and formats the tiles it has figures for, and names the rest once instead of nine zero tiles', () => {
    const { tiles, none } = metricTiles(metrics, { events: 12.5, uniqueUsers: null, plays: -4 });
    assert.deepEqual(
      tiles.map((t) => [t.label, t.value]),
      [
        ['Events', '1,234'],
        ['Unique users', '56'],
        ['Station visits', '9'],
        ['Captures', '2'],
        ['Plays', '3'],
      ],
    );
    assert.deepEqual(
      tiles.map((t) => t.change),
      [12.5, null, null, null, -4],
      'visits and captures compared too (null: none before, or a report stored before they were)',
    );
    assert.deepEqual(none, ['Votes', 'Attendance', 'Likes', 'Revenue']);
    assert.equal(noneLine(none), 'None in this range: votes, attendance, likes and revenue.');
    assert.equal(noneLine([]), null);
    const revenue = metricTiles(
      {
        ...metrics,
        revenue: [
          { currency: 'NGN', cents: 1_250_050 },
          { currency: 'USD', cents: 999 },
        ],
      },
      {},
    ).tiles.find((t) => t.label === 'Revenue');
    assert.equal(revenue?.value, '₦12,500.50 · $9.99 USD');
    assert.equal(revenue?.change, undefined, 'revenue is not compared');
  });

  it('keeps a zero that fell from a figure before, and the headline counts even when nothing happened', () => {
    const zero = { ...metrics, events: 0, uniqueUsers: 0, plays: 0, visits: 0, captures: 0 };
    const { tiles, none } = metricTiles(zero, { events: -100, uniqueUsers: -100, votes: -100 });
    assert.deepEqual(
      tiles.map((t) => [t.label, t.value, t.change]),
      [
        ['Events', '0', -100],
        ['Unique users', '0', -100],
        ['Votes', '0', -100],
      ],
    );
    assert.deepEqual(none, ['Station visits', 'Captures', 'Plays', 'Attendance', 'Likes', 'Revenue']);
  });

  it('adds the Treasury, completion and share tiles where the report counted them (completions ÷ plays)', () => {
    const { tiles } = metricTiles({ ...metrics, plays: 1250, completions: 975, shares: 45, linkOpens: 120, earned: [{ currency: 'USD', cents: 300_000 }] }, {});
    assert.deepEqual(
      tiles.slice(5).map((t) => [t.label, t.value]),
      [
        ['Earned', '$3,000.00 USD'],
        ['Completion rate', '78.0%'],
        ['Shares', '45'],
        ['Link opens', '120'],
      ],
    );
    assert.equal(completionRate(0, 0), '—');
    assert.equal(completionRate(5, 4), '100.0%', 'a play begun before the range may finish in it');
    assert.equal(metricTiles(metrics, {}).tiles.length, 5, 'a report stored before these were counted shows the tiles it has');
    assert.deepEqual(metricTiles({ ...metrics, shares: 0, linkOpens: 0, earned: [] }, {}).none.slice(-3), ['Earned', 'Shares', 'Link opens']);
  });

  it('words changes and the rank card the same everywhere', () => {
    assert.deepEqual(
      [changeText(12.5), changeText(-4), changeText(0), changeText(null)],
      ['+12.5% vs previous', '-4.0% vs previous', '0.0% vs previous', 'new'],
    );
    assert.deepEqual(rankCard({ leaderboard: 'Top Artists by Plays', rank: 2, previousRank: null, outOf: 3, score: 6, trend: 'new' }), {
      headline: '#2',
      detail: 'Top Artists by Plays · of 3 · score 6',
      previous: 'previous range: unranked · trend new',
    });
    assert.equal(rankCard(null), null);
  });

  it('a board nobody is on in the range says so, not "unranked · of 0 · score 0"', () => {
    assert.deepEqual(rankCard({ leaderboard: 'Top Artists by Plays', rank: null, previousRank: null, outOf: 0, score: 0, trend: null }), {
      headline: 'unranked',
      detail: 'Top Artists by Plays · nobody ranked in this range',
      previous: 'previous range: unranked · trend —',
    });
  });
});

describe('report DNA matches as shown', () => {
  it('never shows a negative match', () => {
    assert.deepEqual([fmtMatch(-0.001), fmtMatch(-0.4), fmtMatch(0.426), fmtMatch(null)], ['0.00', '0.00', '0.43', '—']);
    assert.deepEqual(
      [audienceMatch({ listenersAnalysed: 0, averageMatch: 0 }), audienceMatch({ listenersAnalysed: 2, averageMatch: 0 })],
      ['—', '0.00'],
      'no listener, no average',
    );
  });
});
