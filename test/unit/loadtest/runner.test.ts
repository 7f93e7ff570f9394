import assert from 'node:assert/strict';
import { aggregateReports, planBots } from '../../../loadtest/runner.js';
import { emptyCounters, emptyTraffic, encodeHistogram, newHistogram, recordMs } from '../../../loadtest/stats.js';
import type { WorkerReport } from '../../../loadtest/worker.js';

describe('loadtest planning and aggregation', () => {
  const base = { sessions: 90, spectators: 10, rampSec: 10, durationSec: 60, workers: 3, dropFraction: 0.1, lagProbesPerWorker: 2, seed: 7 };

  it('spreads bots evenly over the ramp and the workers', () => {
    const plans = planBots(base, 1000);
    const all = plans.flat().sort((a, b) => a.index - b.index);
    assert.equal(all.length, 100);
    assert.equal(all.filter((b) => b.kind === 'spectator').length, 10);
    assert.deepEqual(
      plans.map((p) => p.length),
      [34, 33, 33],
    );
    assert.equal(all[0].startAt, 1000);
    assert.equal(all[50].startAt, 1000 + 5000);
    assert.ok(all.every((b, i) => i === 0 || b.startAt >= all[i - 1].startAt));
  });

  it('marks a few probes per worker and schedules drops inside the steady window', () => {
    const plans = planBots(base, 0);
    for (const p of plans) assert.ok(p.filter((b) => b.probe).length <= 2);
    const drops = plans.flat().filter((b) => b.dropAt !== undefined);
    assert.ok(drops.length > 0 && drops.length < 30, `drops ${drops.length}`);
    for (const d of drops) {
      assert.equal(d.kind, 'session');
      assert.ok(d.dropAt! >= 10_000 && d.dropAt! <= 10_000 + 48_000);
    }
    assert.deepEqual(planBots(base, 0), plans, 'same seed, same plan');
  });

  it('marks idle sessions (no inputs, no drops) when asked', () => {
    const idle = planBots({ ...base, idleFraction: 0.5 }, 0)
      .flat()
      .filter((b) => b.idle);
    assert.ok(idle.length > 20 && idle.length < 70, `idle ${idle.length}`);
    assert.ok(idle.every((b) => b.kind === 'session' && b.dropAt === undefined));
  });

  it('merges worker reports: counters summed, histograms merged, unavailable coliseum surfaced', () => {
    const report = (connected: number, latency: number, unavailable: string | null): WorkerReport => {
      const counters = emptyCounters();
      counters.sessions.connected = connected;
      const h = newHistogram();
      recordMs(h, latency);
      return {
        workerId: 0,
        counters,
        histograms: { swipeToPatch: encodeHistogram(h) },
        traffic: { session: { ...emptyTraffic(), bytesIn: 100, botSeconds: 1 }, idleSession: emptyTraffic(), spectator: emptyTraffic() },
        eventLoopUtilization: 0.5,
        threadCpuMs: null,
        coliseumUnavailable: unavailable,
        outliers: [],
      };
    };
    const agg = aggregateReports([report(3, 10, null), report(2, 30, 'coliseum unavailable: not defined')]);
    assert.equal(agg.counters.sessions.connected, 5);
    assert.equal(agg.latencyMs.swipeToPatch.count, 2);
    assert.ok(Math.abs(agg.latencyMs.swipeToPatch.max! - 30) < 0.05);
    assert.equal(agg.latencyMs.captureToCaptured.count, 0);
    assert.equal(agg.traffic.session.bytesIn, 200);
    assert.equal(agg.coliseum, 'coliseum unavailable: not defined');
  });
});

describe('machine CPU from /proc/stat', () => {
  it('busy = total − idle − iowait over the first eight columns', async () => {
    const { readProcStat } = await import('../../../loadtest/runner.js');
    assert.deepEqual(readProcStat('cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3\n'), { busy: 150, total: 1000 });
    assert.equal(readProcStat('nothing'), null);
  });
});
