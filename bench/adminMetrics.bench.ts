/**
 * GET /api/admin/metrics benchmark: `npm run bench:admin-metrics`
 * (env: BENCH_SESSIONS, default 100,000 sessions over 7 days; BENCH_REQUESTS, default 500).
 * Spawns a real server (uWS) on its own database (TEST_DATABASE_URL / DATABASE_URL, else 127.0.0.1:5432), dropped
 * after; loads sessions, users and 7 days of coliseum rollups (20,000 orb transitions, 5,000 artists a day), then
 * times GET /api/admin/metrics over HTTP: 40 cache misses (a new range each), then warm (the 30 s cache).
 * Goal: warm p95 < 100 ms.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { spawnServer } from '../loadtest/spawnServer.js';
import { adminDatabaseUrl, stopEmbeddedPostgres } from './support/postgres.js';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 500);

async function load(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // User ids derived from their number (md5 → uuid), so sessions reference them without a join.
  await client.query(
    `INSERT INTO users (id, device_id, created_at) SELECT md5('u' || i)::uuid, 'bench-' || i, now() - (i % 30 || ' days')::interval FROM generate_series(0, $1::int - 1) i`,
    [Math.max(1, SESSIONS / 2)],
  );
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
  const server = await spawnServer({
    transport: 'uws',
    adminDatabaseUrl: await adminDatabaseUrl(),
    logDir: os.tmpdir(),
    env: { ADMIN_METRICS_CACHE_TTL_MS: '30000' },
  });
  try {
    const t0 = performance.now();
    await load(server.databaseUrl);
    console.log(
      `loaded ${SESSIONS.toLocaleString('en-US')} sessions, ${(SESSIONS / 2).toLocaleString('en-US')} users, 175,000 rollup rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const get = (range: string) =>
      fetch(`${server.url.replace(/^ws/, 'http')}/api/admin/metrics?range=${range}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    // Uncached: every distinct range is a cache miss, so each of these runs the queries (and fills the cache).
    let day = 0;
    await measure('uncached (a new range each request: queries run)', 40, () => get(`${++day}d`));
    await (await get('7d')).text();
    await measure('warm (cache 30 s, over HTTP)', REQUESTS, () => get('7d'));
    console.log('goal: warm p95 < 100 ms');
  } finally {
    await server.stop();
    await stopEmbeddedPostgres();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
