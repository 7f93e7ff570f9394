import assert from 'node:assert/strict';
import { mulberry32, type Rng } from '../../../systems/constellation/constellation.js';
import {
  DEFAULT_DIAL_PARAMS,
  MomentumError,
  PX_PER_MHZ,
  applySwipe,
  createDialState,
  dialPositionAt,
  glideTravel,
  predictStation,
  settleDial,
  tuneTo,
  type Swipe,
} from '../../../systems/session/momentum.js';
import { StationError } from '../../../systems/catalog/stations.js';

const STATIONS = [88.1, 95.3, 98.9, 99.9, 100.9, 102.7, 104.1, 105.5, 107.9];
const T0 = 1_700_000_000_000; // a server time in ms

/** The closed form's settle time (momentum.ts): v0 = min(sqrt(2·a·d), maxSpeed), T = max(0, d/v0 − v0/(2a)) + v0/a. */
function estimateSettleTime(distance: number, { deceleration: a, maxSpeed } = DEFAULT_DIAL_PARAMS): number {
  const d = Math.abs(distance);
  const v0 = Math.min(Math.sqrt(2 * a * d), maxSpeed);
  return v0 > 0 ? Math.max(0, d / v0 - v0 / (2 * a)) + v0 / a : 0;
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

/** Numerical derivative of the position (MHz/s) at `t` ms. */
const speedAt = (state: ReturnType<typeof createDialState>, t: number) => Math.abs(dialPositionAt(state, t + 0.5) - dialPositionAt(state, t - 0.5)) * 1000;

describe('systems/momentum', () => {
  describe('prediction (seed step 3)', () => {
    it('predicts 99.9 + 850/200 = 104.15 and targets the first station at or beyond it: 105.5', () => {
      assert.equal(PX_PER_MHZ, 200);
      const p = predictStation(99.9, { direction: 'right', velocity: 850 }, STATIONS);
      assert.ok(Math.abs(p.predicted - 104.15) < 1e-9);
      assert.equal(p.target, 105.5); // 104.1 lies below 104.15, so it is skipped

      const state = createDialState(99.9, STATIONS, T0);
      assert.equal(applySwipe(state, { direction: 'right', velocity: 850 }, STATIONS, T0), 105.5);
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

    it('rejects invalid swipes, times and params with a named error', () => {
      const state = createDialState(99.9, STATIONS);
      assert.throws(() => applySwipe(state, { direction: 'right', velocity: -1 }, STATIONS, T0), momentumCode('INVALID_SWIPE'));
      assert.throws(() => applySwipe(state, { direction: 'right', velocity: Number.NaN }, STATIONS, T0), momentumCode('INVALID_SWIPE'));
      assert.throws(() => applySwipe(state, { direction: 'up' as unknown as 'left', velocity: 100 }, STATIONS, T0), momentumCode('INVALID_SWIPE'));
      assert.throws(() => applySwipe(state, { direction: 'right', velocity: 100 }, STATIONS, Number.NaN), momentumCode('INVALID_TIME'));
      assert.throws(
        () => applySwipe(state, { direction: 'right', velocity: 100 }, STATIONS, T0, { ...DEFAULT_DIAL_PARAMS, deceleration: 0 }),
        momentumCode('INVALID_PARAMS'),
      );
      assert.equal(state.locked, true, 'a refused swipe leaves the dial as it was');
    });
  });

  describe('the glide on the server clock (seed step 4)', () => {
    it('glides 99.9 → 105.5 in 0.97 s: monotone, never faster, never past the station, then locks once', () => {
      const state = createDialState(99.9, STATIONS, T0);
      applySwipe(state, { direction: 'right', velocity: 850 }, STATIONS, T0);
      assert.ok(Math.abs((state.settlesAt - T0) / 1000 - 0.966) < 1e-3, `settles after ${(state.settlesAt - T0) / 1000} s`);
      let prev = 99.9;
      let prevSpeed = Infinity;
      for (let t = T0 + 1; t <= state.settlesAt; t += 10) {
        const f = dialPositionAt(state, t);
        assert.ok(f >= prev - 1e-12 && f <= 105.5, `monotone, no overshoot at ${t - T0} ms`);
        const v = speedAt(state, t);
        assert.ok(v <= prevSpeed + 1e-6, 'friction never speeds the dial up');
        prev = f;
        prevSpeed = v;
      }
      assert.equal(dialPositionAt(state, state.settlesAt), 105.5);
      assert.equal(settleDial(state, state.settlesAt - 1), 'moving');
      assert.equal(settleDial(state, state.settlesAt), 'locked_now');
      assert.deepEqual([state.locked, state.from, state.velocity], [true, 105.5, 0]);
      assert.equal(settleDial(state, state.settlesAt + 50), 'idle');
    });

    it('launches at sqrt(2·a·d) and decelerates at a: travel(t) = v0·t − a·t²/2', () => {
      const d = 5.6;
      const v0 = Math.sqrt(2 * 12 * d);
      for (const t of [0, 0.1, 0.4, 0.9]) assert.ok(Math.abs(glideTravel(d, v0, t) - (v0 * t - 6 * t * t)) < 1e-12);
      assert.equal(glideTravel(d, v0, 5), d, 'clamped to the distance once settled');
    });

    it('documents settle times: 0.5 s for 1.5 MHz, 0.97 s for the seed swipe, 1.8 s for the band; long trips cruise at maxSpeed', () => {
      assert.ok(Math.abs(estimateSettleTime(1.5) - 0.5) < 1e-9);
      assert.ok(Math.abs(estimateSettleTime(5.6) - 0.966) < 1e-3);
      assert.ok(Math.abs(estimateSettleTime(19.8) - 1.816) < 1e-3);
      assert.ok(Math.abs(estimateSettleTime(100) - (100 / 24 + 1)) < 1e-9);
      const wide = [50, 150]; // wider than the FM band: 100 MHz needs the cap
      const state = createDialState(50, wide, T0);
      applySwipe(state, { direction: 'right', velocity: 1e6 }, wide, T0);
      assert.equal(state.velocity, 24, 'capped launch');
      assert.ok(Math.abs(dialPositionAt(state, T0 + 100) - (50 + 2.4)) < 1e-9, 'cruising at 24 MHz/s');
    });

    it('locks at once when the swipe targets the current station', () => {
      const state = createDialState(99.9, STATIONS, T0);
      applySwipe(state, { direction: 'right', velocity: 0 }, STATIONS, T0);
      assert.equal(state.target, 99.9);
      assert.equal(state.settlesAt, T0);
      assert.equal(settleDial(state, T0), 'locked_now');
    });

    it('a late step (a stalled loop) locks exactly on the station', () => {
      const state = createDialState(99.9, STATIONS, T0);
      applySwipe(state, { direction: 'right', velocity: 850 }, STATIONS, T0);
      assert.equal(settleDial(state, T0 + 10_000), 'locked_now');
      assert.equal(dialPositionAt(state, T0 + 10_000), 105.5);
    });

    it('re-targets from where the dial is at the new swipe, mid-glide', () => {
      const state = createDialState(99.9, STATIONS, T0);
      applySwipe(state, { direction: 'right', velocity: 850 }, STATIONS, T0);
      const here = dialPositionAt(state, T0 + 250);
      assert.ok(here > 99.9 && here < 105.5);
      const target = applySwipe(state, { direction: 'left', velocity: 400 }, STATIONS, T0 + 250);
      assert.equal(target, predictStation(here, { direction: 'left', velocity: 400 }, STATIONS).target);
      assert.equal(state.from, here);
      assert.ok(state.velocity < 0);
      assert.equal(dialPositionAt(state, T0 + 250), here, 'no jump at the re-target');
      assert.equal(settleDial(state, state.settlesAt), 'locked_now');
      assert.equal(dialPositionAt(state, state.settlesAt + 1), target);
    });
  });

  describe('tuneTo', () => {
    it('snaps a direct tune to the nearest real station, locked at once', () => {
      const state = createDialState(99.9, STATIONS, T0);
      applySwipe(state, { direction: 'right', velocity: 850 }, STATIONS, T0);
      assert.equal(tuneTo(state, 102.5, STATIONS, T0 + 100), 102.7);
      assert.deepEqual(state, { from: 102.7, velocity: 0, target: 102.7, locked: true, predicted: 102.7, movedAt: T0 + 100, settlesAt: T0 + 100 });
      assert.equal(settleDial(state, T0 + 200), 'idle');
      assert.throws(() => tuneTo(state, Number.NaN, STATIONS, T0), StationError);
    });

    it('createDialState starts locked on the nearest station', () => {
      const state = createDialState(99.87, STATIONS);
      assert.equal(state.target, 99.9);
      assert.equal(state.locked, true);
      assert.equal(dialPositionAt(state, 0), 99.9);
    });
  });

  describe('property: every glide lands on a real station', () => {
    it('holds over random stations, swipes, velocities, sample times and mid-glide re-targets', () => {
      const rng = mulberry32(0xd1a1);
      for (let run = 0; run < 400; run++) {
        const stations = randomStations(rng);
        const state = createDialState(88.1 + rng() * 19.8, stations, T0);
        let now = T0;
        const swipes = 1 + Math.floor(rng() * 4);
        for (let s = 0; s < swipes; s++) {
          const swipe: Swipe = { direction: rng() < 0.5 ? 'left' : 'right', velocity: rng() < 0.1 ? 0 : rng() * 5000 };
          const start = dialPositionAt(state, now);
          const target = applySwipe(state, swipe, stations, now);
          assert.ok(stations.includes(target), `target ${target} is a real station`);
          assert.ok(
            Math.abs(state.settlesAt - now - estimateSettleTime(target - start) * 1000) < 1e-3,
            'settlesAt agrees with the settle time (to a microsecond: ms since 1970 in a double)',
          );
          const lo = Math.min(start, target);
          const hi = Math.max(start, target);
          // Sample the glide; re-target after a random part of it, except on the last swipe.
          const until = s < swipes - 1 ? now + rng() * (state.settlesAt - now) : state.settlesAt + 100;
          for (let t = now; t <= until; t += 1 + rng() * 200) {
            const f = dialPositionAt(state, t);
            assert.ok(f >= lo - 1e-9 && f <= hi + 1e-9, 'never passes the target');
          }
          now = until;
        }
        const wasLocked = state.locked;
        assert.equal(settleDial(state, now), wasLocked ? 'idle' : 'locked_now');
        assert.ok(state.locked && stations.includes(dialPositionAt(state, now)), `run ${run}: ${JSON.stringify(state)} at ${now}`);
      }
    });
  });
});
