import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { useTestDatabase } from '../../support/db.js';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { createCopySink } from '../../../persistence/passport/copySink.js';
import type { PassportSink } from '../../../persistence/passport/sinks.js';
import { CursorProcessor, type CursorConsumer } from '../../../features/passport/CursorProcessor.js';
import { makeEvent, type PassportEvent } from '../../../systems/passport/index.js';
import { writerOptions } from '../../support/config.js';

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `n` events numbered from `from` in entity_id (so their queue order can be read back). */
function numbered(n: number, from = 0, userId = randomUUID()): PassportEvent[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) =>
    makeEvent(
      'station.visited',
      { payload: { artistId: `artist_${i % 5}`, frequency: 99.9, method: 'swipe' }, entityType: 'artist', entityId: String(from + i) },
      { source: 'room', userId, sessionId: 's1', deviceId: 'd1' },
      now,
      randomUUID,
    ),
  );
}

/** Wraps a sink to record how many inserts ran at once, at most. */
function measured(inner: PassportSink & { close(): Promise<void> }) {
  let running = 0;
  const seen = { maxInFlight: 0 };
  const sink: PassportSink = {
    concurrency: inner.concurrency,
    insert: async (events) => {
      seen.maxInFlight = Math.max(seen.maxInFlight, ++running);
      try {
        return await inner.insert(events);
      } finally {
        running--;
      }
    },
    deadLetter: inner.deadLetter,
  };
  return { sink, seen };
}

describe('passport COPY sink options', () => {
  it('refuses a concurrency or a copyMinEvents that is not a whole number in range, naming it', () => {
    const url = 'postgres://postgres@127.0.0.1:1/none'; // never connected: the options are checked first
    assert.throws(
      () => createCopySink({ url, log: silent, concurrency: 0, queryTimeoutMs: 30_000, copyMinEvents: 500 }),
      /concurrency must be a positive integer, got 0/,
    );
    assert.throws(
      () => createCopySink({ url, log: silent, copyMinEvents: -1, queryTimeoutMs: 30_000, concurrency: 2 }),
      /copyMinEvents must be a non-negative integer, got -1/,
    );
    assert.throws(
      () => createCopySink({ url, log: silent, copyMinEvents: 1.5, queryTimeoutMs: 30_000, concurrency: 2 }),
      /copyMinEvents must be a non-negative integer, got 1.5/,
    );
  });
});

/** Every case runs with each way a batch can go: always the COPY, always one statement, and both by size. */
const MODES = [
  { label: 'every batch by COPY', copyMinEvents: 0 },
  { label: 'every batch as one statement', copyMinEvents: 1_000_000 },
  { label: 'batches under 150 events as one statement, the rest by COPY', copyMinEvents: 150 },
];

