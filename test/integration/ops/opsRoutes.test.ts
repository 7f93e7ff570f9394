import assert from 'node:assert/strict';
import { LocalLeaderboardStore } from '../../../persistence/leaderboard/LocalLeaderboardStore.js';
import { readKpis } from '../../../features/leaderboard/boards.js';
import { KPI_LEADERBOARD } from '../../../systems/leaderboard/countingRules.js';
import pino from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';
import { buildRouter } from '../../support/httpRouter.js';
import { opsRoutes } from '../../../src/http/opsRoutes.js';
import { OpsMonitor, ratePerSec, sumRooms } from '../../../features/ops/OpsMonitor.js';
import { ProcessRegistry } from '../../../features/ops/processRegistry.js';
import { localBackplane } from '../../support/backplanes.js';
import { monitorCookieValid, monitorCookieValue } from '../../../features/auth/adminToken.js';
import { promStatsReader, quantileBetween } from '../../../features/ops/promStats.js';
import type { DiaReader, OpsSources, ProcessStatsInput, RoomListing } from '../../../features/ops/types.js';
import { InvalidCursorError } from '../../../persistence/ops/OpsRepository.js';
import { jsonOf } from '../../support/http.js';
import { createMetrics } from '../../../src/metrics.js';

const TOKEN = 'test-admin-token-0123456789';
const USER = '3f1c2b4a-1111-4222-8333-944455556666';

function fakeSources(clock: { now: number }, stats: ProcessStatsInput, rooms: RoomListing[], calls: { rooms: number }): OpsSources {
  const dia: DiaReader = {
    findUsers: async (q) =>
      q === 'dev-1'
        ? [
            {
              id: USER,
              deviceId: 'dev-1',
              firstLaunch: false,
              city: null,
              createdAt: 'c',
              lastSeenAt: 'l',
              displayName: null,
              email: null,
              deviceModel: null,
              sessionCount: 0,
            },
          ]
        : [],
    listUsers: async () => ({ users: [], nextCursor: null }),
    userDetail: async (id) =>
      id === USER
        ? {
            user: {
              id,
              deviceId: 'dev-1',
              firstLaunch: false,
              city: null,
              createdAt: 'c',
              lastSeenAt: 'l',
              displayName: null,
              email: null,
              deviceModel: null,
              sessionCount: 0,
            },
            sessions: [],
            badges: [],
            constellation: { stars: [], connections: [] },
            passportEntries: 0,
          }
        : null,
    timeline: async (_id, q = {}) => {
      if (q.before === 'bad') throw new InvalidCursorError();
      return { entries: [], nextCursor: null, echo: q } as never;
    },
    systemCounts: async () => ({ totalUsers: 1, activeToday: 1, openSessions: 0, interactions24h: 5, captures24h: 0, deadLetters: 0 }),
    activity: async (_id, q) => ({ entries: [], cursor: q.after, windowSec: q.windowSec, truncated: false }),
  };
  return {
    process: { processId: 'proc-1', publicAddress: null, transport: 'ws', startedAt: clock.now - 5000, role: { rooms: false, jobs: true } },
    summary: () => ({ ...stats, passport: stats.passport ? { ...stats.passport } : null }),
    health: async () => ({ database: 'up', redis: 'not_configured' }),
    rooms: async () => {
      calls.rooms++;
      return rooms;
    },
    localRooms: () => sumRooms(rooms.filter((r) => r.processId === 'proc-1').map((r) => ({ [r.name]: { rooms: 1, clients: r.clients } }))),
    inspectRoom: async (id) => (id === 'r1' ? { roomId: 'r1', state: { dial: { frequency: 99.9 } } } : null),
    disposeRoom: async (id) => id === 'r1',
    kickClient: async (id, sessionId) => (id !== 'r1' ? 'no_room' : sessionId === 's1' ? 'kicked' : 'no_client'),
    dia,
    registry: new ProcessRegistry(localBackplane()),
    now: () => clock.now,
  };
}

