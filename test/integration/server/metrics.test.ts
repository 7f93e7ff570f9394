import assert from 'node:assert/strict';
import { Room, Server } from '@colyseus/core';
import { schema, t, type SchemaType } from '@colyseus/schema';
import { Client } from '@colyseus/sdk';
import { createMetrics, type Metrics } from '../../../src/metrics.js';
import { metricsRoutes } from '../../../src/http/metricsRoutes.js';
import { WebSocketTransport } from '@colyseus/ws-transport';
import http from 'node:http';
import { HttpEdge } from '../../../src/http/edge.js';
import { nodeHttpHandler } from '../../../src/http/nodeHttp.js';
import { loadConfig } from '../../../src/config/config.js';
import { serveDirect } from '../../support/httpRouter.js';
import { createLogger } from '../../../src/logger.js';
import { parsePrometheusText, valueOf } from '../../../loadtest/promText.js';
import { freePort } from '../../support/postgres.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerProcess, type ServerProcess } from '../../support/serverProcess.js';

const TOKEN = 'metrics-test-token-0123456789';
const scrape = async (base: string, token?: string) => fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ProbeState = schema({ n: t.number().default(0) }, 'ProbeState');
type ProbeState = SchemaType<typeof ProbeState>;

/** A room with a 20 ms tick that changes state every tick and answers `ping` with a message. */
class ProbeRoom extends Room<{ state: ProbeState }> {
  override state = new ProbeState();
  override onCreate(): void {
    this.setPatchRate(20);
    this.setSimulationInterval(() => void this.state.n++, 20);
    this.onMessage('ping', (client) => client.send('pong', { at: Date.now() }));
  }
}

