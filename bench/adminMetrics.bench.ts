/**
 * GET /api/admin/metrics benchmark (issue 15): `npm run bench:admin-metrics`
 * (env: BENCH_SESSIONS, default 100,000 sessions over 7 days; BENCH_REQUESTS, default 500).
 * Its own database (TEST_DATABASE_URL / DATABASE_URL, else 127.0.0.1:5432), dropped after. Loads sessions,
 * users and 7 days of coliseum rollups (20,000 orb transitions, 5,000 artists a day), then times the whole
 * route in process (auth, range check, cache, queries, JSON) — warm (the configured 30 s cache) and with the
 * cache off (every request runs the queries). Goal: warm p95 < 100 ms.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createScratchDatabase, stopEmbeddedPostgres } from './support/postgres.js';
import { buildRouter } from '../src/http/router.js';
import { adminMetricsRoutes } from '../src/http/adminMetricsRoutes.js';
import { createHttpMetrics } from '../src/httpMetrics.js';
import { PlatformMetrics } from '../features/analytics/platformMetrics.js';
import { PlatformMetricsRepository } from '../persistence/analytics/PlatformMetricsRepository.js';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 500);
const TOKEN = 'bench-admin-token-0123456789';

async function load(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // User ids derived from their number (md5 → uuid), so sessions reference them without a join.
  await client.query(`INSERT INTO users (id, device_id, created_at) SELECT md5('u' || i)::uuid, 'bench-' || i, now() - (i % 30 || ' days')::interval FROM generate_series(0, $1::int - 1) i`, [Math.max(1, SESSIONS / 2)]);
  await client.query(
    `INSERT INTO sessions (id, user_id, device_id, started_at, last_active, total_interactions, total_orbs_explored, sensor_engagement_count, total_captures)
     SELECT gen_random_uuid(), md5('u' || (i % $2::int))::uuid, 'd', now() - ((i % 10080) || ' minutes')::interval,
            now() - ((i % 10080) || ' minutes')::interval + ((10 + i % 40) || ' minutes')::interval, 10 + i % 50, i % 9, i % 3, i % 4 / 3
     FROM generate_series(1, $1::int) i`,
    [SESSIONS, Math.max(1, SESSIONS / 2)],
  );
  await client.query(
    `INSERT INTO coliseum_metrics (entity_type, entity_id, metric, period, bucket_start, value)
     SELECT 'orb_transition', 'a' || (i % 2000) || '>a' || (i / 2000), 'transitions', 'day', date_trunc('day', now() - (d || ' days')::interval, 'UTC'), 1 + (i * 7 + d) % 50
     FROM generate_series(0, 19999) i, generate_series(0, 6) d
     UNION ALL
     SELECT 'artist', 'a' || i, 'station_visits', 'day', date_trunc('day', now() - (d || ' days')::interval, 'UTC'), 1 + (i * 13 + d) % 400
     FROM generate_series(0, 4999) i, generate_series(0, 6) d`,
  );
  await client.query('ANALYZE');
  await client.end();
}

async function measure(label: string, n: number, call: () => Promise<Response>): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await call();
    await res.text();
    if (res.status !== 200) throw new Error(`${label}: HTTP ${res.status}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(times.length * q))].toFixed(2);
  console.log(`${label}: ${n} requests  p50 ${p(0.5)} ms  p95 ${p(0.95)} ms  max ${times[times.length - 1].toFixed(2)} ms`);
}

async function main(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL) process.env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = await createScratchDatabase();
  try {
    const t0 = performance.now();
    await load(db.url);
    console.log(`loaded ${SESSIONS.toLocaleString('en-US')} sessions, ${(SESSIONS / 2).toLocaleString('en-US')} users, 175,000 rollup rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const log = pino({ level: 'silent' });
    const repo = new PlatformMetricsRepository(db.sql);
    const request = () => new Request('http://localhost/api/admin/metrics?range=7d', { headers: { authorization: `Bearer ${TOKEN}` } });
    for (const [label, cacheTtlMs, n] of [['warm (cache 30 s)', 30_000, REQUESTS], ['uncached (every request queries)', 0, Math.min(REQUESTS, 40)]] as const) {
      const http = createHttpMetrics(new Registry());
      const router = buildRouter(adminMetricsRoutes(new PlatformMetrics({ repo, api: http, cacheTtlMs, cacheMaxEntries: 32 }), TOKEN), log, { draining: () => false, observe: http.observe }) as unknown as { handler(r: Request): Promise<Response> };
      await (await router.handler(request())).text(); // first request fills the cache / warms the plans
      await measure(label, n, () => router.handler(request()));
    }
    console.log('goal: warm p95 < 100 ms');
  } finally {
    await db.drop();
    await stopEmbeddedPostgres();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
