import assert from 'node:assert/strict';
import { imageHeight, leaderboardSvg } from '../../../systems/leaderboard/leaderboardImage.js';
import { textWidthPx } from '../../../systems/textWidth.js';

describe('leaderboard picture (systems/leaderboard/leaderboardImage, format=png)', () => {
  it('wraps a long name before the score, however wide its letters and the score are', () => {
    const name = 'WWWWWWWW MMMMMMMM WWWWWWWW MMMMMMMM WWWW';
    const svg = leaderboardSvg({
      leaderboard: 'revenue.usd',
      title: 'T',
      window: 'day',
      generatedAt: '2026-11-25T00:00:00Z',
      entries: [{ rank: 1000, name, score: 123_456_789 }],
    });
    const score = /<text x="(\d+)"[^>]*class="score"[^>]*>([^<]+)</.exec(svg)!;
    const scoreLeft = Number(score[1]) - score[2].length * 30 * 0.602;
    const names = [...svg.matchAll(/<text x="(\d+)" y="\d+" class="name">([^<]+)</g)];
    assert.equal(names.length, 2);
    assert.equal(names.map((m) => m[2]).join(' '), name, 'the whole name, on two lines');
    for (const [, x, line] of names) assert.ok(Number(x) + textWidthPx(line, 26) < scoreLeft, `"${line}" runs into the score`);
    const rank = /class="rank[^"]*">#1000</.test(svg);
    assert.ok(rank);
    const arrowX = Number(/<text x="(\d+)" y="\d+" class="arrow/.exec(svg)![1]);
    assert.ok(arrowX >= 70 + 5 * 28 * 0.602, 'a four-digit rank pushes the arrow and the name right');
  });

  it('draws one row per entry with rank, name and score, escaping what the names hold', () => {
    const svg = leaderboardSvg({
      title: 'Most explored <artists>',
      window: 'hour',
      generatedAt: '2026-11-25T07:55:00.000Z',
      entries: [
        { rank: 1, name: 'Ẹ̀gbẹ́ & "Jùjú"', score: 1234, trend: 'up' },
        { rank: 2, name: '<script>alert(1)</script>', score: 7, trend: 'new' },
      ],
    });
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
    const svg = leaderboardSvg({
      leaderboard: 'revenue.usd',
      title: 'Top supported artists by revenue (USD)',
      window: 'day',
      generatedAt: '2026-11-25T00:00:00Z',
      entries: [{ rank: 1, name: 'Wizkid', score: 6499 }],
    });
    assert.match(svg, />\$64\.99 USD</);
    assert.match(
      leaderboardSvg({
        leaderboard: 'artists.plays',
        title: 'T',
        window: 'day',
        generatedAt: '2026-11-25T00:00:00Z',
        entries: [{ rank: 1, name: 'W', score: 6499 }],
      }),
      />6,499</,
    );
  });

  it('says so when the board is empty', () => {
    assert.match(leaderboardSvg({ title: 'T', window: 'day', generatedAt: '2026-11-25T00:00:00Z', entries: [] }), /No entries in this window yet/);
  });
});