describe('ops API routes (auth, live view, DIA, monitor gate)', () => {
  const clock = { now: Date.parse('2025-06-01T12:00:00Z') };
  const stats: ProcessStatsInput = {
    tickMsP99: 1.5,
    patchBytesTotal: 10_000,
    leaderboardLagMs: 250,
    passport: {
      queueDepth: 4,
      maxQueue: 100,
      persisted: 1000,
      rejected: 0,
      deadLettered: 0,
      flushLatencyMsP50: 3,
      flushLatencyMsMax: 12,
      lastError: null,
      lastErrorAt: null,
      retrying: false,
    },
  };
  const rooms: RoomListing[] = [
    { roomId: 'r1', name: 'session', processId: 'proc-1', clients: 1, maxClients: 1 },
    { roomId: 'r2', name: 'session', processId: 'proc-1', clients: 1, maxClients: 1 },
    { roomId: 'r3', name: 'coliseum', processId: 'proc-1', clients: 5, maxClients: 100 },
    { roomId: 'r4', name: 'session', processId: 'other', clients: 1, maxClients: 1 },
  ];
  const calls = { rooms: 0 };
  let monitor: OpsMonitor;
  let router: { handler(r: Request): Promise<Response> };
  const log = pino({ level: 'silent' });

  const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token !== null) headers.set('authorization', `Bearer ${init.token ?? TOKEN}`);
    return router.handler(new Request(`http://localhost${path}`, { ...init, headers }));
  };

  before(async () => {
    monitor = new OpsMonitor(fakeSources(clock, stats, rooms, calls), { sampleMs: 1000, historyMinutes: 15 });
    router = buildRouter(opsRoutes(monitor, TOKEN, log), log) as never;
    await monitor.sample();
    clock.now += 2000;
    stats.patchBytesTotal = 14_000;
    stats.passport!.persisted = 1100;
    await monitor.sample();
  });

  it('answers 401 with no data and a WWW-Authenticate header without the token, or with a wrong one', async () => {
    for (const token of [null, 'wrong-token-wrong-token', `${TOKEN}x`]) {
      for (const path of [
        '/api/ops/overview',
        '/api/ops/history',
        '/api/ops/system',
        '/api/ops/rooms',
        '/api/ops/rooms/r1',
        `/api/ops/users?q=dev-1`,
        `/api/ops/users/${USER}`,
        `/api/ops/users/${USER}/timeline`,
      ]) {
        const res = await call(path, { token });
        assert.equal(res.status, 401, `${path} with ${token}`);
        assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
        const body = await jsonOf(res);
        assert.deepEqual(Object.keys(body).sort(), ['error', 'message']);
      }
    }
    const post = await call('/api/ops/monitor-session', { method: 'POST', token: null });
    assert.equal(post.status, 401);
    assert.equal(post.headers.get('set-cookie'), null);
  });

  it('is disabled (503) for everyone when no ADMIN_TOKEN is configured', async () => {
    const off = buildRouter(opsRoutes(monitor, undefined, log), log) as never as typeof router;
    for (const path of ['/api/ops/overview', '/monitor']) {
      const res = await off.handler(new Request(`http://localhost${path}`, { headers: { authorization: 'Bearer undefined' } }));
      assert.equal(res.status, 503);
      assert.equal((await jsonOf(res)).error, 'OPS_DISABLED');
    }
  });

  it('serves the live overview: rooms by type of this process, derived rates, health', async () => {
    const res = await call('/api/ops/overview');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const o = await jsonOf(res);
    assert.equal(o.self, 'proc-1');
    assert.deepEqual(o.health, { database: 'up', redis: 'not_configured' });
    assert.deepEqual(o.totals.rooms, { session: { rooms: 2, clients: 2 }, coliseum: { rooms: 1, clients: 5 } });
    assert.equal(o.totals.ccu, 7);
    assert.equal(o.totals.eventsPerSec, 50); // 100 events over 2 s
    // The heartbeat counts this process's rooms in memory: sampling never lists the cluster's rooms
    // (with the Redis driver that was an HGETALL of every room, once a second per process).
    assert.equal(calls.rooms, 0);
    const [p] = o.processes;
    assert.equal(p.patchBytesPerSec, 2000);
    assert.equal(p.passport.persistedPerSec, 50);
    assert.equal(p.passport.queueDepth, 4);
    assert.equal(p.tickMsP99, 1.5);
    assert.equal(p.leaderboardLagMs, 250);
    assert.equal(p.uptimeSec, 7);
    assert.deepEqual(p.role, { rooms: false, jobs: true }, 'the row says what the process runs');
  });

  it('keeps a cluster history for the chart', async () => {
    const { points, sampleMs } = await jsonOf(await call('/api/ops/history?minutes=5'));
    assert.equal(sampleMs, 1000);
    assert.equal(points.length, 2);
    assert.deepEqual(points[1], { t: Math.round(clock.now / 1000), eventsPerSec: 50, ccu: 7 });
    assert.equal((await call('/api/ops/history?minutes=0')).status, 400);
    assert.equal((await call('/api/ops/history?minutes=abc')).status, 400);
  });

  it('lists and inspects rooms; a gone room is 404', async () => {
    assert.equal((await jsonOf(await call('/api/ops/rooms'))).rooms.length, 4);
    assert.deepEqual((await jsonOf(await call('/api/ops/rooms/r1'))).state, { dial: { frequency: 99.9 } });
    assert.equal((await call('/api/ops/rooms/nope')).status, 404);
  });

  it('DIA: search, detail, timeline with validated parameters', async () => {
    assert.equal((await jsonOf(await call('/api/ops/users?q=dev-1'))).users[0].id, USER);
    assert.ok(Array.isArray((await jsonOf(await call('/api/ops/users?q='))).users), 'an empty search is no search: the list');
    assert.equal((await call(`/api/ops/users?q=${'x'.repeat(255)}`)).status, 400);
    assert.equal((await jsonOf(await call(`/api/ops/users/${USER}`))).user.deviceId, 'dev-1');
    assert.equal((await call('/api/ops/users/3f1c2b4a-1111-4222-8333-000000000000')).status, 404);
    assert.equal((await call('/api/ops/users/not-a-uuid')).status, 400);
    const page = await jsonOf(await call(`/api/ops/users/${USER}/timeline?limit=20&types=station.visited,badge.earned&before=abc`));
    assert.deepEqual(page.echo, { before: 'abc', limit: 20, types: ['station.visited', 'badge.earned'] });
    assert.equal((await call(`/api/ops/users/${USER}/timeline?before=bad`)).status, 400);
    assert.equal((await call(`/api/ops/users/${USER}/timeline?types=DROP%20TABLE`)).status, 400);
    assert.equal((await call(`/api/ops/users/${USER}/timeline?limit=500`)).status, 400);
    assert.equal((await jsonOf(await call('/api/ops/system'))).interactions24h, 5);
  });

  it('gates the Colyseus monitor: 401 without credentials, served with the Bearer token or the signed cookie', async () => {
    const anonymous = await call('/monitor/api', { token: null });
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error: string }).error, 'UNAUTHORIZED', 'the API answers a coded JSON 401');
    const signInPage = await call('/monitor', { token: null });
    assert.equal(signInPage.status, 401);
    assert.match(signInPage.headers.get('content-type') ?? '', /^text\/html/);
    // The console's sign-in form (the /ops shell) when the web bundle is built, else a page that links to it.
    assert.match(await signInPage.text(), /<form id="login-form"|<a href="\/ops">Sign in on \/ops<\/a>/, 'a person who opens /monitor gets the ops sign-in');
    const session = await call('/api/ops/monitor-session', { method: 'POST' });
    assert.equal(session.status, 204);
    const cookie = session.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^ds_ops_monitor=[^;]+; Path=\/monitor; Max-Age=3600; HttpOnly; SameSite=Strict$/);
    assert.ok(!cookie.includes(TOKEN), 'the cookie does not contain the token');
    const value = cookie.split(';')[0];
    const withCookie = await call('/monitor/api', { token: null, headers: { cookie: value } });
    // Past the gate the monitor answers itself (500 here: no matchmaker runs in this test).
    assert.notEqual(withCookie.status, 401);
    assert.notEqual((await call('/monitor/api')).status, 401, 'the Bearer token opens it too');
    const page = await call('/monitor', { token: null, headers: { cookie: value } });
    const html = await page.text();
    assert.match(html, /src="\/monitor\/assets\/index-[^"]+\.js"/);
    assert.match(html, /<body class="ds-monitor">\s*<header class="topbar monitor-topbar">/, 'the console header above the monitor');
    assert.match(html, /<link rel="icon" href="\/favicon.svg"/);
    // The monitor loaded Material Icons from Google Fonts; no page may reach the internet.
    assert.doesNotMatch(html, /https?:\/\//);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal((await call('/monitor/api', { token: null, headers: { cookie: 'ds_ops_monitor=123.forged' } })).status, 401);
    assert.equal((await call('/api/ops/overview', { token: null, headers: { cookie: value } })).status, 401, 'the cookie opens the monitor only');
  });
});

