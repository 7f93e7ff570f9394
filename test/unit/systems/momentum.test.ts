import assert from 'node:assert/strict';
import { mulberry32, type Rng } from '../../../systems/constellation.js';
import {
  DEFAULT_DIAL_PARAMS,
  MomentumError,
  PX_PER_MHZ,
  applySwipe,
  createDialState,
  estimateSettleTime,
  predictStation,
  stepDial,
  tuneTo,
  type DialState,
  type DialStep,
  type Swipe,
} from '../../../systems/momentum.js';
import { StationError } from '../../../systems/stations.js';

const STATIONS = [88.1, 95.3, 98.9, 99.9, 100.9, 102.7, 104.1, 105.5, 107.9];
const TICK = 0.05; // 20 Hz

/** Steps at a fixed dt until locked; returns the ticks taken and every step result. */
function settle(state: DialState, dt = TICK, maxTicks = 10_000): { ticks: number; steps: DialStep[] } {
  const steps: DialStep[] = [];
  for (let i = 0; i < maxTicks; i++) {
    const step = stepDial(state, dt);
    steps.push(step);
    if (step === 'locked_now') return { ticks: i + 1, steps };
  }
  throw new Error(`dial did not settle within ${maxTicks} ticks`);
}

function momentumCode(code: string) {
  return (err: unknown) => err instanceof MomentumError && err.code === code;
}

/** A random sorted station list on the 0.1 MHz grid of the FM band. */
function randomStations(rng: Rng): number[] {
  const out: number[] = [];
  const keep = 0.02 + rng() * 0.5;
  for (let tenths = 881; tenths <= 1079; tenths++) if (rng() < keep) out.push(tenths / 10);
  return out.length > 0 ? out : [99.9];
}

