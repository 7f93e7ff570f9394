/**
 * Swipe momentum and lock-in for the station dial (seed 000 steps 3–4).
 *
 * A swipe predicts `current ± velocity / 200` MHz (right = up the band) and targets the first real
 * station at or beyond that prediction in the swipe direction, clamped to the band's end stations.
 *
 * Motion on the server clock (seed step 3: the client "applies momentum physics locally"): a swipe
 * starts a GLIDE from the dial's position at that moment (`from`, at `movedAt` ms) to the target
 * station, and the glide is a closed form of time, so it is sent once and never streamed. Physics:
 * constant-deceleration (kinetic friction) braking. The dial launches at
 * `v0 = min(sqrt(2·a·d), maxSpeed)` for a distance `d`: the fastest speed from which friction `a` stops
 * exactly on the station, capped. With `t1 = max(0, d/v0 − v0/(2a))` (time cruising at the cap):
 *
 *   travel(t) = v0·min(t, t1) + v0·τ − a·τ²/2,   τ = clamp(t − t1, 0, v0/a)
 *   position(t) = from + sign(target − from) · travel(t),   settles at T = t1 + v0/a
 *
 * (docs/PROTOCOL.md, "The dial: motion on the server clock"). Consequences: monotone approach, no
 * overshoot, speed never rises; a 1.5 MHz swipe settles in 0.5 s, the seed's 5.6 MHz swipe
 * (99.9 → 105.5) in 0.97 s, the whole 19.8 MHz band in 1.8 s (see {@link estimateSettleTime}). The
 * room locks the dial at its first step at or after `settlesAt`.
 */
import { type DialDirection, firstStationAtOrBeyond, nearestStation } from '../catalog/stations.js';
import { AppError } from '../errors.js';

/**
 * How the dial comes to lock on a station, declared once: the room's locks, the passport's `station.visited`
 * and `station.loaded` methods and the contract derive from this list. A message that locks the dial its own
 * way adds its name here, beside its pure function.
 */
export const LOCK_METHODS = ['swipe', 'tune'] as const;
export type LockMethod = (typeof LOCK_METHODS)[number];

/** Pixels of swipe velocity (px/s) per MHz of predicted travel (seed: 850 px/s → 4.25 MHz). */
export const PX_PER_MHZ = 200;

/** Swipe direction as sent by clients: right moves up the band, left down. */
export type SwipeDirection = 'left' | 'right';

/** A swipe gesture: direction and release velocity in px/s (≥ 0). */
export interface Swipe {
  readonly direction: SwipeDirection;
  readonly velocity: number;
}

/** Mutable dial state, updated in place by {@link applySwipe}, {@link settleDial} and {@link tuneTo}. */
export interface DialState {
  /** Where the current glide started (MHz); the station itself once locked. */
  from: number;
  /** The real station the dial is heading to (or locked on). */
  target: number;
  /** Signed launch velocity of the glide in MHz/s (positive = up the band); 0 when locked. */
  velocity: number;
  /** Server time (ms) at which the glide started from `from`. */
  movedAt: number;
  /** Server time (ms) at which the glide reaches `target` (= `movedAt` for a tune). */
  settlesAt: number;
  /** True once the dial rests on `target`. */
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
}

/** Defaults: 0.5 s for a 1.5 MHz swipe, ~1 s for the seed's swipe, 1.8 s across the whole band. */
export const DEFAULT_DIAL_PARAMS: DialParams = Object.freeze({ deceleration: 12, maxSpeed: 24 });

/** Result of {@link settleDial}; `locked_now` is returned exactly once per glide. */
export type DialStep = 'moving' | 'locked_now' | 'idle';

/** Codes of {@link MomentumError}. */
export type MomentumErrorCode = 'INVALID_SWIPE' | 'INVALID_TIME' | 'INVALID_PARAMS';

/** Invalid swipe, time or physics parameters. */
export class MomentumError extends AppError<MomentumErrorCode> {
  override readonly name = 'MomentumError';
}

/** A dial at rest at server time `nowMs`, locked on the station nearest to `frequency`. */
export function createDialState(frequency: number, stations: readonly number[], nowMs = 0): DialState {
  const station = nearestStation(stations, frequency);
  return { from: station, target: station, velocity: 0, movedAt: nowMs, settlesAt: nowMs, locked: true, predicted: station };
}

/**
 * Predicts where a swipe from `current` ends: the raw prediction and the real station target.
 * @throws MomentumError `INVALID_SWIPE` for an unknown direction or a negative/non-finite velocity.
 */
export function predictStation(current: number, swipe: Swipe, stations: readonly number[]): { readonly predicted: number; readonly target: number } {
  const sign = swipeSign(swipe);
  const predicted = current + (sign * swipe.velocity) / PX_PER_MHZ;
  const found = firstStationAtOrBeyond(stations, predicted, sign);
  // Past the band's end the dial stops on the last (or first) station.
  const target = found ?? (sign === 1 ? stations[stations.length - 1] : stations[0]);
  return { predicted, target };
}

/**
 * Applies a swipe at server time `nowMs`: a new glide from where the dial is at that moment (also
 * mid-glide) to the predicted station, launched at the braking speed for the distance.
 * @returns the target station.
 */
