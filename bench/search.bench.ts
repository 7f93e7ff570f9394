/**
 * Search benchmark (seed 000 step 13): `npm run bench:search` (env: BENCH_ARTISTS, default
 * 10,000; BENCH_QUERIES, default 400). Its own database (TEST_DATABASE_URL / DATABASE_URL, else
 * 127.0.0.1:5432, else embedded), dropped after. Loads the synthetic catalog the way
 * `npm run catalog:synth -- --artists N --database-url …` does, then times uncached searches (the
 * caller's taste read + the pg_trgm query + ranking, as the HTTP route runs them with a cold cache),
 * then the same queries through the LRU. Prints the EXPLAIN plan of one search. Goal: p95 < 30 ms.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createScratchDatabase, stopEmbeddedPostgres } from './support/postgres.js';
import { CatalogRepository } from '../persistence/catalog/CatalogRepository.js';
import { loadSyntheticCatalog } from '../persistence/catalog/loadSynthetic.js';
import { SEARCH_SQL_FOR_EXPLAIN, SearchRepository } from '../persistence/discovery/SearchRepository.js';
import { Search } from '../features/discovery/Search.js';
import { parseQuery } from '../systems/discovery/search.js';

const ARTISTS = Number(process.env.BENCH_ARTISTS ?? 10_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 400);
// Names, parts of names, genres, typos and misses: what a dial's search box receives.
const TERMS = [
  'fela kuti',
  'fela',
  'burna boy',
  'wizkid',
  'nina simone',
  'kwame',
  'ade',
  'amara zola',
  'tunde',
  'sipho',
  'afrobeat',
  'highlife',
  'amapiano',
  'reggae',
  'hip hop',
  'jazz',
  'soul',
  'kofi ayo',
  'naledi',
  'femi kuti',
  'tony alen',
  'davdo',
  'zzqq',
  'lagos',
  'lerato bayo',
];

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL) process.env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = await createScratchDatabase();
  try {
    const loadStart = performance.now();
    const loaded = await loadSyntheticCatalog(db.sql, new CatalogRepository(db.orm), { artists: ARTISTS, seed: 1 });
    await db.sql.query('VACUUM ANALYZE artists');
    const [{ n }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM artists');
    console.log(
      `catalog: ${n.toLocaleString('en-US')} artists, ${loaded.orbs.toLocaleString('en-US')} orbs (loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s)`,
    );
    const [user] = await db.sql.query<{ id: string }>(`INSERT INTO users (id, device_id) VALUES (gen_random_uuid(), 'bench-search') RETURNING id`);
    await db.sql.query(
      `INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at) SELECT ?, id, 0, 0, 0, now() FROM artists ORDER BY id LIMIT 20`,
      [user.id],
    );

    const repo = new SearchRepository(db.sql);
    const queries = Array.from({ length: QUERIES }, (_, i) => (parseQuery(TERMS[i % TERMS.length]) as { query: string }).query);
    for (const q of queries.slice(0, TERMS.length)) await repo.search(q, 30); // warm the pool and the buffer cache
    for (const [label, userId] of [
      ['anonymous', null],
      ['signed in (20 stars)', user.id],
    ] as const) {
      // A fresh Search per query = a cold LRU: every call runs the similarity query.
      const times: number[] = [];
      let results = 0;
      for (const q of queries) {
        const search = new Search(repo, { cacheEntries: 10, cacheTtlMs: 60_000 });
        const t = performance.now();
        results += (await search.search(q, 10, userId)).results.length;
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(
        `uncached ${label}: ${queries.length} searches, p50 ${pct(times, 50).toFixed(2)} ms, p95 ${pct(times, 95).toFixed(2)} ms, p99 ${pct(times, 99).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms (${(results / queries.length).toFixed(1)} results/search) — goal p95 < 30 ms`,
      );
    }
    console.log(`machine load average (1 min) ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
    const cachedSearch = new Search(repo, { cacheEntries: 1000, cacheTtlMs: 60_000 });
    for (const q of queries) await cachedSearch.search(q, 10, user.id);
    const cached: number[] = [];
    for (const q of queries) {
      const t = performance.now();
      await cachedSearch.search(q, 10, user.id);
      cached.push(performance.now() - t);
    }
    cached.sort((a, b) => a - b);
    console.log(`cached (LRU hit; the taste is still read): p50 ${pct(cached, 50).toFixed(2)} ms, p95 ${pct(cached, 95).toFixed(2)} ms`);

    const text = SEARCH_SQL_FOR_EXPLAIN;
    const plan = await db.sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${text.sql}`, text.params('fela kuti', 30));
    console.log(`EXPLAIN ANALYZE of the search for "fela kuti":\n${plan.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
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
