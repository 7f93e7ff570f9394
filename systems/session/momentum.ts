/**
 * Swipe momentum and lock-in for the dial. A swipe predicts `current ± velocity / 200` MHz and targets the first
 * station at or beyond it, clamped to the band.
 *
 * The client applies the physics locally, so the server sends a GLIDE once, as a closed form of time, never
 * streamed: constant-deceleration braking from `from` (at `movedAt`), launched at `v0 = min(sqrt(2·a·d), maxSpeed)`
 * so friction `a` stops exactly on the station. With `t1 = max(0, d/v0 − v0/(2a))` (cruising at the cap):
 *
 *   travel(t) = v0·min(t, t1) + v0·τ − a·τ²/2,   τ = clamp(t − t1, 0, v0/a)
 *   position(t) = from + sign(target − from) · travel(t),   settles at T = t1 + v0/a
 *
 * Monotone, no overshoot, speed never rises: 1.5 MHz settles in 0.5 s, 5.6 MHz in 0.97 s, the whole band in 1.8 s.
 * The room locks the dial at its first step at or after `settlesAt`.
 */
import { type DialDirection, firstStationAtOrBeyond, nearestStation } from '../catalog/stations.js';
import { AppError } from '../errors.js';

/**
 * How the dial comes to lock, declared once: the room's locks, the passport's visit and load methods and the
 * contract derive from it. A message that locks the dial its own way adds its name here.
 */
export const LOCK_METHODS = ['swipe', 'tune'] as const;
export type LockMethod = (typeof LOCK_METHODS)[number];

/** Swipe px/s per MHz of predicted travel: 850 px/s → 4.25 MHz. */
export const PX_PER_MHZ = 200;

/** Right moves up the band. */
export type SwipeDirection = 'left' | 'right';

/** Release velocity in px/s (≥ 0). */
export interface Swipe {
  readonly direction: SwipeDirection;
  readonly velocity: number;
}

/** Updated in place by {@link applySwipe}, {@link settleDial} and {@link tuneTo}. */
export interface DialState {
  /** Where the glide started (MHz); the station itself once locked. */
  from: number;
  target: number;
  /** MHz/s, positive = up the band; 0 when locked. */
  velocity: number;
  /** Server ms. */
  movedAt: number;
  /** Server ms (= `movedAt` for a tune). */
  settlesAt: number;
  locked: boolean;
  /** Before snapping to a station (e.g. 104.15). */
  predicted: number;
}

export interface DialParams {
  /** MHz/s² (> 0); settle time ≈ sqrt(2·distance/deceleration). */
  readonly deceleration: number;
  /** MHz/s (> 0). */
  readonly maxSpeed: number;
}

/** 0.5 s for a 1.5 MHz swipe, ~1 s for 5.6 MHz, 1.8 s across the band. */
export const DEFAULT_DIAL_PARAMS: DialParams = Object.freeze({ deceleration: 12, maxSpeed: 24 });

/** `locked_now` exactly once per glide. */
export type DialStep = 'moving' | 'locked_now' | 'idle';

export class MomentumError extends AppError<'INVALID_SWIPE' | 'INVALID_TIME' | 'INVALID_PARAMS'> {}

/** Locked on the station nearest to `frequency`. */
export function createDialState(frequency: number, stations: readonly number[], nowMs = 0): DialState {
  const station = nearestStation(stations, frequency);
  return { from: station, target: station, velocity: 0, movedAt: nowMs, settlesAt: nowMs, locked: true, predicted: station };
}

/** The raw prediction and the station target; throws INVALID_SWIPE for an unknown direction or a bad velocity. */
export function predictStation(current: number, swipe: Swipe, stations: readonly number[]): { readonly predicted: number; readonly target: number } {
  const sign = swipeSign(swipe);
  const predicted = current + (sign * swipe.velocity) / PX_PER_MHZ;
  const found = firstStationAtOrBeyond(stations, predicted, sign);
  const target = found ?? (sign === 1 ? stations[stations.length - 1] : stations[0]);
  return { predicted, target };
}

