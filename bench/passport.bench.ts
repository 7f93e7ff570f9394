/**
 * Passport writer benchmark: `npm run bench:passport` (`npx tsx bench/passport.bench.ts`).
 * Creates its own database (TEST_DATABASE_URL / DATABASE_URL, else the local server at
 * 127.0.0.1:5432, else an embedded Postgres), then measures sustained events/s persisted, one path
 * after the other in the same run:
 * - the naive path: one autocommit INSERT per event;
 * - old: the writer over the JSON pg sink, one batch at a time (the production path before the COPY sink);
 * - new: the writer over the COPY sink with BENCH_FLUSH_CONCURRENCY (2) batches of BENCH_BATCH (1000);
 * - the writer over MikroORM's Sql sink (BENCH_ORM_EVENTS, 50,000; 0 skips it);
 *   each producer enqueueing as fast as backpressure allows, timed until drain() resolves.
 * Verifies the row counts, prints a table, drops the database and exits.
 */
import { preferLocalPostgres } from './support/postgres.js';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import pino from 'pino';
import { createScratchDatabase, stopEmbeddedPostgres } from './support/postgres.js';
import { PassportWriter } from '../features/passport/PassportWriter.js';
import { createCopySink } from '../persistence/passport/copySink.js';
import { BackpressureError } from '../persistence/passport/errors.js';
import { makeEvent, type PassportEvent } from '../systems/passport/index.js';

const WRITER_EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const ORM_EVENTS = Number(process.env.BENCH_ORM_EVENTS ?? Math.min(WRITER_EVENTS, 50_000));
const NAIVE_EVENTS = Number(process.env.BENCH_NAIVE_EVENTS ?? 5_000);
/** The new path's batches in flight (PASSPORT_FLUSH_CONCURRENCY) and batch size. */
const CONCURRENCY = Number(process.env.BENCH_FLUSH_CONCURRENCY ?? 2);
const NEW_BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const CHUNK = 500; // events per enqueue, like a busy room server's stream of small batches
const log = pino({ level: 'warn' });

