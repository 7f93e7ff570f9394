import assert from 'node:assert/strict';
import { niceCeil, soakPlotSvg } from '../../../loadtest/soakPlot.js';
import type { SoakSample } from '../../../loadtest/soakProbe.js';

const proc = (rssMb: number, heapAfterGcMb: number) => ({
  rssMb,
  heapUsedMb: null,
  heapAfterGcMb,
  handles: 1,
  timers: 1,
  rooms: 1,
  sessionRooms: 1,
  sessionClients: 1,
});
function sample(t: number, phase: SoakSample['phase']): SoakSample {
  return {
    t,
    phase,
    population: 100,
    redisKeys: 200,
    redisChannels: 120,
    redisPatterns: 0,
    redisClients: 4,
    pubsubChannelsAll: 120,
    pubsubPatternsAll: 0,
    pgConnections: 10,
    ...proc(600, 140),
    processes: [proc(300, 70), proc(310, 72)],
  };
}

describe('soak plot (loadtest/soakPlot)', () => {
  it('rounds axis tops to 1, 2 or 5 × 10ⁿ', () => {
    assert.deepEqual([0.7, 1, 3, 7, 12, 180, 351, 999].map(niceCeil), [1, 1, 5, 10, 20, 200, 500, 1000]);
  });

  it('draws a line per process for RSS and heap and three Redis/population lines, with the steady phase shaded', () => {
    const samples = [sample(0, 'idle'), sample(60, 'warmup'), sample(180, 'steady'), sample(600, 'steady'), sample(660, 'drain')];
    const svg = soakPlotSvg('soak uws × 2', samples);
    assert.equal(svg.match(/<polyline /g)?.length, 2 + 2 + 3);
    const shades = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*fill-opacity="0.05"/g)];
    assert.equal(shades.length, 3, 'one shaded steady window per panel');
    // Steady from minute 3 to 10 of 11: the shade starts 3/11 of the way across the 940 px plot.
    assert.ok(Math.abs(Number(shades[0][1]) - (70 + (3 / 11) * 940)) < 0.5, shades[0][1]);
    assert.match(svg, />process 2</);
  });
});
