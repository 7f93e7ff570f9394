import assert from 'node:assert/strict';
import { ArgsError, parseArgs } from '../../../loadtest/args.js';
import { planSlots } from '../../../loadtest/soak.js';
import { processSampleOf, subscriptionsOf, type SoakSample } from '../../../loadtest/soakProbe.js';
import { formatVerdict, judgeSoak } from '../../../loadtest/soakVerdict.js';

/** A sample with every quantity at a flat level; `over` changes some. */
function sample(t: number, phase: SoakSample['phase'], over: Partial<SoakSample> = {}): SoakSample {
  const busy = phase === 'steady' || phase === 'warmup';
  const base = {
    rssMb: 400,
    heapUsedMb: 150,
    heapAfterGcMb: 120,
    handles: busy ? 20 : 12,
    timers: busy ? 40 : 22,
    rooms: busy ? 100 : 0,
    sessionRooms: busy ? 100 : 0,
    sessionClients: busy ? 100 : 0,
  };
  const s = {
    t,
    phase,
    population: busy ? 100 : 0,
    ...base,
    redisKeys: 200,
    redisChannels: busy ? 110 : 10,
    redisPatterns: 0,
    redisClients: 10,
    pubsubChannelsAll: 12,
    pubsubPatternsAll: 0,
    pgConnections: busy ? 12 : 3,
    processes: [],
    ...over,
  };
  // One process unless told otherwise: it has the sample's own figures.
  return {
    ...s,
    processes: over.processes ?? [
      {
        rssMb: s.rssMb,
        heapUsedMb: s.heapUsedMb,
        heapAfterGcMb: s.heapAfterGcMb,
        handles: s.handles,
        timers: s.timers,
        rooms: s.rooms,
        sessionRooms: s.sessionRooms,
        sessionClients: s.sessionClients,
      },
    ],
  };
}

/** idle ×2, steady ×20 (t 10…105), drain ×2; `steady(i)` overrides the i-th steady sample. */
function run(steady: (i: number) => Partial<SoakSample> = () => ({}), drain: Partial<SoakSample> = {}): SoakSample[] {
  return [
    sample(0, 'idle'),
    sample(1, 'idle'),
    ...Array.from({ length: 20 }, (_, i) => sample(10 + i * 5, 'steady', steady(i))),
    sample(120, 'drain', drain),
    sample(125, 'drain', drain),
  ];
}

describe('soak pass rule', () => {
  it('passes a population whose every quantity comes back, baseline and end windows a quarter of the steady samples each', () => {
    const v = judgeSoak(run((i) => ({ rssMb: 400 + (i % 3) * 10, heapUsedMb: 150 + (i % 4) * 30 })));
    assert.equal(v.pass, true, formatVerdict(v));
    assert.deepEqual(v.windows, { baseline: [10, 30], end: [85, 105], samples: 5 });
    assert.match(formatVerdict(v), /^PASS: every quantity within its limit/m);
  });

  it("fails RSS that climbs more than 10 % past its baseline window's peak and says by how much", () => {
    const v = judgeSoak(run((i) => ({ rssMb: 400 + i * 5 })));
    assert.equal(v.pass, false);
    const rss = v.checks.find((c) => c.key === 'rssMb')!;
    assert.deepEqual([rss.baseline, rss.end, rss.limit], [420, 485, 462]);
    assert.match(v.reason, /RSS MB \(peak → median\) \(steady\): 485 > 462/);
    assert.equal(judgeSoak(run((i) => ({ rssMb: i === 2 ? 450 : i < 5 ? 300 : 440 }))).pass, true, 'back to an earlier peak is not growth');
  });

  it('takes RSS back to the peak it had once warm, so regrowth after V8 returned pages is not a leak; more than that is', () => {
    // Warm-up peaks at 330 MB, V8 returns pages (260 MB) as the baseline window starts, the process grows back.
    const withWarmup = (end: number) => [
      sample(0, 'idle'),
      sample(1, 'idle'),
      ...Array.from({ length: 4 }, (_, i) => sample(2 + i, 'warmup', { rssMb: 300 + i * 10 })),
      ...Array.from({ length: 20 }, (_, i) => sample(10 + i * 5, 'steady', { rssMb: i < 5 ? 260 : end })),
      sample(120, 'drain'),
      sample(125, 'drain'),
    ];
    const back = judgeSoak(withWarmup(331));
    assert.equal(back.pass, true, formatVerdict(back));
    assert.equal(back.checks.find((c) => c.key === 'rssMb')!.baseline, 330);
    const grown = judgeSoak(withWarmup(380));
    assert.equal(grown.pass, false);
    assert.match(grown.reason, /RSS MB \(peak → median\) \(steady\): 380 > 363/);
  });

  it("reads the heap just after collections at each window's lowest, so the sawtooth is not growth", () => {
    const sawtooth = judgeSoak(run((i) => ({ heapAfterGcMb: i % 4 === 0 ? 120 : 200 })));
    assert.equal(sawtooth.pass, true, formatVerdict(sawtooth));
    const floorRises = judgeSoak(run((i) => ({ heapAfterGcMb: i >= 15 ? 150 : 120 })));
    assert.equal(floorRises.pass, false);
    assert.match(floorRises.reason, /heap after GC MB \(low\) \(steady\): 150 > 132/);
  });

  it('judges memory per process: two sawtooths out of phase pass, one process growing fails and is named', () => {
    const proc = (heapAfterGcMb: number, rssMb = 300) => ({
      rssMb,
      heapUsedMb: 100,
      heapAfterGcMb,
      handles: 10,
      timers: 20,
      rooms: 50,
      sessionRooms: 50,
      sessionClients: 50,
    });
    const outOfPhase = judgeSoak(
      run((i) => ({ processes: [proc(i % 2 ? 60 : 100), proc(i % 2 ? 100 : 60)] })),
      2,
    );
    assert.equal(outOfPhase.pass, true, formatVerdict(outOfPhase));
    const second = judgeSoak(
      run((i) => ({ processes: [proc(60), proc(i >= 15 ? 80 : 60)] })),
      2,
    );
    assert.equal(second.pass, false);
    assert.match(second.reason, /heap after GC MB \(low\), process 2 \(steady\): 80 > 66/);
  });

  it('gives small counts an absolute slack: 2 more handles pass, 12 more at one process do not', () => {
    assert.equal(judgeSoak(run((i) => ({ handles: i >= 15 ? 22 : 20 }))).pass, true);
    const v = judgeSoak(run((i) => ({ handles: i >= 15 ? 34 : 20 })));
    assert.equal(v.pass, false);
    assert.match(v.reason, /active handles \(steady\): 34 > 33/);
  });

  it('fails when subscriptions or rooms are not back at their idle level after the drain', () => {
    const v = judgeSoak(run(undefined, { redisChannels: 25, sessionRooms: 1 }));
    assert.equal(v.pass, false);
    assert.match(v.reason, /Redis channel subscriptions \(drained\): 25 > 11/);
    assert.match(v.reason, /session rooms \(drained\): 1 > 0/);
  });

  it('leaves Redis checks out without Redis and fails a run too short to judge', () => {
    const noRedis = judgeSoak(run(() => ({ redisKeys: null, redisChannels: null }), { redisChannels: null }));
    assert.equal(noRedis.pass, true, formatVerdict(noRedis));
    assert.equal(noRedis.checks.find((c) => c.key === 'redisKeys')!.note, 'not measured (no Redis, or unreadable)');
    const short = judgeSoak(run().filter((s) => s.t < 40 || s.phase !== 'steady'));
    assert.equal(short.pass, false);
    assert.match(short.reason, /too few steady samples \(6, need 8\)/);
  });
});

