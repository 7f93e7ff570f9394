import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

/**
 * Regression: a 113 KB PNG declaring 6,300 × 6,300 (under ASSET_MAX_INPUT_PIXELS) cost ≈ 490 MB and 9 CPU-s,
 * decoded at full size by every step. It is decoded once, streamed, to the largest variant's 2,048 px, and every
 * later step works on that. Measured in a process of its own (peak RSS is per process).
 */
describe('issue: a small PNG of 6,300 × 6,300 px cost hundreds of MB to process', function () {
  this.timeout(120_000);
  it('processes it within 330 MB peak RSS and 2.5 CPU-s (before: 396 MB, 3.4 CPU-s without the model)', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/integration/assets/fixtures/decodeCost.ts'], { encoding: 'utf8' });
    const cost = JSON.parse(out.trim().split('\n').at(-1)!) as { kb: number; cpuS: number; maxRssMB: number };
    assert.ok(cost.kb < 200, `a small file: ${cost.kb} KB`);
    assert.ok(cost.maxRssMB < 330, `peak RSS ${cost.maxRssMB} MB`);
    assert.ok(cost.cpuS < 2.5, `${cost.cpuS} CPU-s`);
  });
});
