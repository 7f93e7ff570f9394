import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { catalogReads } from '../../support/catalogReads.js';
import { writerOptions } from '../../support/config.js';
import { Capture, type CaptureInput } from '../../../features/constellation/Capture.js';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { ConstellationRepository } from '../../../persistence/constellation/ConstellationRepository.js';
import { PassportOutbox } from '../../../persistence/passport/PassportOutbox.js';
import { OutboxDrainer } from '../../../features/passport/OutboxDrainer.js';

/**
 * A star and its passport events are one commit: the capture statement writes the star, its lines,
 * its badges and its `constellation.captured` / `badge.earned` events (to the passport outbox), or none
 * of them; the writer stores the events after the commit, or a drainer does after a crash.
 */
describe('capture: the star and its passport events commit together (real Postgres)', function () {
  this.timeout(60_000);
  const silent = pino({ level: 'silent' });
  let db: TestDatabase;
  let writer: PassportWriter;
  let capture: Capture;
  let artists: Array<{ id: string; name: string; genres: string[] }>;
  const heard: string[] = [];

  before(async () => {
    db = await createTestDatabase();
    const catalog = new CatalogRepository(db.orm);
    await catalog.ensureDemoCatalog();
    const rows = await db.sql.query<{ id: string; name: string }>(`SELECT id, name FROM artists ORDER BY station_frequency LIMIT 40`);
    artists = rows.map((r) => ({ id: r.id, name: r.name, genres: [] }));
    writer = new PassportWriter(db.sql, writerOptions({ flushIntervalMs: 5 }), silent);
    writer.onCommitted((events) => heard.push(...events.map((e) => e.eventId)));
    capture = new Capture({ catalog: catalogReads(catalog), constellations: new ConstellationRepository(db.sql), passport: writer });
  });
  beforeEach(() => (heard.length = 0));
  after(async () => {
    await writer?.stop();
    await db?.drop();
  });

  async function newUser(): Promise<string> {
    const id = randomUUID();
    await db.sql.query(`INSERT INTO users (id, device_id) VALUES (?, ?)`, [id, `device-${id}`]);
    return id;
  }
  const input = (userId: string, artist: number, extra: Partial<CaptureInput> = {}): CaptureInput => ({
    userId,
    sessionId: 'session-1',
    deviceId: `device-${userId}`,
    source: 'room',
    artist: artists[artist],
    discoveryPath: [],
    existing: [],
    ...extra,
  });
  const stored = (userId: string) =>
    db.sql.query<{ event_id: string; event_type: string; payload: Record<string, unknown> }>(
      `SELECT event_id::text AS event_id, event_type, payload FROM passport_entries WHERE user_id = ? ORDER BY id`,
      [userId],
    );
  const counts = async (userId: string) => {
    const [row] = await db.sql.query<{ stars: number; badges: number; events: number; outbox: number }>(
      `SELECT (SELECT count(*)::int FROM constellation_stars WHERE user_id = ?) AS stars, (SELECT count(*)::int FROM user_badges WHERE user_id = ?) AS badges,
              (SELECT count(*)::int FROM passport_entries WHERE user_id = ?) AS events,
              (SELECT count(*)::int FROM passport_outbox WHERE event->>'userId' = ?) AS outbox`,
      [userId, userId, userId, userId],
    );
    return row;
  };
  const outbox = () => new PassportOutbox(db.sql);

  it('writes the star and its events (outbox) in one statement; after the commit the writer stores them, the boards hear them once, the sweep empties the outbox', async () => {
    const userId = await newUser();
    const outcome = await capture.run(input(userId, 0));
    assert.equal(outcome.status, 'captured');
    await writer.drain();
    const rows = await stored(userId);
    assert.deepEqual(
      rows.map((r) => r.event_type),
      ['constellation.captured', 'badge.earned'],
    );
    assert.equal(rows[0].payload.totalStars, 1);
    assert.deepEqual(rows[1].payload, { badge: 'First Star', trigger: 'stars' });
    assert.deepEqual(
      heard,
      rows.map((r) => r.event_id),
    );
    assert.deepEqual(await counts(userId), { stars: 1, badges: 1, events: 2, outbox: 2 });
    assert.equal(await outbox().sweep(), 2);
    assert.deepEqual(await counts(userId), { stars: 1, badges: 1, events: 2, outbox: 0 });
  });

  it('a badge already held writes no badge.earned; totalStars is the stored count even when the caller’s list is stale', async () => {
    const userId = await newUser();
    await capture.run(input(userId, 1));
    await capture.run(input(userId, 2, { existing: [] })); // the caller thinks it is the first star
    await writer.drain();
    const rows = await stored(userId);
    assert.deepEqual(
      rows.map((r) => [r.event_type, r.payload.totalStars ?? null]),
      [
        ['constellation.captured', 1],
        ['badge.earned', null],
        ['constellation.captured', 2],
      ],
    );
    const again = await capture.run(input(userId, 2));
    assert.equal(again.status, 'already');
    await writer.drain();
    assert.equal((await stored(userId)).length, 3, 'a capture of a star already there logs nothing');
  });

  it('a failure between the star and its events leaves neither (and queues nothing)', async () => {
    const userId = await newUser();
    const accepted = writer.stats().accepted;
    // The outbox insert is the statement's last write: the star, its lines and badge went before it.
    await db.sql.query(
      `CREATE FUNCTION refuse_capture_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.event->>'eventType' = 'constellation.captured' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$`,
    );
    await db.sql.query(`CREATE TRIGGER refuse_capture_event BEFORE INSERT ON passport_outbox FOR EACH ROW EXECUTE FUNCTION refuse_capture_event()`);
    try {
      await assert.rejects(capture.run(input(userId, 3)), /disk full/);
    } finally {
      await db.sql.query(`DROP TRIGGER refuse_capture_event ON passport_outbox`);
      await db.sql.query(`DROP FUNCTION refuse_capture_event()`);
    }
    assert.deepEqual(await counts(userId), { stars: 0, badges: 0, events: 0, outbox: 0 });
    assert.equal(writer.stats().accepted, accepted);
    // The same capture then goes through whole.
    assert.equal((await capture.run(input(userId, 3))).status, 'captured');
    await writer.drain();
    assert.deepEqual(await counts(userId), { stars: 1, badges: 1, events: 2, outbox: 2 });
  });

  it('inside a caller’s transaction: a failure after the capture rolls back the star and its events; a commit keeps both, queued by the caller after it', async () => {
    const userId = await newUser();
    await assert.rejects(
      db.sql.transaction(async (tx) => {
        assert.equal((await capture.run(input(userId, 4), tx)).status, 'captured');
        throw new Error('the caller failed after the capture');
      }),
      /caller failed/,
    );
    assert.deepEqual(await counts(userId), { stars: 0, badges: 0, events: 0, outbox: 0 });
    const accepted = writer.stats().accepted;
    const outcome = await db.sql.transaction((tx) => capture.run(input(userId, 4), tx));
    assert.equal(writer.stats().accepted, accepted, 'nothing queued before the commit');
    assert.ok(outcome.status === 'captured');
    capture.committed(userId);
    writer.enqueue(outcome.logged);
    await writer.drain();
    assert.deepEqual(await counts(userId), { stars: 1, badges: 1, events: 2, outbox: 2 });
  });

  it('a process that dies after the commit, before its flush: the drainer queues the events once they are old enough, stored and heard once', async () => {
    const userId = await newUser();
    const dead = new Capture({
      catalog: catalogReads(new CatalogRepository(db.orm)),
      constellations: new ConstellationRepository(db.sql),
      passport: { enqueue: () => undefined },
    });
    assert.equal((await dead.run(input(userId, 5))).status, 'captured');
    assert.deepEqual(await counts(userId), { stars: 1, badges: 1, events: 0, outbox: 2 });
    const drainer = new OutboxDrainer(outbox(), writer, { ageMs: 300, batch: 500 }, silent);
    assert.equal(await drainer.pass(), 0, 'too young: its own process may still store it');
    await new Promise((r) => setTimeout(r, 350));
    assert.equal(await drainer.pass(), 2);
    assert.equal(await drainer.pass(), 0, 'leased: not queued again within the age');
    await writer.drain();
    assert.equal(heard.length, 2);
    assert.equal(await drainer.pass(), 0);
    assert.deepEqual(await counts(userId), { stars: 1, badges: 1, events: 2, outbox: 0 });
    const [captured] = await stored(userId);
    assert.equal(captured.payload.totalStars, 1);
  });

  it('a copy queued after the live path stored it (the live path was only slow) is a duplicate: stored and heard once', async () => {
    const userId = await newUser();
    await capture.run(input(userId, 6));
    await writer.drain();
    await db.sql.query(`UPDATE passport_outbox SET leased_at = now() - interval '1 hour' WHERE event->>'userId' = ?`, [userId]);
    const again = await outbox().lease(1000, 10);
    assert.equal(again.length, 2);
    const duplicates = writer.stats().duplicates;
    writer.enqueue(again, { followUp: true });
    await writer.drain();
    assert.equal(writer.stats().duplicates - duplicates, 2);
    assert.equal(heard.length, 2);
    assert.deepEqual(await counts(userId), { stars: 1, badges: 1, events: 2, outbox: 2 });
  });

  it('concurrent captures of one user crossing the same badge: every star has its event, the badge and its event once', async () => {
    const userId = await newUser();
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => capture.run(input(userId, 10 + i))));
    assert.ok(outcomes.every((o) => o.status === 'captured'));
    await writer.drain();
    const rows = await stored(userId);
    assert.equal(rows.filter((r) => r.event_type === 'constellation.captured').length, 8);
    assert.equal(rows.filter((r) => r.event_type === 'badge.earned').length, 1);
    assert.deepEqual(await counts(userId), { stars: 8, badges: 1, events: 9, outbox: 9 });
    assert.equal(new Set(heard).size, 9);
  });

  it('captures of many users at once (one statement): each its own star, badge, events and totalStars; an unknown artist fails alone', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => newUser()));
    const second = users[0];
    const outcomes = await Promise.allSettled([
      ...users.map((u, i) => capture.run(input(u, 20 + i))),
      capture.run(input(second, 30, { existing: [] })), // the same user again: a statement after the first, counting its star
      capture.run(input(users[1], 0, { artist: { id: 'artist_not_in_catalog', name: 'Nobody', genres: [] } })),
    ]);
    const values = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : o.reason));
    for (const o of values.slice(0, 6)) assert.equal(o.status, 'captured');
    assert.equal(values[6].status, 'captured');
    assert.equal((values[6] as { totalStars: number }).totalStars, 2, 'the second star of a user counts the first');
    assert.equal(outcomes[7].status, 'rejected');
    assert.equal((values[7] as { code?: string }).code, 'UNKNOWN_ARTIST');
    await writer.drain();
    for (const u of users.slice(1)) assert.deepEqual(await counts(u), { stars: 1, badges: 1, events: 2, outbox: 2 });
    assert.deepEqual(await counts(second), { stars: 2, badges: 1, events: 3, outbox: 3 });
    const secondRows = await stored(second);
    assert.deepEqual(
      secondRows.filter((r) => r.event_type === 'constellation.captured').map((r) => r.payload.totalStars),
      [1, 2],
    );
  });
});
