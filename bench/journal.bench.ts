/**
 * Constellation journal: `npm run bench:journal`. p50/p95/p99 of `JournalService.of()` for users with
 * 200 stars each over a 10,000-artist synthetic catalog (loaded with `npm run catalog:synth`), cold (the
 * user's cache entry dropped, as after a capture: 3 reads of the constellation + 1 of its artists,
 * k-means, statistics) and warm (cached). Goals: p95 < 20 ms warm, < 80 ms cold.
 *
 * Env: BENCH_DATABASE_URL (else TEST_DATABASE_URL / DATABASE_URL, else an embedded PostgreSQL),
 * BENCH_JOURNAL_USERS (default 40), BENCH_JOURNAL_STARS (default 200), BENCH_JOURNAL_COLD (cold reads,
 * default 300), BENCH_JOURNAL_WARM (warm reads, default 3000), BENCH_JOURNAL_ARTISTS (default 10000).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { createScratchDatabase } from './support/postgres.js';
import { CatalogRepository } from '../persistence/catalog/CatalogRepository.js';
import { ConstellationRepository } from '../persistence/constellation/ConstellationRepository.js';
import { JournalService } from '../features/journal/Journal.js';
import { clusterAssignment } from '../features/journal/clusters.js';
import { buildJournal } from '../systems/journal/index.js';
import type { Sql } from '../persistence/db.js';

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
const USERS = Number(process.env.BENCH_JOURNAL_USERS ?? 40);
const STARS = Number(process.env.BENCH_JOURNAL_STARS ?? 200);
const COLD = Number(process.env.BENCH_JOURNAL_COLD ?? 300);
const WARM = Number(process.env.BENCH_JOURNAL_WARM ?? 3000);
const ARTISTS = Number(process.env.BENCH_JOURNAL_ARTISTS ?? 10_000);
const ROOT = path.resolve(import.meta.dirname, '..');

const log = (m: string) => process.stderr.write(`${m}\n`);
const f = (n: number, d = 2) => n.toFixed(d);
function pct(ms: number[]): { p50: number; p95: number; p99: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  return { p50: at(50), p95: at(95), p99: at(99), max: s[s.length - 1] };
}

/** Users with STARS stars each (random artists, positions spread like captures), a line per star to the previous, plus genre lines. */
async function seedConstellations(sql: Sql): Promise<string[]> {
  const users = Array.from({ length: USERS }, () => randomUUID());
  await sql.query(
    `INSERT INTO users (id, device_id, first_launch, created_at, last_seen_at) SELECT t.u::uuid, t.u, false, now(), now() FROM jsonb_array_elements_text(?::jsonb) AS t(u)`,
    [JSON.stringify(users)],
  );
  for (const [i, user] of users.entries()) {
    await sql.query(
      `INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at)
       SELECT ?, id, (random() - 0.5) * 2000, (random() - 0.5) * 2000, (random() - 0.5) * 600, now() - (? - n) * interval '90 seconds'
       FROM (SELECT id, row_number() OVER () AS n FROM (SELECT id FROM artists ORDER BY md5(id || ?) LIMIT ?) a) s`,
      [user, STARS, String(i), STARS],
    );
    await sql.query(
      `INSERT INTO constellation_connections (user_id, from_artist_id, to_artist_id, strength, connection_type, created_at)
       SELECT user_id, prev, artist_id, 0.5 + random() * 0.5, CASE WHEN n % 3 = 0 THEN 'genre_similarity' ELSE 'discovery_path' END, captured_at
       FROM (SELECT user_id, artist_id, captured_at, lag(artist_id) OVER (ORDER BY captured_at, id) AS prev, row_number() OVER (ORDER BY captured_at, id) AS n
             FROM constellation_stars WHERE user_id = ?) s WHERE prev IS NOT NULL`,
      [user],
    );
  }
  return users;
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = os.loadavg()[0];
  const db = await createScratchDatabase();
  try {
    const command = ['npm', 'run', 'catalog:synth', '--', '--artists', String(ARTISTS), '--database-url', db.url];
    log(`${command.join(' ').replace(/\/\/[^@]*@/, '//')}`);
    const synth = spawnSync(command[0], command.slice(1), { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (synth.status !== 0) throw new Error(`catalog:synth exited with ${synth.status}`);
    const [{ n }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM artists');
    const users = await seedConstellations(db.sql);
    await db.sql.query('ANALYZE');
    log(`${n} artists, ${users.length} users × ${STARS} stars; measuring ${COLD} cold and ${WARM} warm reads…`);

    const journal = new JournalService({
      constellations: new ConstellationRepository(db.sql),
      catalog: new CatalogRepository(db.orm),
      maxEntries: 10_000,
      ttlMs: 300_000,
    });
    const first = await journal.of(users[0]);
    if (first.stars.length !== STARS || first.clusters.length !== 10)
      throw new Error(`unexpected journal: ${first.stars.length} stars, ${first.clusters.length} clusters`);
    for (let i = 0; i < 20; i++) await journal.of(users[i % users.length]); // JIT and pool warm-up
    const cold: number[] = [];
    for (let i = 0; i < COLD; i++) {
      const user = users[i % users.length];
      journal.invalidate(user); // what a capture does
      const t = performance.now();
      await journal.of(user);
      cold.push(performance.now() - t);
    }
    const warm: number[] = [];
    for (let i = 0; i < WARM; i++) {
      const t = performance.now();
      await journal.of(users[i % users.length]);
      warm.push(performance.now() - t);
    }
    // What the HTTP route and the room add on a hit: encoding the journal as JSON.
    const warmJson: number[] = [];
    for (let i = 0; i < WARM; i++) {
      const t = performance.now();
      JSON.stringify(await journal.of(users[i % users.length]));
      warmJson.push(performance.now() - t);
    }
    // The pure part alone (k-means + statistics + layout + insights) on one loaded constellation.
    const { stars, connections } = await new ConstellationRepository(db.sql).constellationOf(users[0]);
    const artists = await new CatalogRepository(db.orm).artistsByIds(stars.map((s) => s.artistId));
    const inputs = stars.map((s) => ({ id: s.id, artist: { ...artists.get(s.artistId)!, frequency: null }, position: s.position, capturedAt: s.capturedAt }));
    const compute: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t = performance.now();
      buildJournal(inputs, connections, clusterAssignment(inputs.map((s) => s.position)));
      compute.push(performance.now() - t);
    }
    const row = (name: string, ms: number[], goal: string) => {
      const p = pct(ms);
      return `| ${name} | ${ms.length} | ${f(p.p50)} | ${f(p.p95)} | ${f(p.p99)} | ${f(p.max)} | ${goal} |`;
    };
    process.stdout.write(
      [
        `Journal of a ${STARS}-star constellation, ${n} artists in the catalog, ${users.length} users:`,
        '',
        '| read | samples | p50 ms | p95 ms | p99 ms | max ms | goal (p95) |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        row('cold (after a capture: Postgres + k-means + statistics)', cold, '< 80 ms'),
        row('warm (cached)', warm, '< 20 ms'),
        row('warm + JSON encoding (what a route sends)', warmJson, '< 20 ms'),
        row('compute only (no I/O)', compute, '–'),
        '',
        `Machine: ${os.cpus().length} CPUs, load average (1 min) ${f(loadAtStart)} at the start, ${f(os.loadavg()[0])} at the end; Node ${process.version}; ${f((performance.now() - started) / 1000, 1)} s.`,
        '',
      ].join('\n'),
    );
    const [c, w] = [pct(cold).p95, pct(warmJson).p95];
    if (c >= 80 || w >= 20) process.exitCode = 1;
  } finally {
    await db.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
