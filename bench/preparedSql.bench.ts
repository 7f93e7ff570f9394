/**
 * Hand-written SQL as named prepared statements against the same statements inlined into their text
 * (how MikroORM runs them, and how `Sql` ran every statement before DB_PREPARED_STATEMENTS): node CPU
 * and Postgres backend CPU per statement, and statements per second with 8 in flight, rounds alternating
 * on one database. Three shapes from the capture path: a keyed read with a join (a user's stars), a
 * statement with a JSON parameter (a recommendation list), an INSERT … ON CONFLICT.
 *   npm run bench:prepared-sql [-- --statements 5000 --rounds 3]
 * Postgres CPU is read from /proc for the benchmark's own backends (Postgres on this machine), else "–".
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { configureSql, sqlFor, type Sql } from '../persistence/db.js';
import { createOrm } from '../persistence/orm.js';
import { CatalogRepository } from '../persistence/catalog/CatalogRepository.js';
import { createScratchDatabase } from './support/postgres.js';

const { values } = parseArgs({ options: { statements: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '3' } } });
const N = Number(values.statements);
const ROUNDS = Number(values.rounds);
const CONCURRENCY = 8;

const db = await createScratchDatabase();
const USER = '10000000-0000-4000-8000-000000000001';
await new CatalogRepository(db.orm).ensureDemoCatalog();
await db.sql.query(`INSERT INTO users (id, device_id) VALUES (?, 'bench-device')`, [USER]);
const artists = (await db.sql.query<{ id: string }>(`SELECT id FROM artists ORDER BY id LIMIT 22`)).map((a) => a.id);
for (const [i, id] of artists.slice(0, 12).entries()) {
  await db.sql.query(`INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at, discovery_path) VALUES (?, ?, ?, ?, ?, now(), '[]'::jsonb)`, [
    USER,
    id,
    i,
    i,
    i,
  ]);
}
const list = JSON.stringify(artists.slice(12).map((id, i) => ({ artist_id: id, score: i / 7, reason: `Because you like artist number ${i}` })));

const shapes: Array<[string, (sql: Sql, i: number) => Promise<unknown>]> = [
  [
    'keyed read with a join',
    (sql) =>
      sql.query(
        `SELECT a.id, a.name, a.genres, a.era FROM constellation_stars c JOIN artists a ON a.id = c.artist_id WHERE c.user_id = ? ORDER BY c.captured_at, c.id`,
        [USER],
      ),
  ],
  [
    'JSON parameter',
    (sql) =>
      sql.query(
        `SELECT count(*)::int AS n, max(r.score) AS top FROM jsonb_to_recordset(?::jsonb) AS r(artist_id text, score float8, reason text) JOIN artists a ON a.id = r.artist_id`,
        [list],
      ),
  ],
  [
    'INSERT … ON CONFLICT',
    (sql, i) =>
      sql.query(`INSERT INTO user_badges (user_id, badge, earned_at) VALUES (?, ?, ?) ON CONFLICT (user_id, badge) DO NOTHING`, [
        USER,
        `bench_${i % 50}`,
        new Date(),
      ]),
  ],
];

async function side(maxPrepared: number): Promise<{ sql: Sql; close: () => Promise<void>; backendPids: () => Promise<number[]> }> {
  const orm = await createOrm({ url: db.url, poolMax: CONCURRENCY });
  configureSql(orm, { maxPrepared });
  const sql = sqlFor(orm);
  const name = db.name;
  return {
    sql,
    close: () => orm.close(true),
    backendPids: async () =>
      (await db.sql.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = ? AND application_name = ''`, [name])).map((r) => r.pid),
  };
}

/** utime + stime of processes, in ms, or null when /proc does not show them (Postgres elsewhere). */
function cpuMs(pids: number[]): number | null {
  try {
    const tick = 10; // USER_HZ = 100 on Linux
    return pids.reduce((sum, pid) => {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return sum + (Number(fields[11]) + Number(fields[12])) * tick;
    }, 0);
  } catch {
    return null;
  }
}

async function measure(sql: Sql, pidsOf: () => Promise<number[]>, run: (sql: Sql, i: number) => Promise<unknown>) {
  for (let i = 0; i < CONCURRENCY * 4; i++) await Promise.all(Array.from({ length: CONCURRENCY }, (_, k) => run(sql, i * CONCURRENCY + k))); // every pooled connection has prepared it
  const pids = await pidsOf();
  const pg0 = cpuMs(pids);
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) await run(sql, next++);
    }),
  );
  const wallMs = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  const pg1 = cpuMs(pids);
  return { nodeUs: (cpu.user + cpu.system) / N, pgUs: pg0 === null || pg1 === null ? null : ((pg1 - pg0) * 1000) / N, perSec: (N / wallMs) * 1000 };
}

const inlined = await side(0);
const prepared = await side(500);
const fmt = (x: number | null) => (x === null ? '–' : x.toFixed(1));
process.stdout.write(
  `${N} statements per shape and side, ${CONCURRENCY} in flight; µs per statement (Postgres CPU in 10 ms ticks, so ±${((10_000 * 2) / N).toFixed(1)} µs)\n`,
);
for (let r = 1; r <= ROUNDS; r++) {
  for (const [label, run] of shapes) {
    const a = await measure(inlined.sql, inlined.backendPids, run);
    const b = await measure(prepared.sql, prepared.backendPids, run);
    process.stdout.write(
      `round ${r} · ${label.padEnd(22)} inlined: node ${fmt(a.nodeUs)} µs, Postgres ${fmt(a.pgUs)} µs, ${a.perSec.toFixed(0)}/s · prepared: node ${fmt(b.nodeUs)} µs, Postgres ${fmt(b.pgUs)} µs, ${b.perSec.toFixed(0)}/s · node ${(a.nodeUs / b.nodeUs).toFixed(2)}× less\n`,
    );
  }
}
await inlined.close();
await prepared.close();
await db.drop();
process.exit(0);
