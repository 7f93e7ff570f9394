/**
 * Lookups over the sorted station frequencies (MHz, one decimal): binary searches, cheap on the hot path.
 * Compared within {@link FREQ_EPSILON}: `99.9 + 4.25` carries floating-point noise.
 */

import { AppError } from '../errors.js';

/** Far below the 0.1 MHz spacing, far above FP noise. */
export const FREQ_EPSILON = 1e-6;

export type DialDirection = -1 | 1;

export type StationErrorCode = 'NO_STATIONS' | 'INVALID_FREQUENCY';

export class StationError extends AppError<StationErrorCode> {}

/** +1: lowest station ≥ frequency, −1: highest ≤ frequency; null when the band ends first. */
export function firstStationAtOrBeyond(stations: readonly number[], frequency: number, direction: DialDirection): number | null {
  assertNonEmpty(stations);
  assertFrequency(frequency);
  if (direction === 1) {
    const i = lowerBound(stations, frequency - FREQ_EPSILON);
    return i < stations.length ? stations[i] : null;
  }
  const i = lowerBound(stations, frequency + FREQ_EPSILON) - 1;
  return i >= 0 ? stations[i] : null;
}

/** A tie goes to the lower station; outside the band, the first or last. */
export function nearestStation(stations: readonly number[], frequency: number): number {
  assertNonEmpty(stations);
  assertFrequency(frequency);
  const i = lowerBound(stations, frequency);
  if (i === 0) return stations[0];
  if (i === stations.length) return stations[stations.length - 1];
  const below = stations[i - 1];
  const above = stations[i];
  // Tolerance keeps a 0.05 MHz tie from flipping with FP noise.
  return above - frequency < frequency - below - FREQ_EPSILON ? above : below;
}

/** stations.length when none. */
function lowerBound(stations: readonly number[], value: number): number {
  let lo = 0;
  let hi = stations.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (stations[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function assertNonEmpty(stations: readonly number[]): void {
  if (stations.length === 0) throw new StationError('NO_STATIONS', 'The station list is empty: load at least one station before using the dial.');
}

function assertFrequency(frequency: number): void {
  if (!Number.isFinite(frequency)) throw new StationError('INVALID_FREQUENCY', `Frequency must be a finite number of MHz, got ${frequency}.`);
}
