import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { textWidthPx } from '../../../systems/textWidth.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Ink of `text` drawn in a fresh process (fontconfig is configured once per process). */
function ink(mode: 'bundled' | 'none', text: string, px = 40): { ink: number; width: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/support/textInk.ts', mode, String(px), text], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { ink: number; width: number };
}

describe('pictures draw real letters on a host without fonts (features/assets/svgRaster)', function () {
  this.timeout(120_000);

  it('without fonts every letter is the same box: the production image before the fonts were bundled', () => {
    const wide = ink('none', 'WWWWWW');
    const narrow = ink('none', 'iiiiii');
    assert.deepEqual(wide, narrow);
  });

  it('with the bundled DejaVu, W and i differ as the font draws them, at the widths the layout measures', () => {
    const wide = ink('bundled', 'WWWWWW');
    const narrow = ink('bundled', 'iiiiii');
    assert.ok(wide.ink > 2.5 * narrow.ink, `W ink ${wide.ink} vs i ink ${narrow.ink}`);
    // The ink is the advance width less the outer side bearings: within 15 % of the measured width.
    for (const [text, drawn] of [
      ['WWWWWW', wide],
      ['iiiiii', narrow],
    ] as const) {
      const measured = textWidthPx(text, 40);
      assert.ok(drawn.width <= measured && drawn.width >= 0.85 * measured, `${text}: drawn ${drawn.width} px, measured ${measured.toFixed(1)} px`);
    }
  });

  it('draws the names the catalogue holds (Yorùbá marks) as letters, not boxes', () => {
    const yoruba = ink('bundled', 'Ẹ̀gbẹ́ Ṣẹ́gun');
    const boxes = ink('none', 'Ẹ̀gbẹ́ Ṣẹ́gun');
    assert.notDeepEqual(yoruba, boxes);
    assert.ok(Math.abs(yoruba.width - textWidthPx('Ẹ̀gbẹ́ Ṣẹ́gun', 40)) < 0.15 * textWidthPx('Ẹ̀gbẹ́ Ṣẹ́gun', 40));
  });
});
