import assert from 'node:assert/strict';
import { cacheHints } from '../../../systems/catalog/cacheHints.js';

describe('X-Cache-Hints (seed 000 step 15.1)', () => {
  it('lists neighbours and orb destinations once, ascending, without the station itself, then max-age', () => {
    assert.equal(cacheHints(99.9, [98.9, 100.9, 103.3, 100.9, null, 99.9]), 'preload:98.9,100.9,103.3; max-age=86400');
    assert.equal(cacheHints(99.9, [], 60), 'preload:; max-age=60');
  });
});
