import assert from 'node:assert/strict';
import { csvCell, leaderboardCsvFilename } from '../../../systems/leaderboard/leaderboardImage.js';

describe('leaderboard CSV cells (systems/leaderboard/leaderboardImage)', () => {
  it('quotes what needs quoting, doubles quotes, leaves numbers and empty values bare', () => {
    assert.deepEqual(
      [csvCell('Fela Kuti'), csvCell('a,b'), csvCell('say "hi"'), csvCell('two\nlines'), csvCell(12.5), csvCell(null), csvCell(Number.NaN)],
      ['Fela Kuti', '"a,b"', '"say ""hi"""', '"two\nlines"', '12.5', '', ''],
    );
  });
  it('neutralises cells a spreadsheet would run as formulas', () => {
    assert.deepEqual(['=1+1', '+cmd', '-2', '@SUM(A1)', '\tx'].map(csvCell), ["'=1+1", "'+cmd", "'-2", "'@SUM(A1)", "'\tx"]);
  });
  it('names the file after the board, window and UTC day, without path characters', () => {
    assert.equal(leaderboardCsvFilename('custom.lagos/../x y', '7d', Date.parse('2026-11-25T23:59:00Z')), 'custom.lagos_.._x_y-7d-2026-11-25.csv');
  });
});
