/**
 * Passport writer benchmark: `npx tsx bench/passport.bench.ts`.
 * Creates its own database (TEST_DATABASE_URL / DATABASE_URL, else the local server at
 * 127.0.0.1:5432, else an embedded Postgres), then measures sustained events/s persisted:
 * - the writer over its pg sink (the production path) and over MikroORM's Sql sink,
 *   each producer enqueueing as fast as backpressure allows, timed until drain() resolves;
 * - the naive path: one autocommit INSERT per event.
 * Verifies the row counts, prints a table, drops the database and exits.
 */
import { preferLocalPostgres } from './support/postgres.js';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import pino from 'pino';
import { createScratchDatabase, stopEmbeddedPostgres } from './support/postgres.js';
import { PassportWriter } from '../persistence/passport/PassportWriter.js';
import { createPgSink } from '../persistence/passport/sinks.js';
import { BackpressureError } from '../persistence/passport/errors.js';
import { makeEvent, type PassportEvent } from '../systems/passport/index.js';

const WRITER_EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const ORM_EVENTS = Math.min(WRITER_EVENTS, 100_000);
const NAIVE_EVENTS = 5_000;
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
        out.push(makeEvent('station.visited', { payload: { artistId: artist, artistName: 'Some Artist', frequency: 99.9, method: 'swipe', cameFrom: 'artist_1' }, entityType: 'artist', entityId: artist }, ids, now, randomUUID));
        break;
      case 1:
        out.push(makeEvent('station.swiped', { payload: { direction: 'left', velocity: 850, fromStation: 99.9 }, entityType: 'station', entityId: '99.9' }, ids, now, randomUUID));
        break;
      case 2:
        out.push(makeEvent('orb.tapped', { payload: { orbId: `orb_${i % 50}`, fromArtistId: artist, toArtistId: 'artist_fela_004', relationship: 'ancestor' }, entityType: 'orb', entityId: `orb_${i % 50}` }, ids, now, randomUUID));
        break;
      case 3:
        out.push(makeEvent('player.track_played', { payload: { trackId: `track_${i % 1000}`, artistId: artist, durationSeconds: 212 }, entityType: 'track', entityId: `track_${i % 1000}` }, ids, now, randomUUID));
        break;
      case 4:
        out.push(makeEvent('sensor.batch', { payload: { samples: 12, totalDuration: 4.2, avgTiltX: 11.5, avgTiltY: -3.25 }, entityType: 'session', entityId: ids.sessionId }, ids, now, randomUUID));
        break;
      default:
        out.push(makeEvent('concierto.vote_cast', { payload: { eventId: 'evt_1', voteFor: artist, channel: 'web', weight: 1 }, entityType: 'concierto_event', entityId: 'evt_1' }, ids, now, randomUUID));
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Enqueues everything as fast as the bounded queue allows; timed until drain() resolves. */
async function runWriter(writer: PassportWriter, events: PassportEvent[]): Promise<{ seconds: number; refusals: number }> {
  let refusals = 0;
  const started = performance.now();
  for (let i = 0; i < events.length; ) {
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
      [e.eventId, e.eventType, e.eventCategory, e.userId, e.sessionId, e.deviceId, new Date(e.occurredAt), new Date(e.receivedAt), e.entityType, e.entityId, JSON.stringify(e.payload), e.source],
    );
  }
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return seconds;
}

async function main(): Promise<void> {
  await preferLocalPostgres();
  const db = await createScratchDatabase({ poolMax: 4 });
  try {
    const t0 = performance.now();
    const events = buildEvents(WRITER_EVENTS + ORM_EVENTS + NAIVE_EVENTS);
    const buildSeconds = (performance.now() - t0) / 1000;
    const pgEvents = events.slice(0, WRITER_EVENTS);
    const ormEvents = events.slice(WRITER_EVENTS, WRITER_EVENTS + ORM_EVENTS);
    const naiveEvents = events.slice(WRITER_EVENTS + ORM_EVENTS);

    const sink = createPgSink({ url: db.url, log });
    const pgWriter = new PassportWriter(sink, { maxQueue: 100_000, batchSize: 1000, flushIntervalMs: 50 }, log);
    const fast = await runWriter(pgWriter, pgEvents);
    const fastStats = pgWriter.stats();
    await pgWriter.stop();
    await sink.close();

    const ormWriter = new PassportWriter(db.sql, { maxQueue: 100_000, batchSize: 1000, flushIntervalMs: 50 }, log);
    const orm = await runWriter(ormWriter, ormEvents);
    const ormStats = ormWriter.stats();
    await ormWriter.stop();

    const naiveSeconds = await runNaive(db.url, naiveEvents);

    const [{ n }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM passport_entries');
    const expected = pgEvents.length + ormEvents.length + naiveEvents.length;
    if (n !== expected) throw new Error(`row count ${n} != ${expected} events written`);

    const naiveRate = naiveEvents.length / naiveSeconds;
    const row = (path: string, count: number, seconds: number, extra: string) => {
      const rate = count / seconds;
      return `| ${path.padEnd(38)} | ${String(count).padStart(8)} | ${seconds.toFixed(2).padStart(7)} | ${Math.round(rate).toLocaleString('en-US').padStart(9)} | ${(rate / naiveRate).toFixed(1).padStart(7)}× | ${extra}`;
    };
    const flushInfo = (s: typeof fastStats, r: { refusals: number }) => `flush p50 ${s.flushLatencyMsP50} ms, max ${s.flushLatencyMsMax} ms, ${s.flushes} flushes, ${r.refusals} backpressure waits`;
    process.stdout.write(
      [
        '',
        `Passport writer benchmark (events prebuilt and validated at ${Math.round(events.length / buildSeconds).toLocaleString('en-US')} events/s; rows verified: ${n})`,
        '',
        `| ${'path'.padEnd(38)} | ${'events'.padStart(8)} | ${'seconds'.padStart(7)} | ${'events/s'.padStart(9)} | vs naive | notes`,
        `|${'-'.repeat(40)}|${'-'.repeat(10)}|${'-'.repeat(9)}|${'-'.repeat(11)}|${'-'.repeat(10)}|------`,
        row('PassportWriter + pg sink (batch 1000)', pgEvents.length, fast.seconds, flushInfo(fastStats, fast)),
        row('PassportWriter + MikroORM Sql sink', ormEvents.length, orm.seconds, flushInfo(ormStats, orm)),
        row('naive: one INSERT per event', naiveEvents.length, naiveSeconds, 'autocommit, one round trip + WAL flush each'),
        '',
        `writer (pg sink) / naive = ${(pgEvents.length / fast.seconds / naiveRate).toFixed(1)}×  (targets: ≥ 50,000 events/s and ≥ 20×)`,
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