for (const mode of MODES)
  describe(`passport COPY sink with several batches in flight: ${mode.label}`, function () {
    this.timeout(90_000);
    const database = useTestDatabase({ poolMax: 4 });
    const closers: Array<() => Promise<unknown>> = [];
    const copySink = (concurrency: number) => {
      const sink = createCopySink({
        url: database().url,
        log: silent,
        concurrency,
        copyMinEvents: mode.copyMinEvents,
        queryTimeoutMs: 30_000,
      });
      closers.push(() => sink.close());
      return sink;
    };
    const writer = (sink: PassportSink, options: { batchSize: number; maxQueue?: number }) => {
      const w = new PassportWriter(sink, writerOptions({ flushIntervalMs: 5, maxLagMs: 30_000, baseRetryDelayMs: 5, maxQueue: 50_000, ...options }), silent);
      closers.unshift(() => w.stop());
      return w;
    };
    const rows = async () =>
      database().sql.query<{ id: string; event_id: string; n: number; occurred_at: Date }>(
        `SELECT id::text AS id, event_id::text AS event_id, entity_id::int AS n, occurred_at FROM passport_entries ORDER BY passport_entries.id`,
      );

    beforeEach(async () => {
      await database().sql.query('TRUNCATE passport_entries, passport_dead_letters');
    });
    afterEach(async () => {
      for (const close of closers.splice(0)) await close();
    });

    it('stores every field as the JSON sink does, each event id once, and keeps the first of a repeated id in a batch', async () => {
      const sink = copySink(1);
      const [event] = numbered(1);
      const full = {
        ...event,
        occurredAt: event.receivedAt - 1234.5,
        payload: { artistId: 'ünïcødé ✓', frequency: 99.9, method: 'swipe', note: 'quote " backslash \\ tab \t' },
      } as PassportEvent;
      const bare = { ...numbered(1)[0], userId: null, sessionId: null, deviceId: null, entityType: null, entityId: null } as PassportEvent;
      const repeat = { ...full, source: 'http' } as PassportEvent;
      assert.deepEqual([...(await sink.insert([full, bare, repeat]))].sort(), [full.eventId, bare.eventId].sort(), 'the sink names the events it stored');
      assert.deepEqual(await sink.insert([full]), [], 'a retry of a stored event is a duplicate');
      const stored = await database().sql.query<Record<string, unknown>>(
        `SELECT event_id::text, event_type, event_category, user_id::text, session_id, device_id, (extract(epoch FROM occurred_at) * 1000)::float8 AS occurred_at, (extract(epoch FROM received_at) * 1000)::float8 AS received_at, entity_type, entity_id, payload, source FROM passport_entries ORDER BY id`,
      );
      assert.deepEqual(stored[0], {
        event_id: full.eventId,
        event_type: 'station.visited',
        event_category: 'station',
        user_id: full.userId,
        session_id: 's1',
        device_id: 'd1',
        occurred_at: full.occurredAt, // to the microsecond
        received_at: full.receivedAt,
        entity_type: 'artist',
        entity_id: '0',
        payload: full.payload,
        source: 'room',
      });
      assert.equal(stored[1].user_id, null);
      assert.equal(stored[1].session_id, null);
    });

    it("answers a retried flight's earlier claims as stored, and the same ids from any other batch as duplicates", async () => {
      const sink = copySink(1);
      const flight = randomUUID();
      const events = numbered(200);
      const first = await sink.insert(events.slice(0, 120), flight);
      assert.equal(first.length, 120);
      // The retry of the whole flight (its first part had committed before the failure): every id is its own.
      const retried = await sink.insert(events, flight);
      assert.deepEqual([...retried].sort(), events.map((e) => e.eventId).sort());
      assert.deepEqual(await sink.insert(events, randomUUID()), [], 'another flight sees only duplicates');
      assert.deepEqual(await sink.insert(events, null), [], 'a call naming no flight sees only duplicates');
      assert.equal((await rows()).length, 200);
    });

    it('stores an event id once when its copies travel in different batches in flight at the same time', async () => {
      const { sink, seen } = measured(copySink(4));
      const w = writer(sink, { batchSize: 100 });
      const events = numbered(3000);
      // Every event again, 150 events later: the two copies sit in neighbouring batches, in flight together.
      const stream: PassportEvent[] = [];
      for (let i = 0; i < events.length; i += 150) stream.push(...events.slice(i, i + 150), ...events.slice(Math.max(0, i - 150), i));
      for (let i = 0; i < stream.length; i += 500) w.enqueue(stream.slice(i, i + 500));
      await w.drain(30_000);
      const stored = await rows();
      assert.equal(stored.length, events.length);
      assert.equal(new Set(stored.map((r) => r.event_id)).size, events.length);
      assert.ok(seen.maxInFlight >= 2, `batches overlapped (at most ${seen.maxInFlight} in flight)`);
      const stats = w.stats();
      assert.equal(stats.persisted, events.length);
      assert.equal(stats.duplicates, stream.length - events.length);
    });

    it('dead-letters the bad rows of one batch while the others in flight commit', async () => {
      const { sink, seen } = measured(copySink(3));
      const w = writer(sink, { batchSize: 50 });
      const events = numbered(600);
      const nanTime = { ...events[120], occurredAt: Number.NaN } as PassportEvent; // NOT NULL refuses it
      const badId = { ...events[130], eventId: 'not-a-uuid' } as PassportEvent; // refused while encoding (22P02)
      const badSource = { ...events[400], source: 'carrier-pigeon' } as unknown as PassportEvent; // CHECK refuses it
      const stream = events.map((e, i) => (i === 120 ? nanTime : i === 130 ? badId : i === 400 ? badSource : e));
      w.enqueue(stream);
      await w.drain(30_000);
      const stored = await rows();
      assert.equal(stored.length, 597);
      const dead = await database().sql.query<{ event_id: string; error: string }>('SELECT event_id, error FROM passport_dead_letters ORDER BY id');
      assert.deepEqual(dead.map((d) => d.event_id).sort(), [nanTime.eventId, 'not-a-uuid', badSource.eventId].sort());
      assert.match(dead.find((d) => d.event_id === 'not-a-uuid')!.error, /uuid/);
      assert.match(dead.find((d) => d.event_id === badSource.eventId)!.error, /check constraint/);
      assert.ok(seen.maxInFlight >= 2, `batches overlapped (at most ${seen.maxInFlight} in flight)`);
      assert.deepEqual({ persisted: w.stats().persisted, dead: w.stats().deadLettered }, { persisted: 597, dead: 3 });
    });

    it('acknowledges a durable enqueue only once every earlier batch committed too (a later batch may commit first)', async () => {
      const inner = copySink(2);
      let openFirst!: () => void;
      const firstGate = new Promise<void>((resolve) => (openFirst = resolve));
      let calls = 0;
      const sink: PassportSink = {
        concurrency: 2,
        // The first batch commits only when the test says so; the second goes straight through.
        insert: async (events) => (++calls === 1 ? (await firstGate, inner.insert(events)) : inner.insert(events)),
        deadLetter: inner.deadLetter,
      };
      const w = writer(sink, { batchSize: 10 });
      w.enqueue(numbered(10));
      let acked = false;
      const durable = w.enqueueDurable(numbered(10, 10)).then(() => (acked = true));
      const deadline = Date.now() + 5000;
      while ((await database().sql.query<{ n: number }>('SELECT count(*)::int AS n FROM passport_entries'))[0].n < 10 && Date.now() < deadline) await sleep(5);
      assert.equal((await rows()).length, 10, 'the second batch committed while the first waits');
      await sleep(50);
      assert.equal(acked, false, 'not acknowledged while an earlier batch is uncommitted');
      assert.equal(w.stats().queueDepth, 20, 'nothing left the queue out of order');
      openFirst();
      await durable;
      assert.equal((await rows()).length, 20);
      assert.equal(w.stats().queueDepth, 0);
    });

    it('commits ids in queue order with batches in flight, so a cursor consumer reading meanwhile skips nothing (two writers)', async () => {
      const seenIds: string[] = [];
      const recorder: CursorConsumer = {
        name: 'copy-sink-order-test',
        apply: async (tx, fromId, toId) => {
          const got = await tx.query<{ id: string }>('SELECT id::text AS id FROM passport_entries WHERE id > ? AND id <= ? ORDER BY passport_entries.id', [
            fromId,
            toId,
          ]);
          for (const r of got) seenIds.push(r.id);
        },
      };
      const processor = new CursorProcessor(database().sql, recorder, silent, { batchSize: 100_000 });
      // Two writer "processes", each with its own sink and 3 batches in flight.
      const a = writer(copySink(3), { batchSize: 200 });
      const b = writer(copySink(3), { batchSize: 200 });
      let producing = true;
      const consuming = (async () => {
        while (producing) {
          await processor.runOnce();
        }
      })();
      const userA = randomUUID();
      try {
        for (let i = 0; i < 20; i++) {
          a.enqueue(numbered(500, i * 500, userA));
          b.enqueue(numbered(500, i * 500));
          await sleep(10);
        }
        await Promise.all([a.drain(30_000), b.drain(30_000)]);
      } finally {
        producing = false;
        await consuming;
      }
      await processor.catchUp();
      const stored = await rows();
      assert.equal(stored.length, 20_000);
      const missed = stored.filter((r) => !seenIds.includes(r.id)).map((r) => r.id);
      assert.deepEqual(
        { seen: seenIds.length, missed: missed.slice(0, 10), missedCount: missed.length },
        { seen: stored.length, missed: [], missedCount: 0 },
        'the consumer saw every row, none skipped',
      );
      assert.deepEqual(
        seenIds,
        stored.map((r) => r.id),
        'the consumer saw every row in id order',
      );
      const fromA = await database().sql.query<{ n: number }>(`SELECT entity_id::int AS n FROM passport_entries WHERE user_id = ? ORDER BY id`, [userA]);
      assert.deepEqual(
        fromA.map((r) => r.n),
        Array.from({ length: 10_000 }, (_, i) => i),
        "one writer's ids follow its queue order",
      );
    });

    it('keeps call order and each event id once across large and small batches in flight together', async () => {
      const sink = copySink(3);
      const events = numbered(900);
      // 400, 20, 400 and 80 events called at once (sizes on both sides of 150), the last two repeating earlier ids.
      const batches = [events.slice(0, 400), events.slice(400, 420), events.slice(420, 820), [...events.slice(810, 900), ...events.slice(0, 5)]];
      const inserted = await Promise.all(batches.map((b) => sink.insert(b)));
      assert.deepEqual(
        inserted.map((ids) => ids.length),
        [400, 20, 400, 80],
      );
      const stored = await rows();
      assert.deepEqual(
        stored.map((r) => r.n),
        Array.from({ length: 900 }, (_, i) => i),
        'ids follow the call order, repeats stored once',
      );
    });
  });
