import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '../support/db.js';
import { SessionRepository } from '../../persistence/session/SessionRepository.js';

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
    sessions = new SessionRepository(db.sql);
  });

  it('creates the user on first launch, on 99.9, with the welcome message', async () => {
    const joined = await sessions.join({ deviceId: `dev-${randomUUID()}`, deviceModel: 'iPhone17,3' }, T0);
    assert.equal(joined.isFirstLaunch, true);
    assert.equal(joined.resumed, false);
    assert.equal(joined.frequency, 99.9);
    assert.equal(joined.message, 'Welcome to DeepStream');
    const [user] = await db.sql.query<{ first_launch: boolean }>(`SELECT first_launch FROM users WHERE id = ?`, [joined.userId]);
    assert.equal(user.first_launch, true);
  });

  it('resumes the named session within two hours, where it left off; a new one after, on the same station', async () => {
    const deviceId = `dev-${randomUUID()}`;
    const first = await sessions.join({ deviceId }, T0);
    await sessions.saveCounters(first.sessionId, { frequency: 105.5, artistId: 'artist_burna_boy', interactions: 3, swipes: 2, orbsExplored: 0, captures: 0, sensorEngagements: 0 }, T0 + 60_000, true);
    const again = await sessions.join({ deviceId, lastSessionId: first.sessionId }, T0 + HOUR);
    assert.deepEqual([again.isFirstLaunch, again.resumed, again.sessionId, again.userId, again.frequency], [false, true, first.sessionId, first.userId, 105.5]);
    assert.equal(again.message, 'Welcome back! Right where you left off.');
    const later = await sessions.join({ deviceId, lastSessionId: first.sessionId }, T0 + 4 * HOUR);
    assert.equal(later.resumed, false);
    assert.notEqual(later.sessionId, first.sessionId);
    assert.equal(later.frequency, 105.5, 'a new session starts on the last station');
    const [{ n }] = await db.sql.query<{ n: string }>(`SELECT count(*) AS n FROM users WHERE device_id = ?`, [deviceId]);
    assert.equal(Number(n), 1);
  });

  it("ignores a lastSessionId that is another user's and falls back to this user's latest", async () => {
    const mine = await sessions.join({ deviceId: `dev-${randomUUID()}` }, T0);
    const theirs = await sessions.join({ deviceId: `dev-${randomUUID()}` }, T0);
    const back = await sessions.join({ deviceId: (await db.sql.query<{ device_id: string }>(`SELECT device_id FROM users WHERE id = ?`, [mine.userId]))[0].device_id, lastSessionId: theirs.sessionId }, T0 + 60_000);
    assert.equal(back.sessionId, mine.sessionId);
    assert.equal(back.resumed, true);
  });

  it('concurrent first joins of one device make one user, one of them the first launch', async () => {
    const deviceId = `dev-${randomUUID()}`;
    const joins = await Promise.all(Array.from({ length: 5 }, () => sessions.join({ deviceId }, T0)));
    assert.equal(new Set(joins.map((j) => j.userId)).size, 1);
    assert.equal(joins.filter((j) => j.isFirstLaunch).length, 1);
  });
});
