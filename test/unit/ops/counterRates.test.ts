import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { createRoomTraffic } from '../../../src/metrics.js';
import { createHttpMetrics } from '../../../src/http/httpMetrics.js';
import { CounterRates, sumRates } from '../../../features/ops/counterRates.js';
import type { CounterRatesView } from '../../../systems/ops/answers.js';

const T0 = 1_700_000_000_000;
/** [labels as `key=value` sorted by key, count, perSec]. */
const rows = (view: CounterRatesView, group: 'messages' | 'errors' | 'connections' | 'http') =>
  view[group].map((r) => [
    Object.entries(r.labels)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
    r.count,
    r.perSec,
  ]);

describe('ops counter rates (features/ops/counterRates.ts): per-second rates of the room and HTTP counters', () => {
  it('rates over the last minute from counter deltas, by label set, highest first', async () => {
    const registry = new Registry();
    const traffic = createRoomTraffic(registry);
    const http = createHttpMetrics(registry);
    const rates = new CounterRates(registry, { windowMs: 60_000, maxSnapshots: 120 });
    traffic.inbound('session', 'tune'); // before the first sample: not in any rate
    assert.deepEqual(await rates.sample(T0), { windowSec: 0, messages: [], errors: [], connections: [], http: [] });

    for (let i = 0; i < 30; i++) traffic.inbound('session', 'swipe');
    for (let i = 0; i < 6; i++) traffic.inbound('session', 'unknown');
    traffic.errorReply('session', 'RATE_LIMITED');
    traffic.errorReply('session', 'RATE_LIMITED');
    traffic.connection('session', 'join');
    traffic.connection('coliseum', 'join');
    traffic.connection('session', 'leave');
    for (let i = 0; i < 12; i++) http.observe('/api/stations/:frequency', 'GET', 200, 0.002);
    http.observe('/api/stations/:frequency', 'GET', 404, 0.001);
    const view = await rates.sample(T0 + 6_000);
    assert.equal(view.windowSec, 6);
    assert.deepEqual(rows(view, 'messages'), [
      ['room=session type=swipe', 30, 5],
      ['room=session type=unknown', 6, 1],
    ]);
    assert.deepEqual(rows(view, 'errors'), [['code=RATE_LIMITED room=session', 2, 0.333]]);
    assert.deepEqual(
      rows(view, 'connections')
        .map((r) => r[0])
        .sort(),
      ['event=join room=coliseum', 'event=join room=session', 'event=leave room=session'],
    );
    assert.deepEqual(rows(view, 'http'), [
      ['endpoint=GET /api/stations/:frequency status_class=2xx', 12, 2],
      ['endpoint=GET /api/stations/:frequency status_class=4xx', 1, 0.167],
    ]);
  });

  it('forgets what happened before the window: a burst 2 minutes ago has no rate now', async () => {
    const registry = new Registry();
    const traffic = createRoomTraffic(registry);
    const rates = new CounterRates(registry, { windowMs: 60_000, maxSnapshots: 120 });
    await rates.sample(T0);
    for (let i = 0; i < 100; i++) traffic.inbound('session', 'swipe');
    for (let t = 1; t <= 120; t++) {
      if (t === 90) for (let i = 0; i < 60; i++) traffic.inbound('session', 'tune');
      await rates.sample(T0 + t * 1000);
    }
    const view = await rates.sample(T0 + 121_000);
    assert.equal(view.windowSec, 60);
    assert.deepEqual(rows(view, 'messages'), [['room=session type=tune', 60, 1]], 'the swipes at t=0 left the window; the tunes at t=90 s are in it');
  });

  it('keeps a bounded number of snapshots and counts a counter that went down from zero', async () => {
    const registry = new Registry();
    const traffic = createRoomTraffic(registry);
    const rates = new CounterRates(registry, { windowMs: 60_000, maxSnapshots: 5 });
    for (let t = 0; t < 20; t++) await rates.sample(T0 + t * 1000);
    assert.equal((rates as unknown as { snapshots: unknown[] }).snapshots.length, 5);
    traffic.inbound('session', 'swipe');
    assert.equal((await rates.sample(T0 + 20_000)).windowSec, 4, 'with 5 snapshots the window is 4 s long');
    registry.resetMetrics();
    traffic.inbound('session', 'tune');
    assert.deepEqual(rows(await rates.sample(T0 + 21_000), 'messages'), [['room=session type=tune', 1, 0.25]]);
  });

  it('adds up the processes of a cluster per label set', () => {
    const a: CounterRatesView = {
      windowSec: 60,
      messages: [{ labels: { room: 'session', type: 'swipe' }, count: 60, perSec: 1 }],
      errors: [],
      connections: [],
      http: [],
    };
    const b: CounterRatesView = {
      windowSec: 59,
      messages: [
        { labels: { type: 'swipe', room: 'session' }, count: 120, perSec: 2 },
        { labels: { room: 'session', type: 'tune' }, count: 6, perSec: 0.1 },
      ],
      errors: [],
      connections: [],
      http: [],
    };
    const sum = sumRates([a, null, b])!;
    assert.equal(sum.windowSec, 60);
    assert.deepEqual(rows(sum, 'messages'), [
      ['room=session type=swipe', 180, 3],
      ['room=session type=tune', 6, 0.1],
    ]);
    assert.equal(sumRates([null, undefined]), null);
  });
});
