import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { catalogReads } from '../../support/catalogReads.js';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { ConstellationRepository } from '../../../persistence/constellation/ConstellationRepository.js';
import { OfflineSync, OfflineSyncError, uuidFromName } from '../../../features/offline/OfflineSync.js';
import type { PassportIdentity } from '../../../features/passport/roomPassport.js';
import { Capture } from '../../../features/constellation/Capture.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { BackpressureError } from '../../../persistence/passport/errors.js';
import { sqlSink } from '../../../persistence/passport/sinks.js';
import { writerOptions } from '../../support/config.js';

const silent = pino({ level: 'silent' });
const NOW = Date.parse('2025-01-06T15:40:00Z');
const ARTISTS = ['artist_wizkid_001', 'artist_fela_004', 'artist_sade_005', 'artist_james_brown_008'];

describe('OfflineSync (real Postgres)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let writer: PassportWriter;
  let constellations: ConstellationRepository;
  let sync: OfflineSync;

  async function newIdentity(): Promise<PassportIdentity> {
    const userId = randomUUID();
    await db.sql.query(`INSERT INTO users (id, device_id) VALUES (?, ?)`, [userId, `dev-${userId}`]);
    return { userId, sessionId: '550e8400-e29b-41d4-a716-446655440000', deviceId: `dev-${userId}` };
  }
  const passport = (userId: string) =>
    db.sql.query<{ event_type: string; occurred_at: Date; source: string; payload: Record<string, unknown>; event_id: string }>(
      `SELECT event_type, occurred_at, source, payload, event_id::text AS event_id FROM passport_entries WHERE user_id = ? ORDER BY id`,
      [userId],
    );

  const offlineSync = (w: PassportWriter) => {
    const catalog = new CatalogRepository(db.orm);
    return new OfflineSync(
      { sql: db.sql, writer: w, constellations, catalog, capture: new Capture({ catalog: catalogReads(catalog), constellations, passport: w }), log: silent },
      { durableTimeoutMs: 10_000, now: () => NOW },
    );
  };

  /** Seed 000 step 15's queue. */
  const seedQueue = () => [
    { op_id: 'op-1', type: 'capture_star', artist_id: 'artist_sade_005', timestamp: '2025-01-06T15:12:44', session_id: '550e8400-e29b-41d4-a716-446655440000' },
    { op_id: 'op-2', type: 'orb_interaction', from: 'artist_fela_004', to: 'artist_james_brown_008', timestamp: '2025-01-06T15:15:22' },
  ];

  before(async () => {
    db = await createTestDatabase();
    await db.sql.query(
      `INSERT INTO scenes (id, name, scene_type, video_url_high, video_url_medium, video_url_low) VALUES ('scene_1', 'Lagos', 'street', 'h', 'm', 'l')`,
    );
    for (const [i, id] of ARTISTS.entries())
      await db.sql.query(`INSERT INTO artists (id, name, station_frequency, scene_id) VALUES (?, ?, ?, 'scene_1')`, [id, id, 99.9 + i]);
    writer = new PassportWriter(db.sql, writerOptions({ flushIntervalMs: 5 }), silent);
    constellations = new ConstellationRepository(db.sql, () => NOW);
    sync = offlineSync(writer);
  });
  after(async () => {
    await writer?.stop();
    await db?.drop();
  });

  it("replays the seed's queue: the capture and the orb interaction keep their original times", async () => {
    const me = await newIdentity();
    const result = await sync.replay(me, seedQueue());
    assert.deepEqual(
      { applied: result.applied, duplicates: result.duplicates, conflicts: result.conflicts, failed: result.failed },
      { applied: 2, duplicates: 0, conflicts: 0, failed: [] },
    );
    assert.deepEqual(result.operations, [
      { opId: 'op-1', status: 'applied' },
      { opId: 'op-2', status: 'applied' },
    ]);
    assert.equal(result.totalStars, 1);
    assert.deepEqual(result.badgesAwarded, ['First Star']);
    const [star] = (await constellations.constellationOf(me.userId)).stars;
    assert.equal(star.artistId, 'artist_sade_005');
    assert.equal(star.capturedAt, '2025-01-06T15:12:44.000Z', 'captured when it happened offline');
    const events = await passport(me.userId);
    assert.deepEqual(
      events.map((e) => [e.event_type, new Date(e.occurred_at).toISOString(), e.source]),
      [
        ['orb.tapped', '2025-01-06T15:15:22.000Z', 'offline_sync'],
        ['constellation.captured', '2025-01-06T15:12:44.000Z', 'offline_sync'],
        ['badge.earned', '2025-01-06T15:12:44.000Z', 'offline_sync'],
      ],
    );
    assert.equal(events[0].payload.fromArtistId, 'artist_fela_004');
    assert.equal(events[0].event_id, uuidFromName(`${me.userId}:op-2:0`), 'event ids derive from the opId');
  });

  it('a second sync of the same queue applies nothing again', async () => {
    const me = await newIdentity();
    await sync.replay(me, seedQueue());
    const before = await passport(me.userId);
    const again = await sync.replay(me, seedQueue());
    assert.deepEqual([again.applied, again.duplicates, again.conflicts, again.failed.length], [0, 2, 0, 0]);
    assert.deepEqual(await passport(me.userId), before);
    assert.equal(await constellations.countStars(me.userId), 1);
  });

  it('a capture already in the constellation (another device, earlier sync) is a conflict', async () => {
    const me = await newIdentity();
    await constellations.capture({
      userId: me.userId,
      sessionId: null,
      artistId: 'artist_sade_005',
      position: { x: 0, y: 0, z: 0 },
      discoveryPath: [],
      connections: [],
      badges: [],
    });
    const result = await sync.replay(me, [seedQueue()[0]]);
    assert.deepEqual([result.applied, result.conflicts], [0, 1]);
    assert.deepEqual(result.operations, [{ opId: 'op-1', status: 'conflict' }]);
    assert.equal((await passport(me.userId)).length, 0, 'no capture event for a star that was not captured');
    const again = await sync.replay(me, [seedQueue()[0]]);
    assert.equal(again.duplicates, 1, 'the conflict was recorded: a resend is a duplicate');
  });

  it('station visits keep their time and are marked offline_cache; several captures chain their placement', async () => {
    const me = await newIdentity();
    const result = await sync.replay(me, [
      { opId: 'v1', type: 'station_visit', artistId: 'artist_fela_004', frequency: 102.7, timestamp: '2025-01-06T15:01:00Z' },
      { opId: 'c1', type: 'capture_star', artistId: 'artist_wizkid_001', timestamp: '2025-01-06T15:02:00Z' },
      {
        opId: 'c2',
        type: 'capture_star',
        artistId: 'artist_fela_004',
        timestamp: '2025-01-06T15:03:00Z',
        discovery_path: ['artist_wizkid_001', 'artist_fela_004'],
      },
    ]);
    assert.equal(result.applied, 3);
    const visit = (await passport(me.userId)).find((e) => e.event_type === 'station.visited')!;
    assert.equal(new Date(visit.occurred_at).toISOString(), '2025-01-06T15:01:00.000Z');
    assert.equal(visit.payload.method, 'offline_cache');
    const c = await constellations.constellationOf(me.userId);
    assert.deepEqual(c.stars[0].position, { x: 0, y: 0, z: 0 }, 'first star at the origin');
    assert.deepEqual(c.stars[1].position, { x: 100, y: 0, z: 0 }, 'second star: peer offset from the path base');
    assert.deepEqual(
      c.connections.map((x) => [x.from, x.to, x.type]),
      [['artist_wizkid_001', 'artist_fela_004', 'discovery_path']],
    );
  });

  it('reports invalid operations and repeated opIds, applying the valid ones', async () => {
    const me = await newIdentity();
    const result = await sync.replay(me, [
      { opId: 'ok-1', type: 'orb_interaction', from: 'artist_fela_004', to: 'artist_sade_005', timestamp: NOW - 60_000 },
      { opId: 'ok-1', type: 'orb_interaction', from: 'artist_fela_004', to: 'artist_sade_005', timestamp: NOW - 60_000 },
      { opId: 'bad-type', type: 'teleport', timestamp: NOW },
      { opId: 'future', type: 'station_visit', artistId: 'artist_fela_004', timestamp: NOW + 3_600_000 },
      'not an object',
      { opId: 'ghost', type: 'capture_star', artistId: 'artist_unknown', timestamp: NOW },
    ]);
    assert.deepEqual(
      result.operations.map((o) => o.status),
      ['applied', 'duplicate', 'failed', 'failed', 'failed', 'failed'],
    );
    assert.deepEqual(result.failed.map((f) => f.opId).sort(), ['#4', 'bad-type', 'future', 'ghost']);
    assert.match(result.failed.find((f) => f.opId === 'future')!.error, /ahead of server time/);
    assert.match(result.failed.find((f) => f.opId === 'ghost')!.error, /no such artist/);
    assert.equal((await passport(me.userId)).length, 1);
    const [{ n }] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM offline_operations WHERE user_id = ?`, [me.userId]);
    assert.equal(n, 1, 'failed operations are not recorded, so the client can resend them');
  });

  it('bounds one sync to 500 operations', async () => {
    const me = await newIdentity();
    const ops = Array.from({ length: 501 }, (_, i) => ({ opId: `o${i}`, type: 'station_visit', artistId: 'artist_fela_004', timestamp: NOW }));
    await assert.rejects(
      sync.replay(me, ops),
      (err: unknown) => err instanceof OfflineSyncError && err.code === 'TOO_MANY_OPERATIONS' && /at most 500/.test(err.message),
    );
    await assert.rejects(sync.replay(me, { not: 'an array' }), (err: unknown) => err instanceof OfflineSyncError && err.code === 'INVALID_OPERATIONS');
  });

  it('applies nothing when the passport cannot take the events (backpressure)', async () => {
    const me = await newIdentity();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const inner = sqlSink(db.sql);
    const tiny = new PassportWriter(
      { insert: async (rows) => (await gate, inner.insert(rows)), deadLetter: inner.deadLetter },
      writerOptions({ maxQueue: 2, flushIntervalMs: 5 }),
      silent,
    );
    const busy = offlineSync(tiny);
    const ops = Array.from({ length: 3 }, (_, i) => ({ opId: `b${i}`, type: 'station_visit', artistId: 'artist_fela_004', timestamp: NOW }));
    await assert.rejects(busy.replay(me, ops), BackpressureError);
    const [{ n }] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM offline_operations WHERE user_id = ?`, [me.userId]);
    assert.equal(n, 0);
    open();
    await tiny.stop();
  });

  it('a capture and its events commit together: the star, its constellation.captured and badge.earned (outbox) in one transaction', async () => {
    const me = await newIdentity();
    const heard: string[] = [];
    const w = new PassportWriter(db.sql, writerOptions({ flushIntervalMs: 5 }), silent);
    w.onCommitted((events) => heard.push(...events.map((e) => e.eventType)));
    const result = await offlineSync(w).replay(me, [seedQueue()[0]]);
    assert.equal(result.applied, 1);
    const [{ n: outboxed }] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM passport_outbox WHERE event->>'userId' = ?`, [me.userId]);
    assert.equal(outboxed, 2, 'committed with the star');
    await w.drain();
    assert.deepEqual(heard, ['constellation.captured', 'badge.earned']);
    const events = await passport(me.userId);
    assert.deepEqual(
      events.map((e) => [e.event_type, e.source]),
      [
        ['constellation.captured', 'offline_sync'],
        ['badge.earned', 'offline_sync'],
      ],
    );
    assert.equal(events[0].payload.totalStars, 1);
    await offlineSync(w).replay(me, [seedQueue()[0]]);
    assert.equal((await passport(me.userId)).length, 2, 'a second sync adds nothing');
    await w.stop();
  });

  it('re-logs the events of a capture applied before its events were stored with the star (lost by a crash before the flush)', async () => {
    const me = await newIdentity();
    await sync.replay(me, [seedQueue()[0]]);
    // What an older server left after a kill -9 before its flush: the events only in the operation's result.
    await db.sql.query(
      `UPDATE offline_operations o SET result = jsonb_build_object('status', 'applied', 'events', (
         SELECT jsonb_agg(jsonb_build_object('eventId', event_id, 'eventType', event_type, 'eventCategory', event_category, 'userId', user_id, 'sessionId', session_id,
           'deviceId', device_id, 'occurredAt', occurred_at, 'receivedAt', received_at, 'entityType', entity_type, 'entityId', entity_id, 'payload', payload, 'source', source) ORDER BY id)
         FROM passport_entries WHERE user_id = o.user_id))
       WHERE user_id = ?`,
      [me.userId],
    );
    // The log is append-only: only its owner may lift that, as here.
    await db.sql.query('ALTER TABLE passport_entries DISABLE TRIGGER passport_entries_append_only');
    await db.sql.query(`DELETE FROM passport_entries WHERE user_id = ?`, [me.userId]);
    await db.sql.query('ALTER TABLE passport_entries ENABLE TRIGGER passport_entries_append_only');
    const again = await sync.replay(me, [seedQueue()[0]]);
    assert.equal(again.duplicates, 1);
    assert.deepEqual(
      (await passport(me.userId)).map((e) => e.event_type),
      ['constellation.captured', 'badge.earned'],
    );
  });
});
