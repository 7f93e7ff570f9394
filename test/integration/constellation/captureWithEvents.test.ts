import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { writerOptions } from '../../support/config.js';
import { Capture, type CaptureInput } from '../../../features/constellation/Capture.js';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { ConstellationRepository } from '../../../persistence/constellation/ConstellationRepository.js';
import { buildEvents } from '../../../systems/passport/build.js';

/**
 * A star and its passport events are one commit: the capture statement writes the star, its lines,
 * its badges and its `constellation.captured` / `badge.earned` events, or none of them.
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
    capture = new Capture({ catalog, constellations: new ConstellationRepository(db.sql), passport: writer });
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
    db.sql.query<{ event_id: string; event_type: string; payload: Record<string, unknown> }>(`SELECT event_id::text AS event_id, event_type, payload FROM passport_entries WHERE user_id = ? ORDER BY id`, [userId]);
  const counts = async (userId: string) => {
    const [row] = await db.sql.query<{ stars: number; badges: number; events: number; claims: number }>(
      `SELECT (SELECT count(*)::int FROM constellation_stars WHERE user_id = ?) AS stars, (SELECT count(*)::int FROM user_badges WHERE user_id = ?) AS badges,
              (SELECT count(*)::int FROM passport_entries WHERE user_id = ?) AS events,
              (SELECT count(*)::int FROM passport_event_ids i JOIN passport_entries e USING (event_id) WHERE e.user_id = ?) AS claims`,
      [userId, userId, userId, userId],
    );
    return row;
  };

  it('stores the star with constellation.captured and badge.earned in the passport, and the live boards hear them once, after the commit', async () => {
    const userId = await newUser();
    const outcome = await capture.run(input(userId, 0));
    assert.equal(outcome.status, 'captured');
    const rows = await stored(userId);
    assert.deepEqual(
      rows.map((r) => r.event_type),
      ['constellation.captured', 'badge.earned'],
    );
    assert.equal(rows[0].payload.totalStars, 1);
    assert.deepEqual(rows[1].payload, { badge: 'First Star', trigger: 'stars' });
    assert.deepEqual(await counts(userId), { stars: 1, badges: 1, events: 2, claims: 2 }, 'each event id claimed for replay dedup');
    assert.deepEqual(heard, rows.map((r) => r.event_id));
    assert.equal(writer.stats().accepted, 0, 'nothing went through the queue');
    assert.equal(writer.stats().storedElsewhere >= 2, true);
  });

  it('a badge already held writes no badge.earned; totalStars is the stored count even when the caller’s list is stale', async () => {
    const userId = await newUser();
    await capture.run(input(userId, 1));
    await capture.run(input(userId, 2, { existing: [] })); // the caller thinks it is the first star
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
    assert.equal((await stored(userId)).length, 3, 'a capture of a star already there logs nothing');
  });

  it('a failure between the star and its events leaves neither (and nothing is announced)', async () => {
    const userId = await newUser();
    // The passport insert is the statement's last write: the star, its lines, badge and id claims went before it.
    await db.sql.query(`CREATE FUNCTION refuse_capture_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.event_type = 'constellation.captured' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$`);
    await db.sql.query(`CREATE TRIGGER refuse_capture_event BEFORE INSERT ON passport_entries FOR EACH ROW EXECUTE FUNCTION refuse_capture_event()`);
    try {
      await assert.rejects(capture.run(input(userId, 3)), /disk full/);
    } finally {
      await db.sql.query(`DROP TRIGGER refuse_capture_event ON passport_entries`);
      await db.sql.query(`DROP FUNCTION refuse_capture_event()`);
    }
    assert.deepEqual(await counts(userId), { stars: 0, badges: 0, events: 0, claims: 0 });
    assert.deepEqual(heard, []);
    const [{ n }] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM passport_event_ids i WHERE NOT EXISTS (SELECT 1 FROM passport_entries e WHERE e.event_id = i.event_id)`);
    assert.equal(n, 0, 'no event id stays claimed');
    // The same capture then goes through whole.
    assert.equal((await capture.run(input(userId, 3))).status, 'captured');
    assert.deepEqual(await counts(userId), { stars: 1, badges: 1, events: 2, claims: 2 });
  });

  it('inside a caller’s transaction: a failure after the capture rolls back the star and its events; a commit keeps both', async () => {
    const userId = await newUser();
    await assert.rejects(
      db.sql.transaction(async (tx) => {
        assert.equal((await capture.run(input(userId, 4), tx)).status, 'captured');
        throw new Error('the caller failed after the capture');
      }),
      /caller failed/,
    );
    assert.deepEqual(await counts(userId), { stars: 0, badges: 0, events: 0, claims: 0 });
    const outcome = await db.sql.transaction((tx) => capture.run(input(userId, 4), tx));
    assert.deepEqual(heard, [], 'announced only once the caller says it committed');
    assert.equal(outcome.status, 'captured');
    capture.committed(userId, outcome.logged);
    assert.equal(heard.length, 2);
    assert.deepEqual(await counts(userId), { stars: 1, badges: 1, events: 2, claims: 2 });
  });

  it('concurrent captures of one user crossing the same badge: every star has its event, the badge and its event once', async () => {
    const userId = await newUser();
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => capture.run(input(userId, 10 + i))));
    assert.ok(outcomes.every((o) => o.status === 'captured'));
    const rows = await stored(userId);
    assert.equal(rows.filter((r) => r.event_type === 'constellation.captured').length, 8);
    assert.equal(rows.filter((r) => r.event_type === 'badge.earned').length, 1);
    assert.deepEqual(await counts(userId), { stars: 8, badges: 1, events: 9, claims: 9 });
    assert.equal(new Set(heard).size, 9);
  });

  it('passport ids still commit in id order: a reader following id > cursor during captures and writer batches misses no row', async () => {
    const users = await Promise.all(Array.from({ length: 10 }, () => newUser()));
    const seen = new Set<string>();
    let cursor = '0';
    let reading = true;
    const read = async () => {
      const rows = await db.sql.query<{ id: string }>(`SELECT id::text AS id FROM passport_entries WHERE id > ? ORDER BY id`, [cursor]);
      for (const r of rows) seen.add(r.id);
      if (rows.length > 0) cursor = rows[rows.length - 1].id;
    };
    const reader = (async () => {
      while (reading) await read();
    })();
    const telemetry = (async () => {
      for (let i = 0; i < 30; i++) {
        const events = buildEvents(Array.from({ length: 25 }, () => ({ type: 'station.swiped' as const, payload: { direction: 'left' as const, velocity: 100 } })), { userId: users[0], source: 'room' }, Date.now(), randomUUID);
        await writer.enqueueDurable(events);
      }
    })();
    const captures = users.map(async (userId) => {
      for (let i = 0; i < 8; i++) await capture.run(input(userId, 20 + i));
    });
    await Promise.all([telemetry, ...captures]);
    reading = false;
    await reader;
    await read();
    const [{ n }] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM passport_entries`);
    assert.equal(seen.size, n, 'every committed row was seen by the cursor reader');
  });
});
