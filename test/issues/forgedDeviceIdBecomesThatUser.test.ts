import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Room } from '@colyseus/sdk';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { clientFor, nextMessage, waitForState } from '../support/rooms.js';
import { bearer, postJson, signIn } from '../support/auth.js';

// Set, so the ops reads below are guarded rather than disabled: a user token must not open them.
const ADMIN_TOKEN = 'forged-identity-admin-token';

/**
 * Regression: identity was a self-asserted deviceId. A second client sending
 * another user's deviceId (it shows in passport rows, session rows, the ops panel) became that user
 * and saw and added to their constellation; HTTP ingest took any userId. Identity now comes from a
 * verified access token only, over the room and over HTTP.
 */
describe("issue: a forged deviceId/userId cannot read or write another user's data", function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let server: ServerProcess;
  const rooms: Room[] = [];
  let victim: { userId: string; deviceId: string };

  const stars = async (userId: string) =>
    (await db.sql.query<{ artist_id: string }>('SELECT artist_id FROM constellation_stars WHERE user_id = ? ORDER BY id', [userId])).map((r) => r.artist_id);
  const count = async (sql: string, params: unknown[]) => Number((await db.sql.query<{ n: string }>(sql, params))[0].n);

  /** The victim signs in, joins, captures Wizkid and leaves; an attacker can learn both ids from any row that logs them. */
  async function createVictim(): Promise<{ userId: string; deviceId: string }> {
    const device = await signIn(server.baseUrl);
    const room = await clientFor(server.baseUrl, device.accessToken).create('session', { deviceModel: 'iPhone17,3' });
    const welcome = await nextMessage(room, 'welcome');
    await waitForState(room, (s) => s.station.artistName !== '', 5000, 'initial station');
    const captured = nextMessage(room, 'captured');
    room.send('capture', { artistId: 'artist_wizkid' });
    await captured;
    await room.leave(true);
    const [row] = await db.sql.query<{ device_id: string }>('SELECT device_id FROM sessions WHERE id = ?::uuid', [welcome.sessionId]);
    return { userId: welcome.userId, deviceId: row.device_id };
  }

  /** The attacker's own credentials: a device of their own (or nothing, when `anonymous`). */
  async function attackerToken(): Promise<string> {
    return (await signIn(server.baseUrl)).accessToken;
  }

  before(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({ DATABASE_URL: db.url, REDIS_URL: undefined, ADMIN_TOKEN, LOG_LEVEL: 'warn', PASSPORT_FLUSH_MS: '20' });
    victim = await createVictim();
    assert.deepEqual(await stars(victim.userId), ['artist_wizkid']);
  });
  afterEach(async () => {
    await Promise.all(rooms.splice(0).map((r) => r.leave(true).catch(() => undefined)));
  });
  after(async () => {
    await server?.stop('SIGTERM');
    await db?.drop();
  });

  it("a join naming the victim's deviceId or userId without a token is refused, and opens nothing of theirs", async () => {
    const sessionsBefore = await count('SELECT count(*) AS n FROM sessions WHERE user_id = ?', [victim.userId]);
    for (const options of [
      { deviceId: victim.deviceId },
      { deviceId: victim.deviceId, userId: victim.userId },
      { deviceId: `dev-${randomUUID()}`, userId: victim.userId },
    ]) {
      const outcome = await clientFor(server.baseUrl)
        .create('session', options)
        .then(
          (room) => (rooms.push(room), `joined as ${room.roomId}`),
          (err: { code?: number }) => err.code,
        );
      assert.equal(outcome, 401, `join with ${JSON.stringify(options)}`);
    }
    assert.equal(await count('SELECT count(*) AS n FROM sessions WHERE user_id = ?', [victim.userId]), sessionsBefore, 'no session was opened for the victim');
  });

  it("with the attacker's own token, naming the victim is refused; a plain join is the attacker, who sees and adds none of the victim's stars", async () => {
    const token = await attackerToken();
    for (const options of [{ deviceId: victim.deviceId }, { userId: victim.userId }]) {
      const outcome = await clientFor(server.baseUrl, token)
        .create('session', options)
        .then(
          (room) => (rooms.push(room), 'joined'),
          (err: { code?: number }) => err.code,
        );
      assert.equal(outcome, 400, `join with ${JSON.stringify(options)}`);
    }
    const room = await clientFor(server.baseUrl, token).create('session', {});
    rooms.push(room);
    const welcome = await nextMessage(room, 'welcome');
    assert.notEqual(welcome.userId, victim.userId);
    await waitForState(room, (s) => s.station.artistName !== '', 5000, 'initial station');
    assert.equal(room.state.totalStars, 0, "the victim's constellation is not shown");
    const captured = nextMessage(room, 'captured');
    room.send('capture', { artistId: 'artist_burna_boy' });
    assert.equal((await captured).alreadyCaptured, false);
    assert.deepEqual(await stars(victim.userId), ['artist_wizkid'], "nothing was added to the victim's constellation");
    assert.deepEqual(await stars(welcome.userId), ['artist_burna_boy']);
  });

  it("over HTTP, events naming the victim are refused (401 without a token, 403 with another's) and nothing lands in their passport", async () => {
    const rowsBefore = await count('SELECT count(*) AS n FROM passport_entries WHERE user_id = ?', [victim.userId]);
    const like = { eventType: 'player.like', userId: victim.userId, deviceId: victim.deviceId, payload: { trackId: 't-forged' } };
    const anonymous = await postJson(server.baseUrl, '/api/passport/log', like);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer/);

    const token = await attackerToken();
    const single = await postJson(server.baseUrl, '/api/passport/log', like, bearer(token));
    assert.equal(single.status, 403);
    assert.deepEqual(
      single.body.details.map((d: { field: string }) => d.field),
      ['userId', 'deviceId'],
    );
    const batch = await postJson(
      server.baseUrl,
      '/api/passport/batch',
      { events: [{ eventType: 'player.like', payload: { trackId: 't-mine' } }, like] },
      bearer(token),
    );
    assert.equal(batch.status, 403, "all-or-nothing: the attacker's own event in the batch is not accepted either");
    assert.deepEqual(
      batch.body.details.map((d: { field: string }) => d.field),
      ['events.1.userId', 'events.1.deviceId'],
    );
    const gravity = await postJson(
      server.baseUrl,
      '/event',
      { session_id: 's-forged', track_id: randomUUID(), event_type: 'like', user_id: victim.userId },
      bearer(token),
    );
    assert.equal(gravity.status, 403);
    assert.equal(gravity.body.details[0].field, 'user_id');

    // Reads: the only user-scoped HTTP reads are the admin ops views; a user token opens none of them.
    const read = await fetch(`${server.baseUrl}/api/ops/users/${victim.userId}`, { headers: bearer(token) });
    assert.equal(read.status, 401);

    await new Promise((r) => setTimeout(r, 300)); // two writer flushes
    assert.equal(await count('SELECT count(*) AS n FROM passport_entries WHERE user_id = ?', [victim.userId]), rowsBefore);
    assert.equal(await count("SELECT count(*) AS n FROM passport_entries WHERE payload->>'trackId' IN ('t-forged', 't-mine')", []), 0);
  });
});
