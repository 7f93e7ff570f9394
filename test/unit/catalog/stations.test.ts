import assert from 'node:assert/strict';
import {
  StationError,
  adjacentStations,
  bandEdges,
  clampToBand,
  firstStationAtOrBeyond,
  isStation,
  nearestStation,
  roundFrequency,
  sameFrequency,
  stationAbove,
  stationBelow,
  validateStations,
} from '../../../systems/catalog/stations.js';

const STATIONS = [88.1, 95.3, 98.9, 99.9, 100.9, 102.7, 104.1, 105.5, 107.9];

function assertStationError(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof StationError && err.code === code);
}

describe('systems/stations', () => {
  describe('roundFrequency', () => {
    it('rounds to one decimal despite floating-point noise', () => {
      assert.equal(roundFrequency(0.1 + 0.2), 0.3);
      assert.equal(roundFrequency(99.9 + 4.25), 104.2); // 104.15000000000001 is the half 104.15
      assert.equal(roundFrequency(104.15), 104.2);
      assert.equal(roundFrequency(100.04999999999998), 100.1);
      assert.equal(roundFrequency(100.04), 100);
      assert.equal(roundFrequency(107.9), 107.9);
      assert.equal(roundFrequency(88.1 + 0.1 * 3), 88.4);
    });

    it('is idempotent on every 0.1 MHz step of the FM band', () => {
      for (let tenths = 881; tenths <= 1079; tenths++) {
        const f = tenths / 10;
        assert.equal(roundFrequency(f), f);
        assert.equal(roundFrequency(f + 1e-9), f);
        assert.equal(roundFrequency(f - 1e-9), f);
      }
    });

    it('rejects non-finite frequencies', () => {
      assertStationError(() => roundFrequency(Number.NaN), 'INVALID_FREQUENCY');
      assertStationError(() => roundFrequency(Infinity), 'INVALID_FREQUENCY');
    });
  });

  describe('firstStationAtOrBeyond', () => {
    it('finds the first station at or above a prediction going right (seed: 104.15 → 105.5)', () => {
      assert.equal(firstStationAtOrBeyond(STATIONS, 99.9 + 850 / 200, 1), 105.5);
      assert.equal(firstStationAtOrBeyond(STATIONS, 105.5, 1), 105.5);
      assert.equal(firstStationAtOrBeyond(STATIONS, 105.5 - 1e-12, 1), 105.5);
      assert.equal(firstStationAtOrBeyond(STATIONS, 108, 1), null);
      assert.equal(firstStationAtOrBeyond(STATIONS, 10, 1), 88.1);
    });

    it('finds the first station at or below going left', () => {
      assert.equal(firstStationAtOrBeyond(STATIONS, 104.0, -1), 102.7);
      assert.equal(firstStationAtOrBeyond(STATIONS, 104.1 + 1e-12, -1), 104.1);
      assert.equal(firstStationAtOrBeyond(STATIONS, 88.0, -1), null);
      assert.equal(firstStationAtOrBeyond(STATIONS, 200, -1), 107.9);
    });
  });

  describe('nearestStation / clampToBand / edges', () => {
    it('snaps to the nearest station, lower on a tie, ends outside the band', () => {
      assert.equal(nearestStation(STATIONS, 100.3), 99.9);
      assert.equal(nearestStation(STATIONS, 100.5), 100.9);
      assert.equal(nearestStation(STATIONS, 99.4), 98.9); // tie between 98.9 and 99.9
      assert.equal(nearestStation(STATIONS, 50), 88.1);
      assert.equal(nearestStation(STATIONS, 150), 107.9);
      assert.equal(nearestStation([99.9], 88), 99.9);
    });

    it('clamps into the band', () => {
      assert.equal(clampToBand(STATIONS, 80), 88.1);
      assert.equal(clampToBand(STATIONS, 110), 107.9);
      assert.equal(clampToBand(STATIONS, 100.25), 100.25);
      assert.deepEqual(bandEdges(STATIONS), { min: 88.1, max: 107.9 });
    });
  });

  describe('adjacent stations', () => {
    it('returns the neighbours of a station (seed step 2.7: 99.9 → 98.9 / 100.9)', () => {
      assert.deepEqual(adjacentStations(STATIONS, 99.9), { below: 98.9, above: 100.9 });
      assert.deepEqual(adjacentStations(STATIONS, 88.1), { below: null, above: 95.3 });
      assert.deepEqual(adjacentStations(STATIONS, 107.9), { below: 105.5, above: null });
      assert.equal(stationBelow(STATIONS, 100.0), 99.9);
      assert.equal(stationAbove(STATIONS, 100.0), 100.9);
    });
  });

  describe('isStation / sameFrequency', () => {
    it('recognises stations within tolerance', () => {
      assert.equal(isStation(STATIONS, 99.9), true);
      assert.equal(isStation(STATIONS, 99.89999999999999), true);
      assert.equal(isStation(STATIONS, 99.8), false);
      assert.equal(isStation([], 99.9), false);
      assert.equal(sameFrequency(0.1 + 0.2, 0.3), true);
    });
  });

  describe('validation', () => {
    it('rejects empty, unsorted, duplicate and non-finite lists', () => {
      assert.doesNotThrow(() => validateStations(STATIONS));
      assertStationError(() => validateStations([]), 'NO_STATIONS');
      assertStationError(() => validateStations([99.9, 98.9]), 'UNSORTED_STATIONS');
      assertStationError(() => validateStations([98.9, 98.9]), 'UNSORTED_STATIONS');
      assertStationError(() => validateStations([98.9, Number.NaN]), 'UNSORTED_STATIONS');
      assertStationError(() => nearestStation([], 99.9), 'NO_STATIONS');
      assertStationError(() => firstStationAtOrBeyond(STATIONS, Number.NaN, 1), 'INVALID_FREQUENCY');
    });
  });
});
