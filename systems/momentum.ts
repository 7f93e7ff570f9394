/**
 * Swipe momentum and lock-in for the station dial (seed 000 steps 3–4).
 *
 * A swipe predicts `current ± velocity / 200` MHz (right = up the band) and targets the first real
 * station at or beyond that prediction in the swipe direction, clamped to the band's end stations.
 *
 * Physics: constant-deceleration (kinetic friction) braking towards the target. Each tick the dial's
 * speed is `min(speed, sqrt(2·a·remaining), maxSpeed)` — the fastest speed from which friction `a`
 * still stops exactly on the station — floored at `minSpeed` so the last millimetres never crawl.
 * When the next step would reach the target the dial snaps onto it and locks. Consequences:
 * - monotone approach: a step is always shorter than the remaining distance, so no overshoot;
 * - finite settle: ≈ `sqrt(2·d/a)` seconds for a distance d (see {@link estimateSettleTime}); with
 *   the defaults (a = 12 MHz/s²) a 1.5 MHz swipe settles in 0.5 s, the seed's 5.6 MHz swipe
 *   (99.9 → 105.5) in 0.97 s, the whole 19.8 MHz band in 1.8 s;
 * - smooth lock: the snap happens with under one tick of travel left, at ≤ `2·a·dt` MHz/s
 *   (1.2 MHz/s at 20 Hz), i.e. the last ≤ `2·a·dt²` MHz (0.06 MHz, under one station spacing).
 */
import { type DialDirection, FREQ_EPSILON, firstStationAtOrBeyond, nearestStation } from './stations.js';
import { AppError } from './errors.js';

/** Pixels of swipe velocity (px/s) per MHz of predicted travel (seed: 850 px/s → 4.25 MHz). */
export const PX_PER_MHZ = 200;

/** Swipe direction as sent by clients: right moves up the band, left down. */
export type SwipeDirection = 'left' | 'right';

/** A swipe gesture: direction and release velocity in px/s (≥ 0). */
export interface Swipe {
  readonly direction: SwipeDirection;
  readonly velocity: number;
}

/** Mutable dial state, updated in place by {@link applySwipe}, {@link stepDial} and {@link tuneTo}. */
export interface DialState {
  /** Continuous dial position in MHz. */
  frequency: number;
  /** Signed velocity in MHz/s (positive = up the band); 0 when locked. */
  velocity: number;
  /** The real station the dial is heading to (or locked on). */
  target: number;
  /** True once the dial rests exactly on `target`. */
  locked: boolean;
  /** Raw predicted frequency of the last swipe (seed: 104.15), before snapping to a station. */
  predicted: number;
}

/** Tuning of the dial physics. */
export interface DialParams {
  /** Friction deceleration in MHz/s² (> 0); sets the settle time ≈ sqrt(2·distance/deceleration). */
  readonly deceleration: number;
  /** Speed cap in MHz/s (> 0). */
  readonly maxSpeed: number;
  /** Speed floor in MHz/s (≥ 0) so the final approach never crawls. */
  readonly minSpeed: number;
}

/** Defaults: 0.5 s for a 1.5 MHz swipe, ~1 s for the seed's swipe, 1.8 s across the whole band. */
export const DEFAULT_DIAL_PARAMS: DialParams = Object.freeze({ deceleration: 12, maxSpeed: 24, minSpeed: 0.3 });

/** Result of one {@link stepDial} tick; `locked_now` is returned exactly once per settle. */
export type DialStep = 'moving' | 'locked_now' | 'idle';

/** Codes of {@link MomentumError}. */
export type MomentumErrorCode = 'INVALID_SWIPE' | 'INVALID_DT' | 'INVALID_PARAMS';

/** Invalid swipe, time step or physics parameters. */
export class MomentumError extends AppError<MomentumErrorCode> {
  override readonly name = 'MomentumError';
}

/** A dial at rest, locked on the station nearest to `frequency`. */
export function createDialState(frequency: number, stations: readonly number[]): DialState {
  const station = nearestStation(stations, frequency);
  return { frequency: station, velocity: 0, target: station, locked: true, predicted: station };
}

/**
 * Predicts where a swipe from `current` ends: the raw prediction and the real station target.
 * @throws MomentumError `INVALID_SWIPE` for an unknown direction or a negative/non-finite velocity.
 */
export function predictStation(
  current: number,
  swipe: Swipe,
  stations: readonly number[],
): { readonly predicted: number; readonly target: number } {
  const sign = swipeSign(swipe);
  const predicted = current + (sign * swipe.velocity) / PX_PER_MHZ;
  const found = firstStationAtOrBeyond(stations, predicted, sign);
  // Past the band's end the dial stops on the last (or first) station.
  const target = found ?? (sign === 1 ? stations[stations.length - 1] : stations[0]);
  return { predicted, target };
}

