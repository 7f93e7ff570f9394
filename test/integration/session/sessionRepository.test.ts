import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '../../support/db.js';
import { SessionRepository, UnknownUserError } from '../../../persistence/session/SessionRepository.js';
import { insertUser } from '../../support/auth.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-01-06T15:00:00Z');

/** Seed 000 steps 1 and 14: first launch, resume within two hours, a new session after. */
describe('SessionRepository.join (real Postgres)', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  let db: ReturnType<typeof database>;
  let sessions: SessionRepository;
  before(() => {
    db = database();
    sessions = new SessionRepository(db.orm);
  });

  it("a signed-up user's first join is the first launch, on 99.9, with the welcome message", async () => {
    const user = await insertUser(db.sql);
    const joined = await sessions.join({ ...user, deviceModel: 'iPhone17,3' }, T0);
    assert.equal(joined.userId, user.userId);
    assert.equal(joined.isFirstLaunch, true);
    assert.equal(joined.resumed, false);
    assert.equal(joined.frequency, 99.9);
    assert.equal(joined.message, 'Welcome to DeepStream');
    const [row] = await db.sql.query<{ first_launch: boolean }>(`SELECT first_launch FROM users WHERE id = ?`, [joined.userId]);
    assert.equal(row.first_launch, false, 'the next join is not a first launch');
    assert.equal((await sessions.join(user, T0 + 1000)).isFirstLaunch, false);
  });

  it('resumes the named session within two hours, where it left off; a new one after, on the same station', async () => {
    const user = await insertUser(db.sql);
    const first = await sessions.join(user, T0);
    await sessions.saveCounters(
      first,
      { frequency: 105.5, artistId: 'artist_burna_boy', interactions: 3, swipes: 2, orbsExplored: 0, captures: 0, sensorEngagements: 0 },
      T0 + 60_000,
      true,
    );
    const again = await sessions.join({ ...user, lastSessionId: first.sessionId }, T0 + HOUR);
    assert.deepEqual([again.isFirstLaunch, again.resumed, again.sessionId, again.userId, again.frequency], [false, true, first.sessionId, first.userId, 105.5]);
    assert.equal(again.message, 'Welcome back! Right where you left off.');
    const later = await sessions.join({ ...user, lastSessionId: first.sessionId }, T0 + 4 * HOUR);
    assert.equal(later.resumed, false);
    assert.notEqual(later.sessionId, first.sessionId);
    assert.equal(later.frequency, 105.5, 'a new session starts on the last station');
  });

  it("ignores a lastSessionId that is another user's and falls back to this user's latest", async () => {
    const me = await insertUser(db.sql);
    const mine = await sessions.join(me, T0);
    const theirs = await sessions.join(await insertUser(db.sql), T0);
    const back = await sessions.join({ ...me, lastSessionId: theirs.sessionId }, T0 + 60_000);
    assert.equal(back.sessionId, mine.sessionId);
    assert.equal(back.userId, me.userId);
    assert.equal(back.resumed, true);
  });

  it("parallax tips gathered in one statement: of one user's calls only the first flips it; other users their own", async () => {
    const [a, b] = [await insertUser(db.sql), await insertUser(db.sql)];
    const told = await Promise.all([sessions.markParallaxTipSeen(a.userId), sessions.markParallaxTipSeen(b.userId), sessions.markParallaxTipSeen(a.userId)]);
    assert.deepEqual(told, [true, true, false]);
    assert.equal(await sessions.markParallaxTipSeen(b.userId), false, 'a later batch finds it seen');
  });

  it('a shutdown writes the tips that wait without waiting out the batch, and refuses later ones', async () => {
    const own = new SessionRepository(db.orm);
    const user = await insertUser(db.sql);
    const told = own.markParallaxTipSeen(user.userId);
    await own.closeTips();
    // Settled by the time close resolves: written at close, not after the batch's second (no wall clock read).
    assert.equal(await Promise.race([told, Promise.resolve('still waiting')]), true);
    const [{ seen }] = await db.sql.query<{ seen: boolean }>('SELECT seen_parallax_tip AS seen FROM users WHERE id = ?', [user.userId]);
    assert.equal(seen, true);
    await assert.rejects(own.markParallaxTipSeen(user.userId), /closed/);
  });

  it('of concurrent first joins of one user, exactly one is the first launch', async () => {
    const user = await insertUser(db.sql);
    const joins = await Promise.all(Array.from({ length: 5 }, () => sessions.join(user, T0)));
    assert.equal(new Set(joins.map((j) => j.userId)).size, 1);
    assert.equal(joins.filter((j) => j.isFirstLaunch).length, 1);
  });

  it('never creates users: an unknown userId is an UnknownUserError and no session', async () => {
    const stranger = { userId: randomUUID(), deviceId: randomUUID() };
    await assert.rejects(
      sessions.join(stranger, T0),
      (err: unknown) => err instanceof UnknownUserError && err.code === 'UNKNOWN_USER' && /POST \/api\/auth\/device/.test(err.message),
    );
    const [{ n }] = await db.sql.query<{ n: string }>(
      'SELECT (SELECT count(*) FROM users WHERE id = ?) + (SELECT count(*) FROM sessions WHERE user_id = ?) AS n',
      [stranger.userId, stranger.userId],
    );
    assert.equal(Number(n), 0);
  });
});