describe('soak probe parsing', () => {
  it('sums channel and pattern subscriptions of the connections on one Redis database', () => {
    const list = [
      'id=1 addr=x db=11 sub=3 psub=0 cmd=subscribe',
      'id=2 addr=y db=11 sub=0 psub=1 cmd=psubscribe',
      'id=3 addr=z db=0 sub=9 psub=9 cmd=subscribe',
      'id=4 addr=w db=11 sub=0 psub=0 cmd=client',
    ].join('\n');
    assert.deepEqual(subscriptionsOf(list, 11), { channels: 3, patterns: 1, clients: 3 });
  });

  it('reads RSS, heap, handles, timers and rooms from the /metrics text', () => {
    const text = [
      'process_resident_memory_bytes 419430400',
      'nodejs_heap_size_used_bytes 157286400',
      'ds_heap_used_after_gc_bytes 104857600',
      'nodejs_active_handles_total 17',
      'nodejs_active_resources{type="Timeout"} 31',
      'nodejs_active_resources{type="TCPWRAP"} 9',
      'nodejs_active_resources_total 40',
      'ds_rooms{room="session"} 90',
      'ds_rooms{room="coliseum"} 1',
      'ds_room_clients{room="session"} 88',
    ].join('\n');
    assert.deepEqual(processSampleOf(text), {
      rssMb: 400,
      heapUsedMb: 150,
      heapAfterGcMb: 100,
      handles: 17,
      timers: 31,
      rooms: 91,
      sessionRooms: 90,
      sessionClients: 88,
    });
    assert.equal(processSampleOf('nodejs_active_resources_total 3').timers, 0);
    assert.equal(processSampleOf('ds_heap_used_after_gc_bytes 0').heapAfterGcMb, null, 'no collection yet');
    assert.equal(processSampleOf(null).rssMb, null);
  });
});

describe('soak arguments and plan', () => {
  it('--soak spawns uws, drops and reconnects a fifth of the lives, warms up a fifth of the run', () => {
    const o = parseArgs(['--soak', '--minutes', '10', '--sessions', '150'], {});
    assert.equal(o.spawn, 'uws');
    assert.equal(o.dropFraction, 0.2);
    assert.deepEqual(o.soak, { minutes: 10, sampleSec: 5, warmupSec: 120, lifeSec: [15, 45] });
    assert.equal(parseArgs(['--soak', '--minutes', '2'], {}).soak!.warmupSec, 30);
    assert.deepEqual(parseArgs(['--soak', '--life', '5,9', '--sample-every', '2', '--warmup', '10', '--drop-fraction', '0'], {}).soak!.lifeSec, [5, 9]);
  });

  it('rejects soak flags without --soak and a soak with spectators or an inverted life', () => {
    assert.throws(
      () => parseArgs(['--minutes', '3'], {}),
      (e: Error) => e instanceof ArgsError && /--minutes needs --soak/.test(e.message),
    );
    assert.throws(() => parseArgs(['--soak', '--spectators', '5'], {}), /session listeners only/);
    assert.throws(() => parseArgs(['--soak', '--life', '30,10'], {}), /MIN ≤ MAX/);
  });

  it('spreads slots over workers and the ramp, each with two users of its own', () => {
    const plans = planSlots(6, 2, 3, 1000);
    assert.deepEqual(
      plans.map((p) => p.map((s) => s.index)),
      [
        [0, 2, 4],
        [1, 3, 5],
      ],
    );
    assert.deepEqual(
      plans
        .flat()
        .sort((a, b) => a.index - b.index)
        .map((s) => s.startAt),
      [1000, 1500, 2000, 2500, 3000, 3500],
    );
    const secrets = plans.flat().flatMap((s) => s.secrets);
    assert.equal(new Set(secrets).size, 12);
  });
});
