import assert from 'node:assert/strict';
import { groupOf, summarize } from '../../../scripts/cpuprofile-top.js';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });

describe('cpuprofile-top --by group (the subsystems BENCHMARKS.md compares)', () => {
  it('names the group of script frames by where they live', () => {
    assert.equal(groupOf('encode', 'file:///app/node_modules/@colyseus/schema/build/index.mjs'), 'schema encode');
    assert.equal(groupOf('raw', 'file:///app/node_modules/@colyseus/uwebsockets-transport/build/uWebSocketClient.mjs'), 'uWS send / receive');
    assert.equal(groupOf('_onMessage', 'file:///app/node_modules/@colyseus/core/build/Room.mjs'), 'Colyseus');
    assert.equal(groupOf('parseRow', 'file:///app/node_modules/pg/lib/result.js'), 'Postgres client');
    assert.equal(groupOf('flush', 'file:///app/features/passport/PassportWriter.ts'), 'passport');
    assert.equal(groupOf('rank', 'file:///app/systems/discovery/recommendations.ts'), 'recommendations');
    assert.equal(groupOf('lockOn', 'file:///app/rooms/session/SessionRoom.ts'), 'room logic and features');
    assert.equal(groupOf('(garbage collector)', ''), 'GC');
  });

  it("charges a native frame (a socket writev) to its nearest script caller's group, and sums self time per group", () => {
    const profile = {
      startTime: 0,
      endTime: 4_000, // µs: four samples of 1 ms
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
        { id: 2, callFrame: frame('submit', 'file:///app/node_modules/pg/lib/query.js'), children: [3] },
        { id: 3, callFrame: frame('_writeGeneric', 'node:net'), children: [4] },
        { id: 4, callFrame: frame('writev') },
        { id: 5, callFrame: frame('(garbage collector)') },
        { id: 6, callFrame: frame('lockOn', 'file:///app/rooms/session/SessionRoom.ts') },
      ],
      samples: [4, 4, 5, 6],
      timeDeltas: [1000, 1000, 1000, 1000],
    };
    const { rows } = summarize(profile, 'group');
    assert.deepEqual(
      rows.map((r) => [r.frame, r.percent]),
      [
        ['Postgres client', 50],
        ['GC', 25],
        ['room logic and features', 25],
      ],
    );
  });

  it('cuts a window out of the profile by sample time (a load test after its ramp), and refuses one a profile without sample times cannot give', () => {
    const profile = {
      startTime: 0,
      endTime: 4_000,
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3] },
        { id: 2, callFrame: frame('(garbage collector)') },
        { id: 3, callFrame: frame('lockOn', 'file:///app/rooms/session/SessionRoom.ts') },
      ],
      samples: [2, 2, 2, 3],
      timeDeltas: [1000, 1000, 1000, 1000],
    };
    const { rows, totalMs } = summarize(profile, 'group', '/app', { fromMs: 2.5, toMs: 10 });
    assert.equal(totalMs, 1.5);
    assert.deepEqual(
      rows.map((r) => [r.frame, r.percent]),
      [
        ['GC', 50],
        ['room logic and features', 50],
      ],
    );
    assert.throws(() => summarize({ ...profile, timeDeltas: undefined }, 'group', '/app', { fromMs: 1, toMs: 2 }), /no sample times/);
  });
});
