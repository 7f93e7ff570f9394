import assert from 'node:assert/strict';
import { prng } from '../../../loadtest/context.js';
import { mulberry32 } from '../../../systems/constellation/constellation.js';

describe('load-test PRNG', () => {
  it("is the systems' Mulberry32 (the harness keeps its own copy): same seed, same sequence", () => {
    for (const seed of [0, 1, 42, 7919, 2 ** 31 + 5]) {
      const a = prng(seed);
      const b = mulberry32(seed);
      for (let i = 0; i < 1000; i++) assert.equal(a(), b(), `seed ${seed}, draw ${i}`);
    }
  });
});
