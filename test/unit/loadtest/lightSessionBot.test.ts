import assert from 'node:assert/strict';
import { Protocol } from '@colyseus/shared-types';
import { unpack } from 'msgpackr';
import { PROTOCOL, decodeRoomMessage, encodeRoomMessage } from '../../../loadtest/lightSessionBot.js';
import { planBots } from '../../../loadtest/runner.js';
import { parseArgs } from '../../../loadtest/args.js';

describe('light session bots (raw WebSocket)', () => {
  it('speak the protocol codes of the Colyseus version installed', () => {
    for (const [name, code] of Object.entries(PROTOCOL)) assert.equal(code, (Protocol as Record<string, number>)[name], name);
  });

  it('encode a room message as ROOM_DATA + msgpack type + msgpack payload, as the SDK does', () => {
    const frame = encodeRoomMessage('swipe', { direction: 'left', velocity: 850 });
    assert.equal(frame[0], Protocol.ROOM_DATA);
    assert.equal(frame[1], 0xa0 | 5); // fixstr of 5 bytes
    assert.equal(frame.toString('utf8', 2, 7), 'swipe');
    assert.deepEqual(unpack(frame.subarray(7)), { direction: 'left', velocity: 850 });
  });

  it('read the type of any server message, and the payload only when asked', () => {
    const locked = encodeRoomMessage('locked', { artistId: 'artist_wizkid', frequency: 99.9 });
    assert.deepEqual(
      decodeRoomMessage(locked, (t) => t === 'locked'),
      { type: 'locked', payload: { artistId: 'artist_wizkid', frequency: 99.9 } },
    );
    assert.deepEqual(
      decodeRoomMessage(locked, () => false),
      { type: 'locked' },
    );
    const long = encodeRoomMessage('x'.repeat(40), 1);
    assert.equal(decodeRoomMessage(long, () => false)?.type, 'x'.repeat(40)); // str8
    assert.equal(
      decodeRoomMessage(Buffer.from([Protocol.ROOM_STATE_PATCH, 1, 2]), () => true),
      null,
    );
  });

  it('are planned for all but the measured fraction; only measured bots drop', () => {
    const plans = planBots(
      { sessions: 2000, spectators: 0, rampSec: 10, durationSec: 60, workers: 2, dropFraction: 0.2, lagProbesPerWorker: 0, seed: 3, measureFraction: 0.05 },
      0,
    ).flat();
    const measured = plans.filter((b) => !b.light).length;
    assert.ok(measured > 60 && measured < 140, `measured ${measured} of 2000`);
    assert.equal(plans.filter((b) => b.light && b.dropAt !== undefined).length, 0);
    assert.ok(plans.some((b) => !b.light && b.dropAt !== undefined));
    assert.deepEqual(
      planBots(
        { sessions: 2000, spectators: 0, rampSec: 10, durationSec: 60, workers: 2, dropFraction: 0.2, lagProbesPerWorker: 0, seed: 3, measureFraction: 0.05 },
        0,
      ).flat(),
      plans,
      'same seed, same plan',
    );
  });

  it('default: every bot measures up to 200 sessions, 5 % above', () => {
    assert.equal(parseArgs(['--sessions', '200']).measureFraction, 1);
    assert.equal(parseArgs(['--sessions', '201']).measureFraction, 0.05);
    assert.equal(parseArgs(['--sessions', '5000', '--measure-fraction', '0.2']).measureFraction, 0.2);
  });
});

describe('load test against several processes', () => {
  it('--processes needs --spawn, and bots are spread over the processes by index', async () => {
    assert.throws(() => parseArgs(['--processes', '2']), /--processes needs --spawn/);
    assert.equal(parseArgs(['--spawn', 'uws', '--processes', '3']).processes, 3);
    const { WorkerContext } = await import('../../../loadtest/context.js');
    const ctx = new WorkerContext(
      { workerId: 0, runId: 'r', url: 'ws://a', urls: ['ws://a', 'ws://b'], patchHz: 20, window: 'all', seed: 1 },
      { bots: [], windowStart: 0, windowEnd: 1, graceMs: 0 },
    );
    assert.deepEqual(
      [0, 1, 2, 3].map((index) => ctx.urlFor({ index, kind: 'session', startAt: 0 })),
      ['ws://a', 'ws://b', 'ws://a', 'ws://b'],
    );
  });

  it('sums CPU, clients and passport counts over processes, and keeps the worst latency', async () => {
    const { combineServers } = await import('../../../loadtest/runner.js');
    const part = (cpu: number, clients: number, loop: number) => ({
      available: true,
      cpuPercentAvg: cpu,
      cpuPercentMax: cpu + 5,
      rssMbMax: 300,
      eventLoopDelayMaxMs: loop,
      sessionClients: clients,
      sessionRooms: clients,
      passport: {
        acceptedInWindow: 10,
        persistedInWindow: 9,
        acceptedTotal: 20,
        persistedTotal: 19,
        rejectedTotal: 0,
        queueDepthMax: 3,
        queueDepthEnd: 0,
        flushLatencyP50Ms: 2,
        flushLatencyMaxMs: 5,
      },
    });
    const both = combineServers([part(20, 100, 30), part(25, 120, 12)]);
    assert.equal(both.cpuPercentAvg, 45);
    assert.equal(both.sessionClients, 220);
    assert.equal(both.eventLoopDelayMaxMs, 30);
    assert.equal(both.passport?.acceptedInWindow, 20);
    assert.equal(both.rssMbMax, 600);
    assert.equal(combineServers([part(1, 1, 1), { available: false, reason: 'down' }]).available, false);
  });
});
