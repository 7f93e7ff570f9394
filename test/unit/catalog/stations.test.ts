import assert from 'node:assert/strict';
import { StationError, firstStationAtOrBeyond, nearestStation } from '../../../systems/catalog/stations.js';

const STATIONS = [88.1, 95.3, 98.9, 99.9, 100.9, 102.7, 104.1, 105.5, 107.9];

function assertStationError(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof StationError && err.code === code);
}

describe('systems/stations', () => {
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

  describe('nearestStation', () => {
    it('snaps to the nearest station, lower on a tie, ends outside the band', () => {
      assert.equal(nearestStation(STATIONS, 100.3), 99.9);
      assert.equal(nearestStation(STATIONS, 100.5), 100.9);
      assert.equal(nearestStation(STATIONS, 99.4), 98.9); // tie between 98.9 and 99.9
      assert.equal(nearestStation(STATIONS, 50), 88.1);
      assert.equal(nearestStation(STATIONS, 150), 107.9);
      assert.equal(nearestStation([99.9], 88), 99.9);
    });
  });

  describe('validation', () => {
    it('rejects an empty list and a non-finite frequency', () => {
      assertStationError(() => nearestStation([], 99.9), 'NO_STATIONS');
      assertStationError(() => firstStationAtOrBeyond(STATIONS, Number.NaN, 1), 'INVALID_FREQUENCY');
    });
  });
});
