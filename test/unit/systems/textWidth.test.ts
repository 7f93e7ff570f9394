import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { measureWidths, tableSource, TABLE_FILE } from '../../../scripts/font-widths.js';
import { textWidthPx, wrapToWidth } from '../../../systems/textWidth.js';

describe('text widths in DejaVu Sans Bold (systems/textWidth)', () => {
  it('the committed width table is what the bundled font measures (npx tsx scripts/font-widths.ts rewrites it)', () => {
    assert.equal(readFileSync(TABLE_FILE, 'utf8'), tableSource(measureWidths()));
  });

  it('measures by glyph: W is wider than i, combining marks add nothing, unknown scripts count an em', () => {
    assert.ok(textWidthPx('WWWW', 26) > 2.5 * textWidthPx('iiii', 26));
    assert.equal(textWidthPx('Ẹ̀', 26), textWidthPx('Ẹ', 26));
    assert.equal(textWidthPx('東京', 20), 40);
  });

  it('wraps between words within the width, breaks an over-long word, and marks only a third line with "…"', () => {
    assert.deepEqual(wrapToWidth('Wizkid', 600, 26), ['Wizkid']);
    const lines = wrapToWidth('Miriam Makeba and the Grand Orchestra of Sound No. 12', 560, 26);
    assert.equal(lines.length, 2);
    assert.equal(lines.join(' '), 'Miriam Makeba and the Grand Orchestra of Sound No. 12');
    for (const line of lines) assert.ok(textWidthPx(line, 26) <= 560, line);
    const long = wrapToWidth('W'.repeat(60), 400, 26);
    assert.equal(long.length, 2);
    assert.ok(long[1].endsWith('…'));
    for (const line of long) assert.ok(textWidthPx(line, 26) <= 400, line);
    const narrow = wrapToWidth('i'.repeat(40), 400, 26);
    assert.deepEqual(narrow, ['i'.repeat(40)], 'forty narrow letters fit a line that 25 average ones fill');
  });
});