/** A realistic mix: visits, swipes, orb taps, plays, sensor batches, votes. */
function buildEvents(n: number): PassportEvent[] {
  const now = Date.now();
  const users = Array.from({ length: 500 }, () => randomUUID());
  const out: PassportEvent[] = [];
  for (let i = 0; i < n; i++) {
    const ids = { source: 'room' as const, userId: users[i % users.length], sessionId: `s-${i % 2000}`, deviceId: `dev-${i % 500}` };
    const artist = `artist_${i % 200}`;
    switch (i % 6) {
      case 0:
        out.push(
          makeEvent(
            'station.visited',
            {
              payload: { artistId: artist, artistName: 'Some Artist', frequency: 99.9, method: 'swipe', cameFrom: 'artist_1' },
              entityType: 'artist',
              entityId: artist,
            },
            ids,
            now,
            randomUUID,
          ),
        );
        break;
      case 1:
        out.push(
          makeEvent(
            'station.swiped',
            { payload: { direction: 'left', velocity: 850, fromStation: 99.9 }, entityType: 'station', entityId: '99.9' },
            ids,
            now,
            randomUUID,
          ),
        );
        break;
      case 2:
        out.push(
          makeEvent(
            'orb.tapped',
            {
              payload: { orbId: `orb_${i % 50}`, fromArtistId: artist, toArtistId: 'artist_fela_004', relationship: 'ancestor' },
              entityType: 'orb',
              entityId: `orb_${i % 50}`,
            },
            ids,
            now,
            randomUUID,
          ),
        );
        break;
      case 3:
        out.push(
          makeEvent(
            'player.track_played',
            { payload: { trackId: `track_${i % 1000}`, artistId: artist, durationSeconds: 212 }, entityType: 'track', entityId: `track_${i % 1000}` },
            ids,
            now,
            randomUUID,
          ),
        );
        break;
      case 4:
        out.push(
          makeEvent(
            'sensor.batch',
            { payload: { samples: 12, totalDuration: 4.2, avgTiltX: 11.5, avgTiltY: -3.25 }, entityType: 'session', entityId: ids.sessionId },
            ids,
            now,
            randomUUID,
          ),
        );
        break;
      default:
        out.push(
          makeEvent(
            'concierto.vote_cast',
            { payload: { eventId: 'evt_1', voteFor: artist, channel: 'web', weight: 1 }, entityType: 'concierto_event', entityId: 'evt_1' },
            ids,
            now,
            randomUUID,
          ),
        );
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Enqueues everything as fast as the bounded queue allows; timed until drain() resolves. */
async function runWriter(writer: PassportWriter, events: PassportEvent[]): Promise<{ seconds: number; refusals: number }> {
  let refusals = 0;
  const started = performance.now();
  for (let i = 0; i < events.length;) {
    const chunk = events.slice(i, i + CHUNK);
    try {
      writer.enqueue(chunk);
      i += chunk.length;
      if ((i / CHUNK) % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    } catch (err) {
      if (!(err instanceof BackpressureError)) throw err;
      refusals++;
      await sleep(2); // a real producer would honour retryAfterSec; the bench only yields to the flush
    }
  }
  await writer.drain(120_000);
  return { seconds: (performance.now() - started) / 1000, refusals };
}

async function runNaive(url: string, events: PassportEvent[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  for (const e of events) {
    await client.query(
      // The same idempotency as the sink: claim the id, insert only a new claim (migration 008).
      `WITH fresh AS (INSERT INTO passport_event_ids (event_id, received_at) VALUES ($1, $8) ON CONFLICT (event_id) DO NOTHING RETURNING event_id)
       INSERT INTO passport_entries (event_id, event_type, event_category, user_id, session_id, device_id, occurred_at, received_at, entity_type, entity_id, payload, source)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM fresh`,
      [
        e.eventId,
        e.eventType,
        e.eventCategory,
        e.userId,
        e.sessionId,
        e.deviceId,
        new Date(e.occurredAt),
        new Date(e.receivedAt),
        e.entityType,
        e.entityId,
        JSON.stringify(e.payload),
        e.source,
      ],
    );
  }
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return seconds;
}

interface PathResult {
  path: string;
  events: number;
  seconds: number;
  notes: string;
}

/** One writer path: a fresh sink, all its events enqueued as fast as backpressure allows, timed until drained. */
async function writerPath(
  path: string,
  target: ConstructorParameters<typeof PassportWriter>[0],
  events: PassportEvent[],
  batchSize: number,
  close?: () => Promise<void>,
): Promise<PathResult> {
  const writer = new PassportWriter(
    target,
    { maxQueue: 100_000, batchSize, flushIntervalMs: 50, baseRetryDelayMs: 50, maxRetryDelayMs: 5000, maxLagMs: 500 },
    log,
  );
  const run = await runWriter(writer, events);
  const s = writer.stats();
  await writer.stop();
  await close?.();
  return {
    path,
    events: events.length,
    seconds: run.seconds,
    notes: `flush p50 ${s.flushLatencyMsP50} ms, max ${s.flushLatencyMsMax} ms, ${s.flushes} flushes, ${run.refusals} backpressure waits`,
  };
}

async function main(): Promise<void> {
  await preferLocalPostgres();
  const db = await createScratchDatabase({ poolMax: 4 });
  try {
    const t0 = performance.now();
    const events = buildEvents(NAIVE_EVENTS + 2 * WRITER_EVENTS + ORM_EVENTS);
    const buildSeconds = (performance.now() - t0) / 1000;
    let next = 0;
    const take = (n: number) => events.slice(next, (next += n));
    const results: PathResult[] = [];
    const naiveEvents = take(NAIVE_EVENTS);
    results.push({
      path: 'naive: one INSERT per event',
      events: naiveEvents.length,
      seconds: await runNaive(db.url, naiveEvents),
      notes: 'autocommit, one round trip + WAL flush each',
    });
    const json = createCopySink({ url: db.url, log, queryTimeoutMs: 30_000, concurrency: 1, copyMinEvents: Number.MAX_SAFE_INTEGER });
    results.push(await writerPath('old: JSON pg sink, 1 in flight', json, take(WRITER_EVENTS), 1000, () => json.close()));
    const copy = createCopySink({ url: db.url, log, concurrency: CONCURRENCY, queryTimeoutMs: 30_000, copyMinEvents: 500 });
    results.push(await writerPath(`new: COPY sink, ${CONCURRENCY} in flight, batch ${NEW_BATCH}`, copy, take(WRITER_EVENTS), NEW_BATCH, () => copy.close()));
    if (ORM_EVENTS > 0) results.push(await writerPath('MikroORM Sql sink (JSON), 1 in flight', db.sql, take(ORM_EVENTS), 1000));

    const [{ n }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM passport_entries');
    if (n !== next) throw new Error(`row count ${n} != ${next} events written`);

    const rate = (r: PathResult) => r.events / r.seconds;
    const naiveRate = rate(results[0]);
    const row = (r: PathResult) =>
      `| ${r.path.padEnd(44)} | ${String(r.events).padStart(8)} | ${r.seconds.toFixed(2).padStart(7)} | ${Math.round(rate(r)).toLocaleString('en-US').padStart(9)} | ${(rate(r) / naiveRate).toFixed(1).padStart(7)}× | ${r.notes}`;
    const [, oldPath, newPath] = results;
    process.stdout.write(
      [
        '',
        `Passport writer benchmark (events prebuilt and validated at ${Math.round(events.length / buildSeconds).toLocaleString('en-US')} events/s; rows verified: ${n})`,
        '',
        `| ${'path'.padEnd(44)} | ${'events'.padStart(8)} | ${'seconds'.padStart(7)} | ${'events/s'.padStart(9)} | vs naive | notes`,
        `|${'-'.repeat(46)}|${'-'.repeat(10)}|${'-'.repeat(9)}|${'-'.repeat(11)}|${'-'.repeat(10)}|------`,
        ...results.map(row),
        '',
        `new / naive = ${(rate(newPath) / naiveRate).toFixed(1)}×, new / old = ${(rate(newPath) / rate(oldPath)).toFixed(2)}×, new = ${Math.round(rate(newPath)).toLocaleString('en-US')} events/s  (targets: ≥ 100× naive and ≥ 200,000 events/s)`,
        '',
      ].join('\n'),
    );
  } finally {
    await db.drop();
    await stopEmbeddedPostgres();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`passport bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
