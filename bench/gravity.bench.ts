/**
 * Gravity layer benchmark: `npm run bench:gravity` (env: BENCH_GRAVITY_EVENTS, default 500,000;
 * BENCH_GRAVITY_EDGES, default 1,000,000; BENCH_SKIP_HTTP=1 to skip the HTTP part).
 * Its own databases (TEST_DATABASE_URL / DATABASE_URL, else 127.0.0.1:5432, else embedded), dropped after.
 *
 * A. Edge builder: passport `player.*` events (sessions interleaved, runs of play_start / play_10s /
 *    like or an early skip) are consumed by the gravity CursorProcessor at the configured batch size;
 *    events/s = events / wall time of catchUp(). Goal ≥ 100,000/s.
 * B. gravity_neighbors with 1,000,000 edges (20,000 tracks × 50 neighbours): the repository read
 *    (SQL + decay + mapping) and `GET /tracks/:id/gravity_neighbors?limit=10` through a spawned server.
 *    Goal p95 < 10 ms.
 */
import { preferLocalPostgres } from './support/postgres.js';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import pg from 'pg';
import pino from 'pino';
import { createScratchDatabase, stopEmbeddedPostgres, adminDatabaseUrl } from './support/postgres.js';
import { CursorProcessor } from '../features/passport/CursorProcessor.js';
import { gravityEdges } from '../persistence/gravity/gravityEdges.js';
import { GravityRepository } from '../persistence/gravity/GravityRepository.js';
import { spawnServer } from '../loadtest/spawnServer.js';

const EVENTS = Number(process.env.BENCH_GRAVITY_EVENTS ?? 500_000);
const EDGES = Number(process.env.BENCH_GRAVITY_EDGES ?? 1_000_000);
const BATCH = Number(process.env.GRAVITY_BATCH_SIZE ?? 50_000);
const FROM_TRACKS = 20_000;
const log = pino({ level: 'warn' });

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (n: number) => n.toFixed(2);

/** Player events as POST /event stores them, generated in SQL: 2,000 sessions interleaved, 4,000 tracks in a scrambled order. */
const EVENTS_SQL = `
INSERT INTO passport_entries (event_id, event_type, event_category, session_id, occurred_at, received_at, entity_type, entity_id, payload, source)
SELECT gen_random_uuid(),
       CASE k % 3 WHEN 0 THEN 'player.track_played' WHEN 1 THEN 'player.play_10s' ELSE CASE WHEN (k / 3) % 4 = 0 THEN 'player.track_skipped' ELSE 'player.like' END END,
       'player', 'bench-s' || s, now() - interval '1 hour' + (i || ' ms')::interval, now(), 'track', 't' || tr,
       jsonb_build_object('trackId', 't' || tr, 'gravityType', 'x', 'elapsedMs', (k * 997) % 40000), 'gravity'
FROM (SELECT i, i % 2000 AS s, i / 2000 AS k, abs(hashtext((i % 2000) || ':' || ((i / 2000) / 3))) % 4000 AS tr FROM generate_series(0, $1::int - 1) AS i) g
ORDER BY i`;

async function edgeBuilder(): Promise<{ events: number; seconds: number; edges: number }> {
  const db = await createScratchDatabase();
  try {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(EVENTS_SQL, [EVENTS]);
    await client.query('ANALYZE passport_entries');
    await client.end();
    const builder = new CursorProcessor(db.sql, gravityEdges({ halfLifeDays: 14 }), log, { batchSize: BATCH });
    const started = performance.now();
    const events = await builder.catchUp();
    const seconds = (performance.now() - started) / 1000;
    const [{ n }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM gravity_edges');
    return { events, seconds, edges: n };
  } finally {
    await db.drop();
  }
}

const EDGES_SQL = `
INSERT INTO gravity_edges (from_track, to_track, weight, transitions)
SELECT 't' || (i / $2::int), 't' || ((i::bigint * 7919) % $3::int), 1 + (i::bigint * 2654435761 % 1000) / 10.0, 1 + i % 20
FROM generate_series(0, $1::int - 1) AS i
ON CONFLICT DO NOTHING`;

async function loadEdges(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(EDGES_SQL, [EDGES, EDGES / FROM_TRACKS, FROM_TRACKS * 5]);
    await client.query('VACUUM ANALYZE gravity_edges');
    return Number((await client.query('SELECT count(*)::int AS n FROM gravity_edges')).rows[0].n);
  } finally {
    await client.end();
  }
}

async function timed(n: number, once: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 200; i++) await once(i); // warm-up
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await once(i);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

async function neighboursRepository(): Promise<number[]> {
  const db = await createScratchDatabase();
  try {
    console.log(`  edges loaded: ${(await loadEdges(db.url)).toLocaleString('en-US')}`);
    const repo = new GravityRepository(db.sql, { halfLifeDays: 14, directoryEntries: 10_000, directoryTtlMs: 60_000 });
    return await timed(5000, (i) => repo.neighbours(`t${(i * 7) % FROM_TRACKS}`, 10, Date.now()));
  } finally {
    await db.drop();
  }
}

async function neighboursHttp(): Promise<number[]> {
  const off = Object.fromEntries(
    ['GRAVITY_EDGES', 'SESSION_AGGREGATION', 'GLOBAL_METRICS', 'POPULARITY_SCORES', 'CLEANUP', 'PASSPORT_PARTITIONS', 'INFLUENCE_GRAPH'].map((j) => [
      `JOB_CRON_${j}`,
      'off',
    ]),
  );
  const server = await spawnServer({ transport: 'uws', adminDatabaseUrl: await adminDatabaseUrl(), env: off, logDir: os.tmpdir() });
  try {
    await loadEdges(server.databaseUrl);
    const base = server.url.replace(/^ws/, 'http');
    const health = await timed(1000, async () => (await fetch(`${base}/health`)).arrayBuffer());
    console.log(`  baseline GET /health (same client): p50 ${ms(pct(health, 50))} ms, p95 ${ms(pct(health, 95))} ms`);
    return await timed(3000, async (i) => {
      const res = await fetch(`${base}/tracks/t${(i * 7) % FROM_TRACKS}/gravity_neighbors?limit=10`);
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      await res.arrayBuffer();
    });
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  await preferLocalPostgres();
  console.log(`A. edge builder: ${EVENTS.toLocaleString('en-US')} player events, batch ${BATCH.toLocaleString('en-US')}`);
  const a = await edgeBuilder();
  console.log(
    `  ${a.events.toLocaleString('en-US')} events in ${a.seconds.toFixed(2)} s = ${Math.round(a.events / a.seconds).toLocaleString('en-US')} events/s (${a.edges.toLocaleString('en-US')} edges) — goal ≥ 100,000/s`,
  );
  console.log(`B. gravity_neighbors, ${EDGES.toLocaleString('en-US')} edges, limit 10`);
  const repo = await neighboursRepository();
  console.log(`  repository: p50 ${ms(pct(repo, 50))} ms, p95 ${ms(pct(repo, 95))} ms, p99 ${ms(pct(repo, 99))} ms (${repo.length} reads)`);
  if (!process.env.BENCH_SKIP_HTTP) {
    const http = await neighboursHttp();
    console.log(
      `  HTTP (uws, one client, sequential): p50 ${ms(pct(http, 50))} ms, p95 ${ms(pct(http, 95))} ms, p99 ${ms(pct(http, 99))} ms (${http.length} requests) — goal p95 < 10 ms`,
    );
  }
  await stopEmbeddedPostgres();
}

main().catch(async (err) => {
  console.error(err);
  await stopEmbeddedPostgres();
  process.exit(1);
});