export function applySwipe(state: DialState, swipe: Swipe, stations: readonly number[], nowMs: number, params: DialParams = DEFAULT_DIAL_PARAMS): number {
  assertParams(params);
  assertTime(nowMs);
  const here = dialPositionAt(state, nowMs, params);
  const { predicted, target } = predictStation(here, swipe, stations);
  const distance = Math.abs(target - here);
  // Direction follows the target, not the gesture: they differ only if the dial sits outside the band.
  const speed = launchSpeed(distance, params);
  state.from = here;
  state.target = target;
  state.predicted = predicted;
  state.velocity = Math.sign(target - here) * speed;
  state.movedAt = nowMs;
  state.settlesAt = nowMs + glideSeconds(distance, speed, params) * 1000;
  state.locked = false;
  return target;
}

/**
 * Where the dial is at server time `nowMs` (MHz): the glide's closed form, `from` before it starts,
 * `target` once it settled. Never past `target`.
 */
export function dialPositionAt(state: DialState, nowMs: number, params: DialParams = DEFAULT_DIAL_PARAMS): number {
  if (state.locked || nowMs >= state.settlesAt) return state.target;
  const elapsed = Math.max(0, nowMs - state.movedAt) / 1000;
  const distance = Math.abs(state.target - state.from);
  const travel = glideTravel(distance, Math.abs(state.velocity), elapsed, params);
  return state.from + Math.sign(state.target - state.from) * Math.min(travel, distance);
}

/**
 * Locks the dial once server time `nowMs` reached `settlesAt`. Returns `locked_now` on that call
 * (send `locked` then), `moving` before it, `idle` when already locked.
 * @throws MomentumError `INVALID_TIME` for a non-finite time.
 */
export function settleDial(state: DialState, nowMs: number): DialStep {
  if (state.locked) return 'idle';
  assertTime(nowMs);
  if (nowMs < state.settlesAt) return 'moving';
  state.from = state.target;
  state.velocity = 0;
  state.locked = true;
  return 'locked_now';
}

/**
 * Direct tune at server time `nowMs`: snaps to the real station nearest `frequency` and locks at
 * once (no glide, so {@link settleDial} returns `idle`; the caller sends `locked` itself).
 * @returns the station tuned to.
 * @throws StationError for a non-finite frequency or an empty station list.
 */
export function tuneTo(state: DialState, frequency: number, stations: readonly number[], nowMs: number): number {
  const station = nearestStation(stations, frequency);
  state.from = station;
  state.target = station;
  state.predicted = station;
  state.velocity = 0;
  state.movedAt = nowMs;
  state.settlesAt = nowMs;
  state.locked = true;
  return station;
}

/** Settle time in seconds of a glide over `distance` MHz (seed figures: 0.5 s for 1.5 MHz, 0.97 s for 5.6 MHz). */
export function estimateSettleTime(distance: number, params: DialParams = DEFAULT_DIAL_PARAMS): number {
  assertParams(params);
  const d = Math.abs(distance);
  return glideSeconds(d, launchSpeed(d, params), params);
}

/** MHz travelled `t` seconds into a glide over `distance` launched at `speed` (0 ≤ result ≤ distance). */
export function glideTravel(distance: number, speed: number, t: number, params: DialParams = DEFAULT_DIAL_PARAMS): number {
  if (!(speed > 0) || !(distance > 0)) return 0;
  const a = params.deceleration;
  const cruise = cruiseSeconds(distance, speed, a);
  const braking = t - cruise;
  if (braking >= speed / a) return distance; // settled: exactly on the station, no rounding short of it
  const tau = Math.max(braking, 0);
  return Math.min(distance, speed * Math.min(t, cruise) + speed * tau - (a * tau * tau) / 2);
}

/** Fastest launch from which friction stops within `distance`, capped: v0 = min(sqrt(2·a·d), maxSpeed). */
function launchSpeed(distance: number, params: DialParams): number {
  return Math.min(Math.sqrt(2 * params.deceleration * distance), params.maxSpeed);
}

/** Seconds at the launch speed before braking: 0 unless the cap held the launch below sqrt(2·a·d). */
function cruiseSeconds(distance: number, speed: number, a: number): number {
  return Math.max(0, distance / speed - speed / (2 * a));
}

function glideSeconds(distance: number, speed: number, params: DialParams): number {
  if (!(speed > 0)) return 0;
  return cruiseSeconds(distance, speed, params.deceleration) + speed / params.deceleration;
}

function swipeSign(swipe: Swipe): DialDirection {
  if (!(swipe.velocity >= 0) || !Number.isFinite(swipe.velocity)) {
    throw new MomentumError('INVALID_SWIPE', `Swipe velocity must be a finite number of px/s ≥ 0, got ${swipe.velocity}.`);
  }
  if (swipe.direction === 'right') return 1;
  if (swipe.direction === 'left') return -1;
  throw new MomentumError('INVALID_SWIPE', `Swipe direction must be 'left' or 'right', got ${String(swipe.direction)}.`);
}

function assertTime(nowMs: number): void {
  if (!Number.isFinite(nowMs)) throw new MomentumError('INVALID_TIME', `server time must be a finite number of ms, got ${nowMs}.`);
}

function assertParams(params: DialParams): void {
  const { deceleration, maxSpeed } = params;
  if (!(deceleration > 0) || !(maxSpeed > 0) || !Number.isFinite(deceleration + maxSpeed)) {
    throw new MomentumError('INVALID_PARAMS', `Dial params need a finite deceleration > 0 and maxSpeed > 0, got ${JSON.stringify(params)}.`);
  }
}
