import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The protocol document says what the server does; which product document or ticket asked for it lives in the history. */
describe('docs/PROTOCOL.md wording', () => {
  it('cites no product-document step and no issue', () => {
    const text = readFileSync(join(import.meta.dirname, '../../../docs/PROTOCOL.md'), 'utf8');
    const cites = text.split('\n').filter((l) => /\bseed (step )?\d|\bseed's\b|\bseeds?\b \d{3}|\bissue \d+|^\| seed\b/i.test(l));
    assert.deepEqual(cites, []);
  });
});
