/**
 * Session aggregation benchmark (seed 000 step 9.1–9.2): `npm run bench:aggregation`
 * (env: BENCH_SESSIONS, default 10,000; AGGREGATION_PAGE_SIZE, default 5,000).
 * Its own database (TEST_DATABASE_URL / DATABASE_URL, else 127.0.0.1:5432, else embedded), dropped after.
 * Loads BENCH_SESSIONS active sessions over BENCH_SESSIONS / 2 users, then times the job's function
 * twice: the first aggregation (every session new) and a re-aggregation five minutes later (every
 * session replaces its earlier contribution). Goal < 2 s for 10,000 sessions.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createScratchDatabase, stopEmbeddedPostgres } from './support/postgres.js';
import { AnalyticsRepository } from '../persistence/analytics/AnalyticsRepository.js';
import { aggregateSessions } from '../features/analytics/aggregateSessions.js';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
const PAGE = Number(process.env.AGGREGATION_PAGE_SIZE ?? 5000);

async function main(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL) process.env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = await createScratchDatabase();
  try {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`INSERT INTO users (id, device_id) SELECT gen_random_uuid(), 'bench-' || i FROM generate_series(1, $1::int) i`, [
      Math.max(1, SESSIONS / 2),
    ]);
    await client.query(
      `INSERT INTO sessions (id, user_id, device_id, started_at, last_active, total_interactions, total_orbs_explored, sensor_engagement_count)
       SELECT gen_random_uuid(), u.id, 'd', now() - ((i % 100) + 5 || ' minutes')::interval, now() - ((i % 9) || ' minutes')::interval, 10 + i % 50, i % 17, i % 8
       FROM generate_series(1, $1::int) i JOIN LATERAL (SELECT id FROM users OFFSET (i % $2::int) LIMIT 1) u ON true`,
      [SESSIONS, Math.max(1, SESSIONS / 2)],
    );
    await client.query('ANALYZE');
    await client.end();
    const repo = new AnalyticsRepository(db.sql);
    const signal = new AbortController().signal;
    for (const [label, at] of [
      ['first aggregation', Date.now()],
      ['re-aggregation', Date.now() + 1000],
    ] as const) {
      const started = performance.now();
      const { rows } = await aggregateSessions(repo, PAGE, { nowMs: at, signal });
      const ms = performance.now() - started;
      console.log(`${label}: ${rows.toLocaleString('en-US')} sessions in ${ms.toFixed(0)} ms (page ${PAGE}) — goal < 2,000 ms for 10,000`);
    }
  } finally {
    await db.drop();
    await stopEmbeddedPostgres();
  }
}

main().catch(async (err) => {
  console.error(err);
  await stopEmbeddedPostgres();
  process.exit(1);
});
