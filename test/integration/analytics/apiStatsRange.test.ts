import assert from 'node:assert/strict';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { jsonOf } from '../../support/http.js';
import { buildRouter } from '../../support/httpRouter.js';
import { page, reply, type Route } from '../../../src/http/route.js';
import { analyticsRoutes } from '../../../src/http/analyticsRoutes.js';
import { createHttpMetrics } from '../../../src/http/httpMetrics.js';
import { PlatformMetrics } from '../../../features/analytics/platformMetrics.js';
import { ApiStatsRecorder } from '../../../features/analytics/ApiStatsRecorder.js';
import { PlatformMetricsRepository } from '../../../persistence/analytics/PlatformMetricsRepository.js';
import { ApiStatsRepository } from '../../../persistence/analytics/ApiStatsRepository.js';
import { OTHER_ENDPOINT } from '../../../systems/analytics/apiStats.js';
import { startServerProcess } from '../../support/serverProcess.js';

const TOKEN = 'test-admin-token-0123456789';
const silent = pino({ level: 'silent' });
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const METRICS = 'GET /api/admin/metrics';

interface Endpoint {
  endpoint: string;
  requests: number;
  client_errors: number;
  p95_ms: number | null;
  since_start: { requests: number } | null;
}

/** The real router, analytics routes and HTTP metrics over real Postgres, on a clock the test moves. */
function server(db: TestDatabase, opts: { maxRoutes: number; extra?: Route[] }) {
  let clock = Date.UTC(2026, 10, 20, 12, 0, 0);
  const http = createHttpMetrics(new Registry());
  const repo = new ApiStatsRepository(db.sql, { minuteMs: 72 * HOUR, hourMs: 90 * DAY });
  const recorder = new ApiStatsRecorder({ repo, log: silent, flushMs: 60_000, maxRoutes: opts.maxRoutes, now: () => clock });
  http.tap((endpoint, status, seconds) => recorder.observe(endpoint, status, seconds));
  const platform = new PlatformMetrics({
    repo: new PlatformMetricsRepository(db.sql),
    api: http,
    apiRanges: repo,
    apiMinuteRetentionMs: 72 * HOUR,
    dwellCapSeconds: 1800,
    cacheTtlMs: 0,
    cacheMaxEntries: 4,
    now: () => clock,
  });
  const router = buildRouter([...analyticsRoutes(platform, TOKEN), ...(opts.extra ?? [])], silent, {
    draining: () => false,
    observe: http.observe,
  });
  const call = (path: string, token: string | null = TOKEN) =>
    router.handler(new Request(`http://localhost${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } }));
  return {
    repo,
    recorder,
    call,
    setClock: (ms: number) => (clock = ms),
    get clock() {
      return clock;
    },
    endpoints: async (range: string): Promise<Endpoint[]> => {
      const res = await call(`/api/admin/metrics?range=${range}`);
      assert.equal(res.status, 200);
      return (await jsonOf(res)).technical_performance.endpoints;
    },
  };
}

describe('API statistics per range (api_request_stats, real Postgres)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  beforeEach(async () => (db = await createTestDatabase()));
  afterEach(async () => db?.drop());

  it('requests in two ranges give different counts, read back from the durable rows', async () => {
    const s = server(db, { maxRoutes: 50 });
    const now = s.clock;
    // Four days ago: 5 requests (3 refused without a token, 2 answered), flushed then.
    s.setClock(now - 4 * DAY);
    for (let i = 0; i < 3; i++) assert.equal((await s.call('/api/admin/metrics', null)).status, 401);
    for (let i = 0; i < 2; i++) assert.equal((await s.call('/api/admin/metrics?range=1h')).status, 200);
    await s.recorder.flush();
    // Now: 2 more.
    s.setClock(now);
    for (let i = 0; i < 2; i++) assert.equal((await s.call('/api/admin/metrics', null)).status, 401);
    await s.recorder.flush();

    const day = (await s.endpoints('24h')).find((e) => e.endpoint === METRICS);
    const week = (await s.endpoints('7d')).find((e) => e.endpoint === METRICS);
    assert.ok(day && week);
    assert.equal(day.requests, 2, 'the last 24 h: only the 2 recent requests (minute buckets)');
    assert.equal(day.client_errors, 2);
    assert.equal(week.requests, 7, 'the last 7 days: both batches (hour buckets)');
    assert.equal(week.client_errors, 5);
    assert.ok(week.p95_ms !== null && week.p95_ms > 0);
    // The since-start column is this process's own count, whatever the range (the two range reads above included).
    assert.ok(week.since_start && week.since_start.requests >= 8, JSON.stringify(week.since_start));
  });

  it('a restart keeps the figures: a new recorder adds to the same rows', async () => {
    const first = server(db, { maxRoutes: 50 });
    await first.call('/api/admin/metrics', null);
    await first.recorder.stop();
    const second = server(db, { maxRoutes: 50 });
    await second.call('/api/admin/metrics', null);
    await second.recorder.stop();
    const row = (await second.endpoints('1h')).find((e) => e.endpoint === METRICS);
    assert.equal(row?.requests, 2);
  });

  it('hostile paths add no rows: route patterns only, unknown paths not counted, named routes bounded', async () => {
    const ok = (path: string) => page(path, 'a test route', async () => reply(200, { ok: true }));
    const extra: Route[] = [ok('/api/things/:id'), ...[1, 2, 3, 4, 5, 6].map((i) => ok(`/api/r${i}`))];
    const s = server(db, { maxRoutes: 3, extra });
    for (let i = 0; i < 40; i++) await s.call(`/api/things/${encodeURIComponent(`x${i}-${'%00'.repeat(i % 3)}<script>`)}`);
    for (let i = 0; i < 40; i++) assert.equal((await s.call(`/no/such/route/${i}/${'a'.repeat(i * 10)}`)).status, 404);
    await s.recorder.flush();
    assert.equal((await db.sql.query('SELECT 1 FROM api_request_stats')).length, 2, 'one minute row and one hour row for GET /api/things/:id');

    // Six more routes than the bound allows: 3 named (things included), the rest one "(other routes)" row.
    await s.call('/api/things/again');
    for (let i = 1; i <= 6; i++) await s.call(`/api/r${i}`);
    await s.recorder.flush();
    const rows = await s.endpoints('1h');
    const names = rows.map((r) => r.endpoint).filter((e) => e !== METRICS);
    assert.ok(names.includes(OTHER_ENDPOINT), names.join(', '));
    const other = rows.find((r) => r.endpoint === OTHER_ENDPOINT)!;
    assert.equal(other.requests, 4, 'r3…r6 past the bound of 3 (things, r1, r2)');
    // Per period: at most maxRoutes named + one other row per minute bucket, and the same per hour bucket.
    const [{ n }] = await db.sql.query<{ n: string }>("SELECT count(DISTINCT endpoint) AS n FROM api_request_stats WHERE period = 'minute'");
    assert.ok(Number(n) <= 4, `distinct endpoints ${n}`);
  });
});

describe('API statistics per range on a real server process (npm start wiring)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  before(async () => (db = await createTestDatabase()));
  after(async () => db?.drop());

  it('counts requests under route patterns, writes them at shutdown, and answers per range after a restart', async () => {
    // A flush interval longer than the test: what is written, the SIGTERM flush wrote.
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: undefined,
      ADMIN_TOKEN: TOKEN,
      API_STATS_FLUSH_MS: '3600000',
      ADMIN_METRICS_CACHE_TTL_MS: '0',
      LOG_LEVEL: 'warn',
    };
    const first = await startServerProcess(env);
    try {
      for (const f of ['99.9', '105.5', '102.7']) assert.equal((await fetch(`${first.baseUrl}/api/stations/${f}`)).status, 200);
      for (let i = 0; i < 30; i++) assert.equal((await fetch(`${first.baseUrl}/hostile/${i}/${'x'.repeat(i)}`)).status, 404);
    } finally {
      assert.equal(await first.stop('SIGTERM'), 0, first.output().slice(-2000));
    }
    const endpoints = (await db.sql.query<{ endpoint: string }>("SELECT DISTINCT endpoint FROM api_request_stats WHERE period = 'minute'")).map(
      (r) => r.endpoint,
    );
    assert.ok(endpoints.includes('GET /api/stations/:frequency'), endpoints.join(', '));
    assert.ok(!endpoints.some((e) => e.includes('hostile') || e.includes('99.9')), `no raw path is a row: ${endpoints.join(', ')}`);
    // Traffic of five days ago (another process, long since stopped): in the 7-day range, not in the last 24 hours.
    await db.sql.query(
      `INSERT INTO api_request_stats (period, bucket_start, endpoint, requests, client_errors, server_errors, sum_ms, counts)
       VALUES ('hour', date_trunc('hour', now() - interval '5 days'), 'GET /api/stations/:frequency', 10, 0, 1, 50, ARRAY[10,0,0,0,0,0,0,0,0,0,0,0,0,0]::bigint[])`,
    );
    const second = await startServerProcess(env);
    try {
      const read = async (range: string) => {
        const res = await fetch(`${second.baseUrl}/api/admin/metrics?range=${range}`, { headers: { authorization: `Bearer ${TOKEN}` } });
        assert.equal(res.status, 200);
        const body = (await res.json()) as { technical_performance: { endpoints: Endpoint[] } };
        return body.technical_performance.endpoints.find((e) => e.endpoint === 'GET /api/stations/:frequency');
      };
      assert.equal((await read('24h'))?.requests, 3, 'the last 24 hours: the three requests before the restart');
      assert.equal((await read('7d'))?.requests, 13, 'seven days: those and the ten of five days ago');
      assert.equal((await read('7d'))?.since_start, null, 'this process has served none since it started');
    } finally {
      assert.equal(await second.stop('SIGTERM'), 0, second.output().slice(-2000));
    }
  });
});