/** The counters a room saves at the end of a session and reads back on resume (EntityManager, one statement each). */
describe('SessionRepository counters (real Postgres)', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  let db: ReturnType<typeof database>;
  let sessions: SessionRepository;
  before(() => {
    db = database();
    sessions = new SessionRepository(db.orm);
  });

  type Row = {
    last_active: number;
    ended_at: number | null;
    current_frequency: string;
    current_artist_id: string | null;
    total_interactions: number;
    total_swipes: number;
    total_orbs_explored: number;
    total_captures: number;
    sensor_engagement_count: number;
  };
  const rowOf = async (sessionId: string): Promise<Row> => {
    const [row] = await db.sql.query<Row>(
      `SELECT (extract(epoch FROM last_active) * 1000)::float8 AS last_active, (extract(epoch FROM ended_at) * 1000)::float8 AS ended_at, current_frequency::text, current_artist_id, total_interactions, total_swipes, total_orbs_explored, total_captures, sensor_engagement_count FROM sessions WHERE id = ?`,
      [sessionId],
    );
    return row;
  };
  const counters = { frequency: 102.7, artistId: 'artist_fela_kuti', interactions: 41, swipes: 17, orbsExplored: 5, captures: 2, sensorEngagements: 3 };

  it('a new session has zero counters', async () => {
    const joined = await sessions.join(await insertUser(db.sql), T0);
    assert.deepEqual(await sessions.countersOf(joined.sessionId), {
      interactions: 0,
      swipes: 0,
      orbsExplored: 0,
      captures: 0,
      sensorEngagements: 0,
      sensorSeconds: 0,
    });
  });

  it('saves every counter, the station and the time; open while the session runs, closed at its end', async () => {
    const joined = await sessions.join(await insertUser(db.sql), T0);
    await sessions.saveCounters(joined, counters, T0 + 60_000, false);
    assert.deepEqual(await rowOf(joined.sessionId), {
      last_active: T0 + 60_000,
      ended_at: null,
      current_frequency: '102.7',
      current_artist_id: 'artist_fela_kuti',
      total_interactions: 41,
      total_swipes: 17,
      total_orbs_explored: 5,
      total_captures: 2,
      sensor_engagement_count: 3,
    });
    await sessions.saveCounters(joined, { ...counters, artistId: null, swipes: 18 }, T0 + 120_000, true);
    const ended = await rowOf(joined.sessionId);
    assert.deepEqual([ended.last_active, ended.ended_at, ended.current_artist_id, ended.total_swipes], [T0 + 120_000, T0 + 120_000, null, 18]);
  });

  it('a resumed session reads back the counters it saved', async () => {
    const user = await insertUser(db.sql);
    const first = await sessions.join(user, T0);
    await sessions.saveCounters(first, { ...counters, sensorSeconds: 13.7 }, T0 + 60_000, true);
    const again = await sessions.join({ ...user, lastSessionId: first.sessionId }, T0 + HOUR);
    assert.equal(again.resumed, true);
    assert.equal(again.resumeCount, 1, 'seed 14.2 resume_count + 1');
    assert.equal(again.userSensorSeconds, 13.7);
    assert.deepEqual(await sessions.countersOf(again.sessionId), {
      interactions: 41,
      swipes: 17,
      orbsExplored: 5,
      captures: 2,
      sensorEngagements: 3,
      sensorSeconds: 13.7,
    });
    assert.equal((await rowOf(again.sessionId)).ended_at, null, 'resuming reopens it');
  });

  it('once the session is resumed, the older room writes nothing: its late end leaves the resumed session open', async () => {
    const user = await insertUser(db.sql);
    const first = await sessions.join(user, T0);
    assert.equal(await sessions.saveCounters(first, counters, T0 + 60_000, false), true);
    // The device resumed elsewhere while the first room still held a seat for reconnection.
    const again = await sessions.join({ ...user, lastSessionId: first.sessionId }, T0 + 90_000);
    assert.equal(again.resumed, true);
    assert.equal(await sessions.saveCounters(first, { ...counters, interactions: 40 }, T0 + 120_000, true), false, "the first room's end is refused");
    const row = await rowOf(first.sessionId);
    assert.deepEqual([row.ended_at, row.total_interactions, row.last_active], [null, 41, T0 + 90_000]);
    assert.equal(await sessions.saveCounters(again, { ...counters, interactions: 44 }, T0 + 150_000, true), true, 'the resumed room still writes');
    assert.deepEqual([(await rowOf(first.sessionId)).ended_at, (await rowOf(first.sessionId)).total_interactions], [T0 + 150_000, 44]);
  });

  it('an unknown session has no counters, and saving them creates nothing', async () => {
    const unknown = randomUUID();
    assert.equal(await sessions.countersOf(unknown), null);
    await sessions.saveCounters({ sessionId: unknown, resumeCount: 0 }, counters, T0, true);
    const [{ n }] = await db.sql.query<{ n: string }>('SELECT count(*) AS n FROM sessions WHERE id = ?', [unknown]);
    assert.equal(Number(n), 0);
  });
});
