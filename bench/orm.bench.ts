/**
 * ORM or SQL: `npm run bench:orm`. Each path the server runs as hand-written SQL is measured against
 * its EntityManager version in the same run, on a real database with realistic data (bench/orm/data.ts),
 * after checking both give the same answer (and rows). The low-rate CRUD this branch moved to the
 * EntityManager is measured against the SQL it replaced. Prints a Markdown table for BENCHMARKS.md.
 *
 * Env: BENCH_DATABASE_URL (else TEST_DATABASE_URL / DATABASE_URL, else an embedded PostgreSQL),
 * BENCH_ORM_N (sequential operations per side, default 400), BENCH_ORM_STORM (operations per side
 * with 64 in flight, default 1000), BENCH_ORM_PASSPORT (events seeded, default 200000), BENCH_ORM_ONLY
 * (comma-separated case names: session counters, join, capture, station, planning, rollup, passport, catalog chunk).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createScratchDatabase } from './orm/scratchDatabase.js';
import { passportEvents, seed, writePassport } from './orm/data.js';
import {
  captureCase,
  catalogChunkCase,
  countersCase,
  joinCase,
  passportCase,
  planningCase,
  rollupCase,
  recommendationsCase,
  stationCase,
  type CaseResult,
} from './orm/cases.js';
import { stats } from './orm/measure.js';

const PASSPORT_EVENTS = Number(process.env.BENCH_ORM_PASSPORT ?? 200_000);
/** Comma-separated case names to run (default: all), e.g. `BENCH_ORM_ONLY=join,capture`. */
const ONLY = process.env.BENCH_ORM_ONLY?.split(',').map((s) => s.trim());

const f = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const rate = (n: number): string => (n >= 1000 ? `${Math.round(n).toLocaleString('en-US')}` : f(n, 1));

function row(r: CaseResult): string {
  const [s, e] = [stats(r.sql), stats(r.em)];
  const statements = Number.isFinite(r.sql.statementsPerOp) ? `${f(r.sql.statementsPerOp, 1)} / ${f(r.em.statementsPerOp, 1)}` : '–';
  const throughput = r.items
    ? `${rate(r.items / (s.mean / 1000))} / ${rate(r.items / (e.mean / 1000))} items/s`
    : `${rate(s.opsPerSec)} / ${rate(e.opsPerSec)} ops/s`;
  return `| ${r.path} | ${r.op} | ${r.sql.ms.length} | ${statements} | ${f(s.p50)} / ${f(s.p99)} | ${f(e.p50)} / ${f(e.p99)} | ${f(e.p50 / s.p50)}× | ${throughput} |`;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = os.loadavg()[0];
  const db = await createScratchDatabase(10);
  try {
    log(`database ${db.url.replace(/\/\/[^@]*@/, '//')}: seeding catalog, users, sessions, constellations…`);
    const data = await seed(db.orm, db.sql);
    log(`seeded ${data.artists.length} artists, ${data.users.length} users; writing ${PASSPORT_EVENTS} passport events…`);
    await writePassport(db.url, passportEvents(PASSPORT_EVENTS, data));
    await db.sql.query('ANALYZE');
    const results: CaseResult[] = [];
    for (const [name, run] of [
      ['session counters', () => countersCase(db, data)],
      ['join', () => joinCase(db, data)],
      ['capture', () => captureCase(db, data)],
      ['station', () => stationCase(db, data)],
      ['planning', () => planningCase(db, data)],
      ['rollup', () => rollupCase(db)],
      ['passport', () => passportCase(db, data)],
      ['catalog chunk', () => catalogChunkCase(db)],
      ['recommendations', () => recommendationsCase(db, data)],
    ] as const) {
      if (ONLY && !ONLY.includes(name)) continue;
      log(`measuring ${name}…`);
      results.push(...(await run()));
    }
    process.stdout.write(
      [
        '| path | one operation | ops per side | statements per op SQL / EM | SQL p50 / p99 ms | EM p50 / p99 ms | EM ÷ SQL p50 | SQL / EM throughput |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        ...results.map(row),
        '',
        `Machine: ${os.cpus().length} CPUs, load average (1 min) ${f(loadAtStart)} at the start, ${f(os.loadavg()[0])} at the end; Node ${process.version}.`,
        '',
      ].join('\n'),
    );
    log(`done in ${f((performance.now() - started) / 1000, 0)} s; every check passed (both versions gave the same answers and rows)`);
  } finally {
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(`bench:orm failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
