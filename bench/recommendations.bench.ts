/**
 * Recommendations benchmark (seed 000 step 12): `npm run bench:recommendations` (env:
 * BENCH_ARTISTS 10,000, BENCH_USERS 10,000, BENCH_STARS 20 per user, BENCH_RUNS 300). Its own database
 * (TEST_DATABASE_URL / DATABASE_URL, else 127.0.0.1:5432, else embedded), dropped after. Loads the
 * synthetic catalog (as `npm run catalog:synth` does), then every user's constellation in one
 * INSERT … SELECT (artists drawn with a skew, so popular artists are shared by thousands of users
 * and collaborative filtering has real overlaps), feeds the trending board, and times
 * `recommendationsFor(user)` (every source, the display data and the stored list) for random users.
 * Goal: p95 < 50 ms.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createScratchDatabase, stopEmbeddedPostgres } from './support/postgres.js';
import { CatalogRepository } from '../persistence/catalog/CatalogRepository.js';
import { loadSyntheticCatalog } from '../persistence/catalog/loadSynthetic.js';
import { SearchRepository } from '../persistence/discovery/SearchRepository.js';
import { RecommendationRepository } from '../persistence/discovery/RecommendationRepository.js';
import { artistsFor, collaborative, eraArtists, influencesOf } from './support/recommendationReads.js';
import { LocalLeaderboardStore } from '../persistence/leaderboard/LocalLeaderboardStore.js';
import { Recommendations } from '../features/discovery/Recommendations.js';
import { trendingFromBoards } from '../features/discovery/trending.js';

const ARTISTS = Number(process.env.BENCH_ARTISTS ?? 10_000);
const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const STARS = Number(process.env.BENCH_STARS ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL) process.env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = await createScratchDatabase({ poolMax: 5 });
  try {
    let t = performance.now();
    await loadSyntheticCatalog(db.sql, new CatalogRepository(db.orm), { artists: ARTISTS, seed: 1 });
    await db.sql.query(`INSERT INTO users (id, device_id) SELECT gen_random_uuid(), 'bench-rec-' || i FROM generate_series(1, ?::int) i`, [USERS]);
    // Artist rank drawn as floor(N · u³): the head is shared widely, the tail rarely (ON CONFLICT: a repeat draw is one star).
    await db.sql.query(
      `WITH pool AS (SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM artists)
       INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at)
       SELECT u.id, pool.ids[1 + floor(pool.n * power(random(), 3))::int], 0, 0, 0, now() - (s || ' minutes')::interval
         FROM users u CROSS JOIN generate_series(1, ?::int) s CROSS JOIN pool
       ON CONFLICT DO NOTHING`,
      [STARS],
    );
    await db.sql.query('VACUUM ANALYZE');
    const [{ stars }] = await db.sql.query<{ stars: number }>('SELECT count(*)::int AS stars FROM constellation_stars');
    console.log(
      `loaded ${ARTISTS.toLocaleString('en-US')} artists, ${USERS.toLocaleString('en-US')} users, ${stars.toLocaleString('en-US')} stars in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const store = new LocalLeaderboardStore();
    const now = Date.now();
    const top = await db.sql.query<{ id: string }>('SELECT id FROM artists ORDER BY id LIMIT 50');
    for (const [i, a] of top.entries()) await store.incrementMany([{ leaderboard: 'artists.visits', entityId: a.id, by: 5 + i }], now);
    const recs = new Recommendations({
      repo: new RecommendationRepository(db.sql, db.orm),
      stars: new SearchRepository(db.sql),
      trending: trendingFromBoards(store, Date.now),
      now: Date.now,
    });
    const users = await db.sql.query<{ id: string }>('SELECT id FROM users ORDER BY random() LIMIT ?', [RUNS + 20]);
    for (const u of users.slice(0, 20)) await recs.recommendationsFor(u.id); // warm the pool and the buffer cache
    const times: number[] = [];
    const sources = new Map<string, number>();
    let listed = 0;
    // This process's CPU (user + system) over the timed loop: the server's side of a recompute.
    const cpu0 = process.cpuUsage();
    for (const u of users.slice(20)) {
      t = performance.now();
      const list = await recs.recommendationsFor(u.id);
      times.push(performance.now() - t);
      listed += list.recommendations.length;
      for (const r of list.recommendations) sources.set(r.source, (sources.get(r.source) ?? 0) + 1);
    }
    const cpu = process.cpuUsage(cpu0);
    times.sort((a, b) => a - b);
    console.log(`recommendationsFor: server-side CPU ${((cpu.user + cpu.system) / times.length).toFixed(0)} µs per call (this process, user + system)`);
    console.log(
      `recommendationsFor: ${times.length} users, p50 ${pct(times, 50).toFixed(2)} ms, p95 ${pct(times, 95).toFixed(2)} ms, p99 ${pct(times, 99).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms — goal p95 < 50 ms`,
    );
    console.log(`  ${(listed / times.length).toFixed(1)} recommendations per user; by source: ${JSON.stringify(Object.fromEntries(sources))}`);
    // Where the time goes: each read alone, for the same users.
    const taste = new SearchRepository(db.sql);
    const stage = async (label: string, fn: (userId: string, starIds: string[]) => Promise<unknown>) => {
      const ms: number[] = [];
      for (const u of users.slice(20, 70)) {
        const starIds = (await taste.tasteOf(u.id)).map((s) => s.id);
        const t0 = performance.now();
        await fn(u.id, starIds);
        ms.push(performance.now() - t0);
      }
      ms.sort((a, b) => a - b);
      console.log(`  ${label}: p50 ${pct(ms, 50).toFixed(2)} ms, p95 ${pct(ms, 95).toFixed(2)} ms`);
    };
    await stage('stars (tasteOf)', (id) => taste.tasteOf(id));
    await stage('12.3 influences', (_id, ids) => influencesOf(db.sql, ids, ids));
    await stage('12.4 similar users', (id) => collaborative(db.sql, id, 2, 20, 10));
    await stage('12.6 eras', (_id, ids) => eraArtists(db.sql, ['1960s', '1980s', '2000s'], ['Afrobeat', 'Highlife', 'Jazz'], ids, 3));
    await stage('12.8 display data', (_id, ids) => artistsFor(db.sql, ids.slice(0, 10), ids));
    console.log(`  machine load average (1 min) ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
    await store.close();
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