/** A new glide from where the dial is now (also mid-glide), at the braking speed for the distance. Returns the target. */
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

/** `from` before the glide starts, `target` once settled; never past `target`. */
export function dialPositionAt(state: DialState, nowMs: number, params: DialParams = DEFAULT_DIAL_PARAMS): number {
  if (state.locked || nowMs >= state.settlesAt) return state.target;
  const elapsed = Math.max(0, nowMs - state.movedAt) / 1000;
  const distance = Math.abs(state.target - state.from);
  const travel = glideTravel(distance, Math.abs(state.velocity), elapsed, params);
  return state.from + Math.sign(state.target - state.from) * Math.min(travel, distance);
}

/** `locked_now` on the call that reaches `settlesAt` (send `locked` then), `moving` before, `idle` after. */
export function settleDial(state: DialState, nowMs: number): DialStep {
  if (state.locked) return 'idle';
  assertTime(nowMs);
  if (nowMs < state.settlesAt) return 'moving';
  state.from = state.target;
  state.velocity = 0;
  state.locked = true;
  return 'locked_now';
}

/** Snaps to the nearest station and locks at once (no glide: {@link settleDial} stays `idle`, the caller sends `locked`). */
export function tuneTo(state: DialState, frequency: number, stations: readonly number[], nowMs: number): number {
  return Object.assign(state, createDialState(frequency, stations, nowMs)).target;
}

/** 0 ≤ result ≤ distance. */
export function glideTravel(distance: number, speed: number, t: number, params: DialParams = DEFAULT_DIAL_PARAMS): number {
  if (!(speed > 0) || !(distance > 0)) return 0;
  const a = params.deceleration;
  const cruise = cruiseSeconds(distance, speed, a);
  const braking = t - cruise;
  if (braking >= speed / a) return distance; // settled: exactly on the station, no rounding short of it
  const tau = Math.max(braking, 0);
  return Math.min(distance, speed * Math.min(t, cruise) + speed * tau - (a * tau * tau) / 2);
}

/** v0 = min(sqrt(2·a·d), maxSpeed). */
function launchSpeed(distance: number, params: DialParams): number {
  return Math.min(Math.sqrt(2 * params.deceleration * distance), params.maxSpeed);
}

/** 0 unless the cap held the launch below sqrt(2·a·d). */
function cruiseSeconds(distance: number, speed: number, a: number): number {
  return Math.max(0, distance / speed - speed / (2 * a));
}

function glideSeconds(distance: number, speed: number, params: DialParams): number {
  if (!(speed > 0)) return 0;
  return cruiseSeconds(distance, speed, params.deceleration) + speed / params.deceleration;
}

function swipeSign(swipe: Swipe): DialDirection {
  if (!(swipe.velocity >= 0) || !Number.isFinite(swipe.velocity))
    throw new MomentumError('INVALID_SWIPE', `Swipe velocity must be a finite number of px/s ≥ 0, got ${swipe.velocity}.`);
  if (swipe.direction === 'right') return 1;
  if (swipe.direction === 'left') return -1;
  throw new MomentumError('INVALID_SWIPE', `Swipe direction must be 'left' or 'right', got ${String(swipe.direction)}.`);
}

function assertTime(nowMs: number): void {
  if (!Number.isFinite(nowMs)) throw new MomentumError('INVALID_TIME', `server time must be a finite number of ms, got ${nowMs}.`);
}

function assertParams(params: DialParams): void {
  const { deceleration, maxSpeed } = params;
  if (!(deceleration > 0) || !(maxSpeed > 0) || !Number.isFinite(deceleration + maxSpeed))
    throw new MomentumError('INVALID_PARAMS', `Dial params need a finite deceleration > 0 and maxSpeed > 0, got ${JSON.stringify(params)}.`);
}
