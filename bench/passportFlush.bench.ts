/**
 * Node CPU per passport flush by batch size (PASSPORT_COPY_MIN_EVENTS): the production COPY sink with every
 * batch by binary COPY (four round trips: BEGIN, COPY, claims, insert + COMMIT) against the same sink with
 * every batch as one JSON statement (lock, claims, insert), one batch at a time, same run, same events.
 * A live server flushes every PASSPORT_FLUSH_MS (50 ms) whatever it holds, so its batches are small and
 * this per-flush cost is paid ~20 times a second per process.
 *   npm run bench:passport-flush [-- rounds]
 * Its own database (TEST_DATABASE_URL / DATABASE_URL, else 127.0.0.1:5432), dropped after.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createScratchDatabase, preferLocalPostgres } from './support/postgres.js';
import { createCopySink } from '../persistence/passport/copySink.js';
import { makeEvent, type PassportEvent } from '../systems/passport/index.js';

const SIZES = [1, 10, 30, 100, 300, 1000];
const log = pino({ level: 'warn' });

function events(n: number): PassportEvent[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) =>
    makeEvent(
      'station.visited',
      {
        payload: { artistId: `artist_${i % 5}`, artistName: 'Some Artist', frequency: 99.9, method: 'swipe', cameFrom: 'artist_1' },
        entityType: 'artist',
        entityId: `artist_${i % 5}`,
      },
      { source: 'room', userId: randomUUID(), sessionId: 's', deviceId: 'd' },
      now,
      randomUUID,
    ),
  );
}

/** CPU µs and wall ms per flush of `size` events, after 20 warm-up flushes. */
async function measure(sink: { insert(e: readonly PassportEvent[]): Promise<readonly string[]> }, size: number): Promise<{ cpuUs: number; wallMs: number }> {
  const flushes = Math.max(40, Math.min(400, Math.round(20_000 / size)));
  const batches = Array.from({ length: flushes + 20 }, () => events(size));
  for (const b of batches.slice(0, 20)) await sink.insert(b);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const b of batches.slice(20)) await sink.insert(b);
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / flushes, wallMs: (performance.now() - start) / flushes };
}

async function main(): Promise<void> {
  await preferLocalPostgres();
  const db = await createScratchDatabase({ poolMax: 2 });
  const byCopy = createCopySink({ url: db.url, log, concurrency: 2, copyMinEvents: 0, queryTimeoutMs: 30_000 });
  const asStatement = createCopySink({ url: db.url, log, concurrency: 2, copyMinEvents: Number.MAX_SAFE_INTEGER, queryTimeoutMs: 30_000 });
  try {
    const rounds = Number(process.argv[2] ?? 2);
    process.stdout.write(
      '| round | events per flush | COPY: node CPU µs / wall ms per flush | one statement: node CPU µs / wall ms | CPU ratio |\n| --- | --- | --- | --- | --- |\n',
    );
    for (let r = 1; r <= rounds; r++) {
      for (const size of SIZES) {
        const copy = await measure(byCopy, size);
        const one = await measure(asStatement, size);
        process.stdout.write(
          `| ${r} | ${size} | ${copy.cpuUs.toFixed(0)} / ${copy.wallMs.toFixed(1)} | ${one.cpuUs.toFixed(0)} / ${one.wallMs.toFixed(1)} | ${(copy.cpuUs / one.cpuUs).toFixed(2)}× |\n`,
        );
      }
    }
  } finally {
    await byCopy.close();
    await asStatement.close();
    await db.drop();
  }
}

await main();