describe('metrics: instrumented rooms and GET /metrics (in process)', function () {
  this.timeout(20_000);
  let metrics: Metrics;
  let server: Server;
  let base: string;

  before(async () => {
    metrics = createMetrics();
    metrics.registerPassport(() => ({
      queueDepth: 7,
      maxQueue: 100,
      accepted: 50,
      persisted: 43,
      rejected: 1,
      flushLatencyMsP50: 12,
      flushLatencyMsMax: 40,
      retrying: false,
    }));
    metrics.observeLeaderboardLag(0.4);
    // As the app serves HTTP (src/transport.ts): the edge answers the routes, Colyseus's router the rest.
    const log = createLogger('silent');
    const edge = new HttpEdge(loadConfig({}).http, log);
    edge.serve(metricsRoutes(metrics, TOKEN));
    const httpServer = http.createServer();
    server = new Server({ transport: new WebSocketTransport({ server: httpServer }), greet: false, gracefullyShutdown: false });
    server.define('probe', metrics.instrument('probe', ProbeRoom));
    const port = await freePort();
    await server.listen(port, '127.0.0.1');
    httpServer.removeAllListeners('request');
    httpServer.on('request', nodeHttpHandler(edge, server.router as never));
    base = `http://127.0.0.1:${port}`;
  });

  after(async () => {
    await server?.gracefullyShutdown(false);
    metrics?.close();
  });

  it('answers 401 without a token or with a wrong one, 200 with the admin token', async () => {
    const none = await scrape(base);
    assert.equal(none.status, 401);
    assert.match((await none.json()).message, /Authorization: Bearer/);
    assert.equal((await scrape(base, 'wrong-token-wrong-token')).status, 401);
    assert.equal((await scrape(base, `${TOKEN}x`)).status, 401);
    const ok = await scrape(base, TOKEN);
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(await ok.text(), /^# TYPE ds_rooms gauge$/m); // fetch asked for gzip and decoded it
  });

  it('serves gzip when asked and plain text otherwise', async () => {
    const [route] = metricsRoutes(metrics, TOKEN);
    const call = (encoding?: string) => serveDirect(route, {}, { authorization: `Bearer ${TOKEN}`, ...(encoding ? { 'accept-encoding': encoding } : {}) });
    const zipped = await call('gzip, deflate, br');
    assert.equal(zipped.headers.get('content-encoding'), 'gzip');
    const plain = await call();
    assert.equal(plain.headers.get('content-encoding'), null);
    const raw = Buffer.from(await zipped.arrayBuffer());
    assert.match((await import('node:zlib')).gunzipSync(raw).toString(), /^# TYPE ds_rooms gauge$/m);
    assert.ok(raw.length < 16_384, `gzip body ${raw.length} B`);
  });

  it('counts rooms, clients, ticks, patches and bytes per frame kind of an instrumented room', async () => {
    const room = await new Client(base.replace('http', 'ws')).joinOrCreate('probe');
    const pong = new Promise((resolve) => room.onMessage('pong', resolve));
    room.send('ping');
    await pong;
    await sleep(500);
    const samples = parsePrometheusText(await (await scrape(base, TOKEN)).text());
    assert.equal(valueOf(samples, 'ds_rooms', { room: 'probe' }), 1);
    assert.equal(valueOf(samples, 'ds_room_clients', { room: 'probe' }), 1);
    assert.ok(valueOf(samples, 'ds_room_tick_duration_seconds_count', { room: 'probe' })! >= 5);
    assert.ok(valueOf(samples, 'ds_room_patch_duration_seconds_count', { room: 'probe' })! >= 1); // sampled: 1 patch in 8
    const patchFrames = valueOf(samples, 'ds_room_sent_frames_total', { room: 'probe', kind: 'patch' })!;
    const patchBytes = valueOf(samples, 'ds_room_sent_bytes_total', { room: 'probe', kind: 'patch' })!;
    assert.ok(patchFrames >= 5, `patch frames ${patchFrames}`);
    assert.ok(patchBytes >= patchFrames * 2, `patch bytes ${patchBytes}`);
    assert.equal(valueOf(samples, 'ds_room_sent_frames_total', { room: 'probe', kind: 'full_state' }), 1);
    assert.equal(valueOf(samples, 'ds_room_sent_frames_total', { room: 'probe', kind: 'message' }), 1);
    await room.leave(true);
    await sleep(1500); // auto-dispose
    const after = parsePrometheusText(await (await scrape(base, TOKEN)).text());
    assert.equal(valueOf(after, 'ds_rooms', { room: 'probe' }), 0);
    assert.equal(valueOf(after, 'ds_room_clients', { room: 'probe' }), 0);
  });

  it('exposes passport stats, leaderboard lag, event-loop delay and process metrics', async () => {
    const text = await (await scrape(base, TOKEN)).text();
    const samples = parsePrometheusText(text);
    assert.equal(valueOf(samples, 'ds_passport_queue_depth'), 7);
    assert.equal(valueOf(samples, 'ds_passport_events_accepted_total'), 50);
    assert.equal(valueOf(samples, 'ds_passport_events_persisted_total'), 43);
    assert.equal(valueOf(samples, 'ds_passport_events_rejected_total'), 1);
    assert.equal(valueOf(samples, 'ds_passport_flush_latency_p50_seconds'), 0.012);
    assert.equal(valueOf(samples, 'ds_leaderboard_update_lag_seconds_count'), 1);
    for (const name of ['ds_event_loop_delay_seconds', 'process_cpu_seconds_total', 'process_resident_memory_bytes'])
      assert.ok(valueOf(samples, name) !== null, name);
  });

  it('reports the heap just after the latest collection, below the heap and the RSS', async () => {
    // Short-lived garbage well past the young generation: at least one collection runs.
    let keep = 0;
    for (let i = 0; i < 200; i++) keep += new Array(100_000).fill(i).length;
    assert.ok(keep > 0);
    await sleep(50);
    const samples = parsePrometheusText(await (await scrape(base, TOKEN)).text());
    const afterGc = valueOf(samples, 'ds_heap_used_after_gc_bytes');
    assert.ok(afterGc !== null && afterGc > 2 ** 20, `ds_heap_used_after_gc_bytes ${afterGc}`);
    assert.ok(afterGc < valueOf(samples, 'process_resident_memory_bytes')!);
    assert.ok(afterGc <= valueOf(samples, 'nodejs_heap_size_total_bytes')!);
  });

  it('is off (404 saying how to enable it) without ADMIN_TOKEN', async () => {
    const [route] = metricsRoutes(metrics, undefined);
    const res = await serveDirect(route, {}, { authorization: `Bearer ${TOKEN}` });
    assert.equal(res.status, 404);
    assert.match((await res.json()).message, /set ADMIN_TOKEN/);
  });

  it('keeps registries independent (several Metrics in one process)', async () => {
    const other = createMetrics({ defaultMetrics: true });
    try {
      assert.doesNotThrow(() => other.registerPassport(() => ({ queueDepth: 0, maxQueue: 1, accepted: 0, persisted: 0 })));
      assert.throws(() => other.registerPassport(() => ({ queueDepth: 0, maxQueue: 1, accepted: 0, persisted: 0 })), /already/);
      assert.equal(valueOf(parsePrometheusText(await other.registry.metrics()), 'ds_passport_queue_depth'), 0);
    } finally {
      other.close();
    }
  });
});

describe('metrics: GET /metrics on the real server process', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let server: ServerProcess;

  before(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({ DATABASE_URL: db.url, TRANSPORT: 'ws', REDIS_URL: undefined, ADMIN_TOKEN: TOKEN });
  });

  after(async () => {
    const code = await server?.stop('SIGTERM');
    assert.equal(code, 0, server?.output());
    await db?.drop();
  });

  it('401 without the token, 200 with it, and every metric family named', async () => {
    assert.equal((await scrape(server.baseUrl)).status, 401, 'GET /metrics must be wired in src/app.ts (metricsRoutes)');
    assert.equal((await scrape(server.baseUrl, 'not-the-admin-token')).status, 401);
    const res = await scrape(server.baseUrl, TOKEN);
    assert.equal(res.status, 200);
    const text = await res.text();
    for (const name of [
      'ds_rooms',
      'ds_room_clients',
      'ds_room_tick_duration_seconds',
      'ds_room_sent_bytes_total',
      'ds_passport_queue_depth',
      'ds_passport_events_persisted_total',
      'ds_leaderboard_update_lag_seconds',
      'ds_event_loop_delay_seconds',
      'ds_heap_used_after_gc_bytes',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
    ]) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), `missing ${name}`);
    }
  });
});
