import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ConstellationRepository, ConstellationStoreError, type CaptureRequest } from '../../../persistence/constellation/ConstellationRepository.js';

const ARTISTS = ['artist_wizkid_001', 'artist_burna_002', 'artist_fela_004', 'artist_sade_005'];

async function seed(db: TestDatabase): Promise<string> {
  await db.sql.query(
    `INSERT INTO scenes (id, name, scene_type, video_url_high, video_url_medium, video_url_low) VALUES ('scene_1', 'Lagos', 'street', 'h', 'm', 'l')`,
  );
  for (const [i, id] of ARTISTS.entries()) {
    await db.sql.query(`INSERT INTO artists (id, name, station_frequency, scene_id) VALUES (?, ?, ?, 'scene_1')`, [id, id, 99.9 + i]);
  }
  return newUser(db);
}

async function newUser(db: TestDatabase): Promise<string> {
  const id = randomUUID();
  await db.sql.query(`INSERT INTO users (id, device_id) VALUES (?, ?)`, [id, `device-${id}`]);
  return id;
}

describe('ConstellationRepository (real Postgres)', () => {
  let db: TestDatabase;
  let repo: ConstellationRepository;
  let userId: string;
  const now = Date.parse('2025-01-06T14:28:33.120Z');

  const request = (artistId: string, extra: Partial<CaptureRequest> = {}): CaptureRequest => ({
    userId,
    sessionId: 'session-1',
    artistId,
    position: { x: 40, y: 180, z: -80 },
    discoveryPath: ['artist_wizkid_001', 'artist_burna_002', 'artist_fela_004'],
    connections: [],
    badges: [],
    ...extra,
  });

  before(async () => {
    db = await createTestDatabase();
    userId = await seed(db);
    repo = new ConstellationRepository(db.sql, () => now);
  });
  after(async () => {
    await db?.drop();
  });

  it('captures a star with its connections and badges in one transaction (seed step 7)', async () => {
    await repo.capture(request('artist_wizkid_001', { position: { x: 0, y: 0, z: 0 }, badges: ['First Star'] }));
    await repo.capture(request('artist_burna_002', { position: { x: 120, y: 80, z: -50 } }));
    const result = await repo.capture(
      request('artist_fela_004', {
        connections: [
          { from: 'artist_burna_002', to: 'artist_fela_004', strength: 0.95, type: 'discovery_path' },
          { from: 'artist_wizkid_001', to: 'artist_fela_004', strength: 0.72, type: 'genre_similarity' },
        ],
      }),
    );
    assert.equal(result.status, 'captured');
    assert.equal(result.totalStars, 3, 'seed: total_stars 3');
    assert.deepEqual(result.star.position, { x: 40, y: 180, z: -80 });
    assert.equal(result.star.capturedAt, '2025-01-06T14:28:33.120Z');
    assert.deepEqual(result.star.discoveryPath, ['artist_wizkid_001', 'artist_burna_002', 'artist_fela_004']);
    if (result.status === 'captured') assert.equal(result.connectionsAdded, 2);
  });

  it('a second capture of the same artist changes nothing and says "Already in your constellation"', async () => {
    const before = await repo.constellationOf(userId);
    const again = await repo.capture(
      request('artist_fela_004', {
        position: { x: 999, y: 999, z: 999 },
        badges: ['Galaxy Master'],
        connections: [{ from: 'artist_sade_005', to: 'artist_fela_004', strength: 0.9, type: 'genre_similarity' }],
      }),
    );
    assert.equal(again.status, 'already');
    if (again.status === 'already') assert.equal(again.message, 'Already in your constellation');
    assert.deepEqual(again.star.position, { x: 40, y: 180, z: -80 }, 'the original star comes back');
    assert.equal(again.totalStars, 3);
    assert.deepEqual(await repo.constellationOf(userId), before, 'stars, connections and badges unchanged');
  });

  it('reads the constellation in capture order, stars for placement, badges and the count', async () => {
    const c = await repo.constellationOf(userId);
    assert.deepEqual(
      c.stars.map((s) => s.artistId),
      ['artist_wizkid_001', 'artist_burna_002', 'artist_fela_004'],
    );
    assert.deepEqual(
      c.connections.map((x) => [x.from, x.to, x.strength, x.type]),
      [
        ['artist_burna_002', 'artist_fela_004', 0.95, 'discovery_path'],
        ['artist_wizkid_001', 'artist_fela_004', 0.72, 'genre_similarity'],
      ],
    );
    assert.deepEqual(
      c.badges.map((b) => b.badge),
      ['First Star'],
    );
    assert.deepEqual(await repo.starsOf(userId), [
      { artistId: 'artist_wizkid_001', position: { x: 0, y: 0, z: 0 } },
      { artistId: 'artist_burna_002', position: { x: 120, y: 80, z: -50 } },
      { artistId: 'artist_fela_004', position: { x: 40, y: 180, z: -80 } },
    ]);
    assert.equal(await repo.countStars(userId), 3);
    assert.deepEqual((await repo.starsAndBadgesOf(userId)).badges, ['First Star']);
    assert.deepEqual(await repo.starsAndBadgesOf(userId), { stars: await repo.starsOf(userId), badges: ['First Star'] }, 'one round trip, the same answer');
    assert.deepEqual(await repo.starsAndBadgesOf(randomUUID()), { stars: [], badges: [] });
  });

  it('awards each badge once', async () => {
    assert.deepEqual(await repo.awardBadges(userId, ['First Star', 'First Discovery', 'First Discovery']), ['First Discovery']);
    assert.deepEqual(await repo.awardBadges(userId, ['First Discovery']), []);
  });

  it('concurrent captures of one artist store one star; both answer with it', async () => {
    const other = await newUser(db);
    const results = await Promise.all(Array.from({ length: 5 }, () => repo.capture({ ...request('artist_sade_005'), userId: other })));
    assert.equal(results.filter((r) => r.status === 'captured').length, 1);
    assert.equal(results.filter((r) => r.status === 'already').length, 4);
    assert.equal(await repo.countStars(other), 1);
  });

  it('refuses unknown artists, unknown users and invalid captures with named errors, storing nothing', async () => {
    await assert.rejects(repo.capture(request('artist_nobody')), (err: unknown) => err instanceof ConstellationStoreError && err.code === 'UNKNOWN_ARTIST');
    await assert.rejects(
      repo.capture({ ...request('artist_sade_005'), userId: randomUUID() }),
      (err: unknown) => err instanceof ConstellationStoreError && err.code === 'UNKNOWN_USER',
    );
    await assert.rejects(
      repo.capture(request('artist_sade_005', { position: { x: NaN, y: 0, z: 0 } })),
      (err: unknown) => err instanceof ConstellationStoreError && err.code === 'INVALID_CAPTURE',
    );
    await assert.rejects(
      repo.capture(request('artist_sade_005', { connections: [{ from: 'a', to: 'b', strength: 2, type: 'discovery_path' }] })),
      (err: unknown) => err instanceof ConstellationStoreError && /strength/.test(err.message),
    );
    assert.equal(await repo.countStars(userId), 3);
  });

  it('rolls the star back when a later step of the capture fails', async () => {
    const user = await newUser(db);
    // A badge insert that fails inside the database, after the star row was written by the same statement.
    await db.sql.query(
      `CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.badge = 'Deep Diver' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$`,
    );
    await db.sql.query(`CREATE TRIGGER refuse_boom BEFORE INSERT ON user_badges FOR EACH ROW EXECUTE FUNCTION refuse_boom()`);
    try {
      await assert.rejects(repo.capture({ ...request('artist_sade_005', { badges: ['First Star', 'Deep Diver'] }), userId: user }), /disk full/);
      assert.equal(await repo.countStars(user), 0, 'the star insert was rolled back with the failed badge insert');
      assert.deepEqual((await repo.starsAndBadgesOf(user)).badges, [], 'and the badge that went in before it');
    } finally {
      await db.sql.query(`DROP TRIGGER refuse_boom ON user_badges`);
      await db.sql.query(`DROP FUNCTION refuse_boom()`);
    }
  });

  it('captures that wait together are one statement, each answered as alone; a user twice and a refused one go in statements of their own', async () => {
    const statements: string[] = [];
    const counted = { ...db.sql, query: (text: string, params?: unknown[]) => (statements.push(text), db.sql.query(text, params)) } as typeof db.sql;
    const batched = new ConstellationRepository(counted, () => now);
    const users = await Promise.all(Array.from({ length: 5 }, () => newUser(db)));
    const asked = [
      ...users.map((u, i) => ({ ...request(ARTISTS[i % ARTISTS.length], { badges: ['First Star'] }), userId: u })),
      { ...request('artist_sade_005'), userId: users[0] },
      { ...request('artist_not_in_catalog'), userId: users[1] },
    ];
    const results = await Promise.allSettled(asked.map((r) => batched.capture(r)));
    const captures = statements.filter((t) => t.includes('INSERT INTO constellation_stars'));
    assert.equal(captures.length, 4, 'the first of each user together; then the two others together, refused, and each alone');
    const answered = results.map((r) => (r.status === 'fulfilled' ? r.value : null));
    for (const r of answered.slice(0, 5)) assert.deepEqual([r?.status, r?.totalStars, r?.badgesAwarded], ['captured', 1, ['First Star']]);
    assert.deepEqual([answered[5]?.status, answered[5]?.totalStars], ['captured', 2]);
    assert.equal(results[6].status, 'rejected');
    assert.equal(((results[6] as PromiseRejectedResult).reason as ConstellationStoreError).code, 'UNKNOWN_ARTIST');
    assert.deepEqual((await batched.capture(asked[0])).status, 'already');
  });
});