/**
 * Applies a swipe to the dial, re-targeting from its current continuous frequency (also mid-motion).
 * The dial is launched at the braking speed for the new distance, so it decelerates onto the target.
 * @returns the target station.
 */
export function applySwipe(
  state: DialState,
  swipe: Swipe,
  stations: readonly number[],
  params: DialParams = DEFAULT_DIAL_PARAMS,
): number {
  assertParams(params);
  const { predicted, target } = predictStation(state.frequency, swipe, stations);
  const delta = target - state.frequency;
  state.predicted = predicted;
  state.target = target;
  state.locked = false;
  // Direction follows the target, not the gesture: they differ only if the dial sits outside the band.
  state.velocity = Math.sign(delta) * Math.min(brakingSpeed(Math.abs(delta), params), params.maxSpeed);
  return target;
}

/**
 * Advances the dial by `dt` seconds. Returns `locked_now` on the tick it locks (send `locked` then),
 * `moving` while travelling, `idle` when already locked. Never moves past `target`.
 * @throws MomentumError `INVALID_DT` for a negative or non-finite dt, `INVALID_PARAMS` for bad params.
 */
export function stepDial(state: DialState, dt: number, params: DialParams = DEFAULT_DIAL_PARAMS): DialStep {
  if (state.locked) return 'idle';
  assertParams(params);
  if (!(dt >= 0) || !Number.isFinite(dt)) {
    throw new MomentumError('INVALID_DT', `dt must be a finite number of seconds ≥ 0, got ${dt}.`);
  }
  const delta = state.target - state.frequency;
  const remaining = Math.abs(delta);
  if (remaining <= FREQ_EPSILON) return lock(state);
  if (dt === 0) return 'moving';
  const speed = Math.max(
    params.minSpeed,
    Math.min(Math.abs(state.velocity), brakingSpeed(remaining, params), params.maxSpeed),
  );
  const travel = speed * dt;
  if (travel >= remaining - FREQ_EPSILON) return lock(state);
  const dir = delta > 0 ? 1 : -1;
  state.frequency += dir * travel;
  state.velocity = dir * speed;
  return 'moving';
}

/**
 * Direct tune: snaps to the real station nearest `frequency` and locks immediately (no motion, so the
 * next {@link stepDial} returns `idle`; the caller sends `locked` itself).
 * @returns the station tuned to.
 * @throws StationError for a non-finite frequency or an empty station list.
 */
export function tuneTo(state: DialState, frequency: number, stations: readonly number[]): number {
  const station = nearestStation(stations, frequency);
  state.frequency = station;
  state.target = station;
  state.predicted = station;
  state.velocity = 0;
  state.locked = true;
  return station;
}

/**
 * Continuous-time settle time in seconds for a launch over `distance` MHz (the discrete dial
 * settles no later than this plus one tick).
 */
export function estimateSettleTime(distance: number, params: DialParams = DEFAULT_DIAL_PARAMS): number {
  assertParams(params);
  const d = Math.abs(distance);
  const a = params.deceleration;
  const vMax = params.maxSpeed;
  // Short trips are pure braking; long ones cruise at vMax first.
  if (d <= (vMax * vMax) / (2 * a)) return Math.sqrt((2 * d) / a);
  return d / vMax + vMax / (2 * a);
}

/** Fastest speed from which friction still stops within `remaining` MHz: v = sqrt(2·a·d). */
function brakingSpeed(remaining: number, params: DialParams): number {
  return Math.sqrt(2 * params.deceleration * remaining);
}

function lock(state: DialState): DialStep {
  state.frequency = state.target;
  state.velocity = 0;
  state.locked = true;
  return 'locked_now';
}

function swipeSign(swipe: Swipe): DialDirection {
  if (!(swipe.velocity >= 0) || !Number.isFinite(swipe.velocity)) {
    throw new MomentumError('INVALID_SWIPE', `Swipe velocity must be a finite number of px/s ≥ 0, got ${swipe.velocity}.`);
  }
  if (swipe.direction === 'right') return 1;
  if (swipe.direction === 'left') return -1;
  throw new MomentumError('INVALID_SWIPE', `Swipe direction must be 'left' or 'right', got ${String(swipe.direction)}.`);
}

function assertParams(params: DialParams): void {
  const { deceleration, maxSpeed, minSpeed } = params;
  if (!(deceleration > 0) || !(maxSpeed > 0) || !(minSpeed >= 0) || !Number.isFinite(deceleration + maxSpeed + minSpeed)) {
    throw new MomentumError(
      'INVALID_PARAMS',
      `Dial params need deceleration > 0, maxSpeed > 0, minSpeed ≥ 0 (finite), got ${JSON.stringify(params)}.`,
    );
  }
}