describe('systems/momentum', () => {
  describe('prediction (seed step 3)', () => {
    it('predicts 99.9 + 850/200 = 104.15 and targets the first station at or beyond it: 105.5', () => {
      assert.equal(PX_PER_MHZ, 200);
      const p = predictStation(99.9, { direction: 'right', velocity: 850 }, STATIONS);
      assert.ok(Math.abs(p.predicted - 104.15) < 1e-9);
      assert.equal(p.target, 105.5); // 104.1 lies below 104.15, so it is skipped

      const state = createDialState(99.9, STATIONS);
      assert.equal(applySwipe(state, { direction: 'right', velocity: 850 }, STATIONS), 105.5);
      assert.equal(state.target, 105.5);
      assert.equal(state.locked, false);
      assert.ok(state.velocity > 0);
      assert.ok(Math.abs(state.predicted - 104.15) < 1e-9);
    });

    it('goes down the band on a left swipe', () => {
      const p = predictStation(104.1, { direction: 'left', velocity: 500 }, STATIONS); // 101.6
      assert.equal(p.target, 100.9);
    });

    it('clamps to the last/first station past the band ends', () => {
      assert.equal(predictStation(105.5, { direction: 'right', velocity: 5000 }, STATIONS).target, 107.9);
      assert.equal(predictStation(95.3, { direction: 'left', velocity: 5000 }, STATIONS).target, 88.1);
    });

    it('rejects invalid swipes with a named error', () => {
      const state = createDialState(99.9, STATIONS);
      assert.throws(() => applySwipe(state, { direction: 'right', velocity: -1 }, STATIONS), momentumCode('INVALID_SWIPE'));
      assert.throws(() => applySwipe(state, { direction: 'right', velocity: Number.NaN }, STATIONS), momentumCode('INVALID_SWIPE'));
      assert.throws(
        () => applySwipe(state, { direction: 'up' as unknown as 'left', velocity: 100 }, STATIONS),
        momentumCode('INVALID_SWIPE'),
      );
    });
  });

  describe('settle and lock (seed step 4)', () => {
    it('decelerates onto 105.5, locks exactly once, then idles', () => {
      const state = createDialState(99.9, STATIONS);
      applySwipe(state, { direction: 'right', velocity: 850 }, STATIONS);
      let prevSpeed = Infinity;
      let prevFreq = state.frequency;
      let ticks = 0;
      for (;;) {
        const step = stepDial(state, TICK);
        ticks++;
        assert.ok(state.frequency >= prevFreq && state.frequency <= 105.5, 'monotone, no overshoot');
        if (step === 'locked_now') break;
        assert.equal(step, 'moving');
        assert.ok(Math.abs(state.velocity) <= prevSpeed + 1e-12, 'friction never speeds the dial up');
        prevSpeed = Math.abs(state.velocity);
        prevFreq = state.frequency;
      }
      assert.equal(state.frequency, 105.5);
      assert.equal(state.velocity, 0);
      assert.equal(state.locked, true);
      const seconds = ticks * TICK;
      assert.ok(seconds >= 0.5 && seconds <= 1.5, `settled in ${seconds}s`);
      assert.equal(stepDial(state, TICK), 'idle');
      assert.equal(stepDial(state, TICK), 'idle');
    });

    it('documents settle times: ~0.5 s for 1.5 MHz, ~1 s for the seed swipe, < 2 s for the band', () => {
      assert.ok(Math.abs(estimateSettleTime(1.5) - 0.5) < 1e-9);
      assert.ok(Math.abs(estimateSettleTime(5.6) - 0.966) < 1e-3);
      assert.ok(estimateSettleTime(19.8) < 2);
      assert.ok(Math.abs(estimateSettleTime(100) - (100 / 24 + 1)) < 1e-9); // cruise at maxSpeed, then brake
    });

    it('locks on the next tick when the swipe targets the current station', () => {
      const state = createDialState(99.9, STATIONS);
      applySwipe(state, { direction: 'right', velocity: 0 }, STATIONS);
      assert.equal(state.target, 99.9);
      assert.equal(stepDial(state, TICK), 'locked_now');
      assert.equal(state.frequency, 99.9);
    });

    it('snaps without overshoot on a huge dt (a stalled tick)', () => {
      const state = createDialState(99.9, STATIONS);
      applySwipe(state, { direction: 'right', velocity: 850 }, STATIONS);
      assert.equal(stepDial(state, 10), 'locked_now');
      assert.equal(state.frequency, 105.5);
    });

    it('does not move on dt = 0 and rejects invalid dt and params', () => {
      const state = createDialState(99.9, STATIONS);
      applySwipe(state, { direction: 'right', velocity: 850 }, STATIONS);
      assert.equal(stepDial(state, 0), 'moving');
      assert.equal(state.frequency, 99.9);
      assert.throws(() => stepDial(state, -0.01), momentumCode('INVALID_DT'));
      assert.throws(() => stepDial(state, Number.NaN), momentumCode('INVALID_DT'));
      assert.throws(() => stepDial(state, TICK, { ...DEFAULT_DIAL_PARAMS, deceleration: 0 }), momentumCode('INVALID_PARAMS'));
    });

    it('re-targets from the current continuous frequency mid-motion', () => {
      const state = createDialState(99.9, STATIONS);
      applySwipe(state, { direction: 'right', velocity: 850 }, STATIONS);
      for (let i = 0; i < 5; i++) stepDial(state, TICK);
      const here = state.frequency;
      assert.ok(here > 99.9 && here < 105.5);
      const target = applySwipe(state, { direction: 'left', velocity: 400 }, STATIONS);
      assert.equal(target, predictStation(here, { direction: 'left', velocity: 400 }, STATIONS).target);
      assert.ok(state.velocity < 0);
      settle(state);
      assert.equal(state.frequency, target);
    });
  });

  describe('tuneTo', () => {
    it('snaps a direct tune to the nearest real station, locked at once', () => {
      const state = createDialState(99.9, STATIONS);
      applySwipe(state, { direction: 'right', velocity: 850 }, STATIONS);
      stepDial(state, TICK);
      assert.equal(tuneTo(state, 102.5, STATIONS), 102.7);
      assert.deepEqual(state, { frequency: 102.7, velocity: 0, target: 102.7, locked: true, predicted: 102.7 });
      assert.equal(stepDial(state, TICK), 'idle');
      assert.throws(() => tuneTo(state, Number.NaN, STATIONS), StationError);
    });

    it('createDialState starts locked on the nearest station', () => {
      const state = createDialState(99.87, STATIONS);
      assert.equal(state.frequency, 99.9);
      assert.equal(state.locked, true);
    });
  });

  describe('property: lock-in always lands on a real station', () => {
    it('holds over random stations, swipes, velocities, dts and mid-motion re-targets', () => {
      const rng = mulberry32(0xd1a1);
      for (let run = 0; run < 400; run++) {
        const stations = randomStations(rng);
        const state = createDialState(88.1 + rng() * 19.8, stations);
        const swipes = 1 + Math.floor(rng() * 4);
        for (let s = 0; s < swipes; s++) {
          const swipe: Swipe = { direction: rng() < 0.5 ? 'left' : 'right', velocity: rng() < 0.1 ? 0 : rng() * 5000 };
          applySwipe(state, swipe, stations);
          const target = state.target;
          assert.ok(stations.includes(target), `target ${target} is a real station`);
          const bound = estimateSettleTime(Math.abs(target - state.frequency));
          // Re-target again after a random part of the motion, except on the last swipe.
          const interruptAfter = s < swipes - 1 ? Math.floor(rng() * 20) : Infinity;
          let elapsed = 0;
          let ticks = 0;
          for (;;) {
            if (ticks >= interruptAfter) break;
            const dt = 0.001 + rng() * 0.2;
            const before = state.frequency;
            const step = stepDial(state, dt);
            elapsed += dt;
            ticks++;
            const lo = Math.min(before, target);
            const hi = Math.max(before, target);
            assert.ok(state.frequency >= lo && state.frequency <= hi, 'never passes the target');
            if (step === 'locked_now') {
              assert.equal(state.frequency, target);
              assert.ok(stations.includes(state.frequency));
              assert.equal(stepDial(state, dt), 'idle');
              break;
            }
            assert.equal(step, 'moving');
            assert.ok(elapsed <= bound + 0.2 + 1e-9, `settles in finite time (${elapsed}s > ${bound}s)`);
          }
        }
        if (!state.locked) settle(state, 0.05);
        assert.ok(state.locked && stations.includes(state.frequency));
      }
    });
  });
});
