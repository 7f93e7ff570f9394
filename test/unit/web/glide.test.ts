import assert from 'node:assert/strict';
import { dialFrequencyAt, type DialView } from '../../../clients/ts/src/glide.js';
import { DEFAULT_DIAL_PARAMS, applySwipe, createDialState, dialPositionAt } from '../../../systems/session/momentum.js';
import { mulberry32 } from '../../../systems/constellation/constellation.js';

const STATIONS = [88.1, 95.3, 98.9, 99.9, 100.9, 102.7, 104.1, 105.5, 107.9];
const T0 = 1_700_000_000_000;

/** What a client decodes from the state after the server applied a swipe (SessionSimulation.writeDial). */
const viewOf = (s: ReturnType<typeof createDialState>): DialView => ({
  frequency: s.from,
  predicted: s.target,
  velocity: s.velocity,
  locked: s.locked,
  movedAt: s.movedAt,
  settlesAt: s.settlesAt,
  deceleration: DEFAULT_DIAL_PARAMS.deceleration,
});

describe('clients/ts glide: the dial on the server clock (docs/PROTOCOL.md "The dial")', () => {
  it('the seed swipe 99.9 → 105.5: the client formula and the server agree to 1e-6 at every millisecond', () => {
    const state = createDialState(99.9, STATIONS, T0);
    applySwipe(state, { direction: 'right', velocity: 850 }, STATIONS, T0);
    const view = viewOf(state);
    for (let t = T0 - 100; t <= state.settlesAt + 100; t += 1) {
      assert.ok(Math.abs(dialFrequencyAt(view, t) - dialPositionAt(state, t)) < 1e-6, `at ${t - T0} ms`);
    }
    assert.equal(dialFrequencyAt(view, state.settlesAt), 105.5);
    assert.equal(dialFrequencyAt({ ...view, locked: true }, T0), 105.5, 'locked: the station');
  });

  it('agrees with the server over random swipes, re-targets and band-wide (capped) glides', () => {
    const rng = mulberry32(7);
    for (let run = 0; run < 200; run++) {
      const state = createDialState(88.1 + rng() * 19.8, STATIONS, T0);
      let now = T0;
      for (let s = 0; s < 3; s++) {
        applySwipe(state, { direction: rng() < 0.5 ? 'left' : 'right', velocity: rng() * 6000 }, STATIONS, now);
        const view = viewOf(state);
        const end = state.settlesAt + 50;
        for (let t = now; t <= end; t += 7) assert.ok(Math.abs(dialFrequencyAt(view, t) - dialPositionAt(state, t)) < 1e-6);
        now += rng() * (end - now); // the next swipe lands mid-glide or after it
      }
    }
  });
});