describe('ops helpers', () => {
  it('monitor cookies expire and are bound to the token', () => {
    const now = 1_700_000_000_000;
    const v = monitorCookieValue(TOKEN, now, 60);
    assert.equal(monitorCookieValid(v, TOKEN, now + 59_000), true);
    assert.equal(monitorCookieValid(v, TOKEN, now + 61_000), false);
    assert.equal(monitorCookieValid(v, `${TOKEN}-rotated`, now), false);
    assert.equal(monitorCookieValid(null, TOKEN, now), false);
    assert.equal(monitorCookieValid('garbage', TOKEN, now), false);
  });

  it('rates from cumulative counters are null when unknown or reset', () => {
    assert.equal(ratePerSec(100, 300, 2000), 100);
    assert.equal(ratePerSec(300, 100, 2000), null);
    assert.equal(ratePerSec(null, 100, 2000), null);
    assert.equal(ratePerSec(1, 2, 0), null);
  });

  it('reads tick p99, patch bytes and leaderboard lag from a prom-client registry, per sample window', async () => {
    const registry = new Registry();
    const tick = new Histogram({
      name: 'ds_room_tick_duration_seconds',
      help: 'h',
      labelNames: ['room'],
      buckets: [0.001, 0.005, 0.05],
      registers: [registry],
    });
    const sent = new Counter({ name: 'ds_room_sent_bytes_total', help: 'h', labelNames: ['room', 'kind'], registers: [registry] });
    new Histogram({ name: 'ds_leaderboard_update_lag_seconds', help: 'h', buckets: [0.5, 1], registers: [registry] });
    const read = promStatsReader(registry);
    for (let i = 0; i < 99; i++) tick.observe({ room: 'session' }, 0.0005);
    tick.observe({ room: 'coliseum' }, 0.004);
    sent.inc({ room: 'session', kind: 'patch' }, 300);
    sent.inc({ room: 'coliseum', kind: 'patch' }, 200);
    sent.inc({ room: 'session', kind: 'message' }, 999);
    assert.deepEqual(await read(), { tickMsP99: 1, patchBytesTotal: 500, leaderboardLagMs: null });
    for (let i = 0; i < 10; i++) tick.observe({ room: 'session' }, 0.03);
    assert.equal((await read()).tickMsP99, 50, 'only the observations since the previous read count');
    assert.equal((await read()).tickMsP99, null);
    assert.equal(
      quantileBetween(
        undefined,
        new Map([
          [1, 0],
          [Infinity, 3],
        ]),
        0.99,
      ),
      1,
      '+Inf bucket reports the last finite bound',
    );
  });

  it('reads the real metrics module (src/metrics.ts) by its metric names', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    try {
      const read = promStatsReader(metrics.registry);
      metrics.roomTick('session', 0.7);
      metrics.patchBytes('session', 500);
      metrics.observeLeaderboardLag(0.3);
      assert.deepEqual(await read(), { tickMsP99: 1, patchBytesTotal: 500, leaderboardLagMs: 500 });
    } finally {
      metrics.close();
    }
  });

  it('a missing registry metric reads as null, never throws', async () => {
    assert.deepEqual(await promStatsReader(new Registry())(), { tickMsP99: null, patchBytesTotal: null, leaderboardLagMs: null });
  });
});

