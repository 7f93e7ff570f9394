import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { OpsRepository, decodeCursor, encodeCursor, InvalidCursorError } from '../../../persistence/ops/OpsRepository.js';

const NOW = Date.parse('2025-06-01T12:00:00.000Z');

describe('OpsRepository (DIA reads) on Postgres', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let repo: OpsRepository;
  const userId = randomUUID();
  const otherId = randomUUID();
  const deviceId = `dev-ops-${randomUUID().slice(0, 8)}`;

  before(async () => {
    db = await createTestDatabase();
    await new CatalogRepository(db.orm).ensureDemoCatalog();
    repo = new OpsRepository(db.sql);
    const at = (ms: number) => new Date(NOW - ms);
    await db.sql.query(
      `INSERT INTO users (id, device_id, first_launch, city, created_at, last_seen_at) VALUES (?, ?, false, 'Lagos', ?, ?), (?, ?, true, NULL, ?, ?)`,
      [userId, deviceId, at(86_400_000 * 3), at(60_000), otherId, `${deviceId}-tablet`, at(86_400_000 * 2), at(86_400_000 * 2)],
    );
    const s1 = randomUUID();
    const s2 = randomUUID();
    await db.sql.query(
      `INSERT INTO sessions (id, user_id, device_id, device_model, app_version, started_at, last_active, ended_at, current_frequency, total_swipes, total_captures, total_interactions)
       VALUES (?, ?, ?, 'iPhone17,3', '1.0', ?, ?, ?, 99.9, 3, 1, 9), (?, ?, ?, 'iPhone17,3', '1.1', ?, ?, NULL, 105.5, 1, 0, 2)`,
      [s1, userId, deviceId, at(7_200_000), at(6_000_000), at(6_000_000), s2, userId, deviceId, at(600_000), at(60_000)],
    );
    // 130 passport entries, one per second, two event types; two share an occurred_at (tie broken by id).
    const rows = Array.from({ length: 130 }, (_, i) => ({
      event_id: randomUUID(),
      event_type: i % 10 === 0 ? 'constellation.captured' : 'station.swiped',
      event_category: i % 10 === 0 ? 'constellation' : 'discovery',
      user_id: userId,
      session_id: s2,
      occurred_at: new Date(NOW - 1_000_000 + Math.min(i, 128) * 1000).toISOString(),
      received_at: new Date(NOW - 1_000_000 + i * 1000).toISOString(),
      entity_type: 'station',
      entity_id: String(i),
      payload: { i },
      source: 'room',
    }));
    await db.sql.query(
      `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, session_id, occurred_at, received_at, entity_type, entity_id, payload, source)
       SELECT event_id, event_type, event_category, user_id, session_id, occurred_at, received_at, entity_type, entity_id, payload, source
         FROM jsonb_to_recordset(?::jsonb) AS r(event_id uuid, event_type text, event_category text, user_id uuid, session_id text, occurred_at timestamptz,
              received_at timestamptz, entity_type text, entity_id text, payload jsonb, source text)`,
      [JSON.stringify(rows)],
    );
    await db.sql.query(
      `INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at, session_id) VALUES (?, 'artist_wizkid', 0, 0, 0, ?, ?), (?, 'artist_burna_boy', 60, 10, -40, ?, ?)`,
      [userId, at(5_000_000), s1, userId, at(400_000), s2],
    );
    await db.sql.query(
      `INSERT INTO constellation_connections (user_id, from_artist_id, to_artist_id, strength, connection_type) VALUES (?, 'artist_wizkid', 'artist_burna_boy', 0.8, 'discovery_path')`,
      [userId],
    );
    await db.sql.query(`INSERT INTO user_badges (user_id, badge, earned_at) VALUES (?, 'First Discovery', ?)`, [userId, at(400_000)]);
  });

  after(async () => {
    await db?.drop();
  });

  it('finds a user by user id, by exact device id, and by device id prefix (exact first)', async () => {
    assert.deepEqual(
      (await repo.findUsers(userId)).map((u) => u.id),
      [userId],
    );
    const byDevice = await repo.findUsers(deviceId);
    assert.deepEqual(
      byDevice.map((u) => u.id),
      [userId, otherId],
      'exact device match first, then prefix matches',
    );
    assert.equal(byDevice[0].city, 'Lagos');
    // The short id the user list prints ("Anonymous 5b894d18"), alone or with the label, finds the user.
    for (const short of [userId.slice(0, 8), `Anonymous ${userId.slice(0, 8)}`, userId.slice(0, 13).toUpperCase()])
      assert.deepEqual(
        (await repo.findUsers(short)).map((u) => [u.id, u.matchedBy]),
        [[userId, 'id']],
        short,
      );
    assert.deepEqual(await repo.findUsers('nobody-here'), []);
    assert.deepEqual(await repo.findUsers('dev'), [], 'prefix search needs 4+ characters');
    assert.deepEqual(await repo.findUsers('%%%%'), [], 'LIKE wildcards are escaped');
    assert.deepEqual(await repo.findUsers('   '), []);
  });

  it('returns the user detail: sessions newest first, badges, constellation with artist names, passport size', async () => {
    const d = await repo.userDetail(userId);
    assert.ok(d);
    assert.equal(d.user.deviceId, deviceId);
    assert.deepEqual(
      d.sessions.map((s) => [s.frequency, s.endedAt === null]),
      [
        [105.5, true],
        [99.9, false],
      ],
    );
    assert.equal(d.sessions[1].swipes, 3);
    assert.deepEqual(
      d.badges.map((b) => b.badge),
      ['First Discovery'],
    );
    assert.deepEqual(
      d.constellation.stars.map((s) => [s.artistId, s.artistName, s.x, s.z]),
      [
        ['artist_wizkid', 'Wizkid', 0, 0],
        ['artist_burna_boy', 'Burna Boy', 60, -40],
      ],
    );
    assert.deepEqual(d.constellation.connections, [{ from: 'artist_wizkid', to: 'artist_burna_boy', strength: 0.8, type: 'discovery_path' }]);
    assert.equal(d.passportEntries, 130);
    assert.equal(await repo.userDetail(randomUUID()), null);
    assert.equal(await repo.userDetail('not-a-uuid'), null);
  });

  it('pages the passport newest first without gaps or repeats, across equal timestamps', async () => {
    const seen: string[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = await repo.timeline(userId, { before, limit: 50 });
      seen.push(...page.entries.map((e) => e.entityId!));
      before = page.nextCursor ?? undefined;
      pages++;
    } while (before);
    assert.equal(pages, 3);
    assert.equal(seen.length, 130);
    assert.equal(new Set(seen).size, 130);
    // 128 and 129 share occurred_at: the higher id (129) comes first.
    assert.deepEqual(seen.slice(0, 3), ['129', '128', '127']);
    assert.equal(seen.at(-1), '0');
  });

  it('filters the timeline by event types (sent as one JSON parameter)', async () => {
    const page = await repo.timeline(userId, { types: ['constellation.captured'], limit: 200 });
    assert.equal(page.entries.length, 13);
    assert.ok(page.entries.every((e) => e.eventType === 'constellation.captured'));
    assert.deepEqual(page.entries[0].payload, { i: 120 });
    assert.equal(page.nextCursor, null);
    assert.equal((await repo.timeline(userId, { types: ['nope'] })).entries.length, 0);
  });

  it('rejects a forged cursor and round-trips a real one with microseconds', () => {
    assert.throws(() => decodeCursor('garbage'), InvalidCursorError);
    assert.throws(() => decodeCursor(Buffer.from('2025-01-01|abc').toString('base64url')), InvalidCursorError);
    assert.deepEqual(decodeCursor(encodeCursor('2025-06-01T11:43:20.123456+00:00', '42')), { occurredAt: '2025-06-01T11:43:20.123456+00:00', id: '42' });
  });

  it('counts the system health figures (seed 002 §4)', async () => {
    const c = await repo.systemCounts(NOW);
    assert.deepEqual(c, { totalUsers: 2, activeToday: 1, openSessions: 1, interactions24h: 130, captures24h: 2, deadLetters: 0 });
  });
});
