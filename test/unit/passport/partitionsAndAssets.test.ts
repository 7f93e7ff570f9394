import assert from 'node:assert/strict';
import { addMonths, isPastRetention, monthOf, monthStart, monthsToEnsure, parsePartitionName, partitionName } from '../../../systems/passport/partitions.js';
import { ASSET_RESOLUTIONS, complementary, extractPalette, uploadProblem } from '../../../systems/assets/artistAssets.js';

describe('systems/partitions (passport by month)', () => {
  it('names, parses and steps months across years', () => {
    assert.equal(partitionName({ year: 2026, month: 1 }), 'passport_entries_y2026m01');
    assert.deepEqual(parsePartitionName('passport_entries_y2026m12'), { year: 2026, month: 12 });
    assert.equal(parsePartitionName('passport_entries_default'), null);
    assert.deepEqual(addMonths({ year: 2026, month: 11 }, 3), { year: 2027, month: 2 });
    assert.deepEqual(addMonths({ year: 2026, month: 1 }, -1), { year: 2025, month: 12 });
    assert.equal(monthStart({ year: 2026, month: 3 }), Date.UTC(2026, 2, 1));
    assert.deepEqual(monthOf(Date.UTC(2026, 0, 31, 23, 59, 59, 999)), { year: 2026, month: 1 });
  });

  it('ensures this month and the ones ahead, retires whole months past retention', () => {
    const now = Date.UTC(2027, 0, 15);
    assert.deepEqual(monthsToEnsure(now, 2).map(partitionName), ['passport_entries_y2027m01', 'passport_entries_y2027m02', 'passport_entries_y2027m03']);
    assert.equal(isPastRetention({ year: 2026, month: 1 }, now, 13), false);
    assert.equal(isPastRetention({ year: 2025, month: 12 }, now, 13), true);
    assert.equal(isPastRetention({ year: 2027, month: 1 }, now, 1), false);
    assert.equal(isPastRetention({ year: 2026, month: 12 }, now, 1), true);
  });
});

describe('systems/artistAssets (seed 000 step 10)', () => {
  it('lists the seed resolutions and validates uploads (10.1)', () => {
    assert.deepEqual(
      ASSET_RESOLUTIONS.map((r) => [r.name, r.size]),
      [
        ['@3x', 2048],
        ['@2x', 1024],
        ['@1x', 512],
        ['thumbnail', 256],
      ],
    );
    assert.equal(uploadProblem('png', 2000, 2400, 2000), null);
    assert.match(uploadProblem('gif', 2000, 2000, 2000)!, /JPEG, PNG or TIFF/);
    assert.match(uploadProblem('jpeg', 1999, 3000, 2000)!, /at least 2000×2000/);
  });

  it('finds dominant colours by population, largest first, and the complementary glow (10.4)', () => {
    // 60 % saddle brown, 30 % gold, 10 % dark slate grey: the seed's palette colours
    const px: number[] = [];
    const push = (n: number, rgb: number[]) => {
      for (let i = 0; i < n; i++) px.push(...rgb, 255);
    };
    push(60, [0x8b, 0x45, 0x13]);
    push(30, [0xff, 0xd7, 0x00]);
    push(10, [0x2f, 0x4f, 0x4f]);
    push(
      50,
      [0, 0, 0].map(() => 255),
    ); // transparent pixels below are skipped
    const rgba = Uint8Array.from(px);
    for (let i = 90 * 4 + 10 * 4 + 3; i < rgba.length; i += 4) rgba[i] = 0;
    const palette = extractPalette(rgba, 4, 5);
    assert.deepEqual(palette.slice(0, 3), ['#8B4513', '#FFD700', '#2F4F4F']);
    assert.equal(complementary('#8B4513'), '#13598B');
    assert.equal(complementary('#FFFFFF'), '#FFFFFF');
    assert.deepEqual(extractPalette(new Uint8Array(), 3), []);
  });
});