describe('ops monitor: events of the last minute (the coliseum Events / min tile)', () => {
  it("is the cluster's stored events over the last minute: an hour busy until a minute ago reads 0 now", async () => {
    const clock = { now: Date.parse('2025-06-01T12:00:00Z') };
    const passport = { queueDepth: 0, maxQueue: 100, persisted: 0, rejected: 0, deadLettered: 0, flushLatencyMsP50: 1, flushLatencyMsMax: 1 };
    const stats: ProcessStatsInput = {
      tickMsP99: null,
      patchBytesTotal: null,
      leaderboardLagMs: null,
      passport: { ...passport, lastError: null, lastErrorAt: null, retrying: false },
    };
    const monitor = new OpsMonitor(fakeSources(clock, stats, [], { rooms: 0 }), { sampleMs: 1000, historyMinutes: 15 });
    assert.equal(monitor.eventsLastMinute(), 0, 'nothing sampled yet');
    // 30 busy minutes at 20 events a second, one sample every 10 s.
    for (let i = 0; i <= 180; i++, clock.now += 10_000, stats.passport!.persisted += 200) await monitor.sample();
    assert.equal(monitor.eventsLastMinute(), 1200);
    for (let i = 0; i < 7; i++, clock.now += 10_000) await monitor.sample();
    assert.equal(monitor.eventsLastMinute(), 0, 'a quiet minute reads 0, however busy the hour was');
  });

  it('is what the Events / min tile shows, not the hour buckets', async () => {
    const store = new LocalLeaderboardStore();
    const now = Date.parse('2025-06-01T12:30:00Z');
    await store.incrementMany([{ leaderboard: KPI_LEADERBOARD, entityId: 'events', by: 60_000 }], now - 20 * 60_000);
    const tile = async (eventsPerMinute: number) =>
      (await readKpis(store, { activeSessions: 0, spectators: 0, eventsPerMinute }, now)).find((t) => t.key === 'eventsPerMin')!.value;
    assert.deepEqual([await tile(0), await tile(42)], [0, 42]);
  });
});
