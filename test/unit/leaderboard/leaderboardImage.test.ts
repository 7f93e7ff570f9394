import assert from 'node:assert/strict';
import { imageHeight, leaderboardSvg, wrapName } from '../../../systems/leaderboard/leaderboardImage.js';

describe('leaderboard picture (systems/leaderboard/leaderboardImage, format=png)', () => {
  it('keeps whole names: two lines broken between words, "…" only past two lines', () => {
    assert.deepEqual(wrapName('Wizkid'), ['Wizkid']);
    assert.deepEqual(wrapName('Miriam Makeba and the Grand Orchestra of Sound No. 12', 30), ['Miriam Makeba and the Grand', 'Orchestra of Sound No. 12']);
    assert.deepEqual(wrapName('A'.repeat(70), 30), ['A'.repeat(30), `${'A'.repeat(29)}…`]);
    const three = wrapName('one two three four five six seven eight nine ten eleven twelve', 20);
    assert.equal(three.length, 2);
    assert.ok(three[1].endsWith('…'));
  });

  it('draws one row per entry with rank, name and score, escaping what the names hold', () => {
    const svg = leaderboardSvg({ title: 'Most explored <artists>', window: 'hour', generatedAt: '2026-11-25T07:55:00.000Z', entries: [
      { rank: 1, name: 'Ẹ̀gbẹ́ & "Jùjú"', score: 1234, trend: 'up' },
      { rank: 2, name: '<script>alert(1)</script>', score: 7, trend: 'new' },
    ] });
    assert.match(svg, /Most explored &#60;artists&#62;/);
    assert.match(svg, /this hour · read 2026-11-25 07:55 UTC/);
    assert.match(svg, /Ẹ̀gbẹ́ &#38; &#34;Jùjú&#34;/);
    assert.doesNotMatch(svg, /<script>/);
    assert.match(svg, />#1</);
    assert.match(svg, />1,234</);
    assert.match(svg, />▲</);
    assert.match(svg, new RegExp(`height="${imageHeight(2)}"`));
  });

  it("writes a revenue board's scores (minor units) as money, like the jumbotron does", () => {
    const svg = leaderboardSvg({ leaderboard: 'revenue.usd', title: 'Top supported artists by revenue (USD)', window: 'day', generatedAt: '2026-11-25T00:00:00Z', entries: [{ rank: 1, name: 'Wizkid', score: 6499 }] });
    assert.match(svg, />\$64\.99 USD</);
    assert.match(leaderboardSvg({ leaderboard: 'artists.plays', title: 'T', window: 'day', generatedAt: '2026-11-25T00:00:00Z', entries: [{ rank: 1, name: 'W', score: 6499 }] }), />6,499</);
  });

  it('says so when the board is empty', () => {
    assert.match(leaderboardSvg({ title: 'T', window: 'day', generatedAt: '2026-11-25T00:00:00Z', entries: [] }), /No entries in this window yet/);
  });
});
