import assert from 'node:assert/strict';
import { bottleneckStations } from '../../../systems/analytics/bottlenecks.js';

const row = (id: string, visits: number, orbTaps: number, captures: number) => ({ id, name: id.toUpperCase(), visits, orbTaps, captures });

describe('bottleneck stations (seed 000 step 17)', () => {
  it('keeps stations under 0.5 interactions per visit with 5+ visits, most visited first, up to the limit', () => {
    const out = bottleneckStations(
      [row('a', 40, 5, 3), row('b', 100, 30, 0), row('c', 4, 0, 0), row('d', 60, 29, 0), row('e', 60, 30, 0), row('f', 10, 0, 0)],
      10,
    );
    assert.deepEqual(
      out.map((b) => [b.id, b.avg_interactions]),
      [
        ['b', 0.3],
        ['d', 0.48],
        ['a', 0.2],
        ['f', 0],
      ],
      'e sits exactly at 0.5: not a bottleneck; c has too few visits',
    );
    assert.deepEqual(
      bottleneckStations([row('a', 40, 0, 0), row('b', 30, 0, 0)], 1).map((b) => b.id),
      ['a'],
    );
  });
});
