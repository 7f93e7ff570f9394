import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { clientFor, nextMessage } from '../support/rooms.js';
import { newDeviceSecret, postJson, signIn } from '../support/auth.js';

/**
 * Regression: a new device joining with another user's `userId` got
 * `duplicate key value violates unique constraint "users_pkey"` — a database error shown to the
 * client, which also told it that the user exists (an unknown id simply created a user with it).
 * Joins no longer create users, and identity is never taken from join options or request bodies.
 */
describe("issue: joining with another user's userId leaked a duplicate-key error", function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let server: ServerProcess;
  let victimId: string;

  /** An existing user (signs in and joins once). */
  async function createVictim(): Promise<string> {
    const device = await signIn(server.baseUrl);
    const room = await clientFor(server.baseUrl, device.accessToken).create('session', {});
    const welcome = await nextMessage(room, 'welcome');
    await room.leave(true);
    return welcome.userId;
  }

  /** What a join naming `userId` from a brand-new device ends in: the error (code, message), or 'joined'. */
  async function joinNaming(userId: string, token?: string): Promise<string> {
    return clientFor(server.baseUrl, token)
      .create('session', { deviceId: `dev-new-${randomUUID()}`, userId })
      .then(
        async (room) => (await room.leave(true).catch(() => undefined), 'joined'),
        (err: { code?: number; message?: string }) => `${err.code}: ${err.message}`,
      );
  }

  const userCount = async () => Number((await db.sql.query<{ n: string }>('SELECT count(*) AS n FROM users'))[0].n);

  before(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({ DATABASE_URL: db.url, REDIS_URL: undefined, LOG_LEVEL: 'warn' });
    victimId = await createVictim();
  });
  after(async () => {
    await server?.stop('SIGTERM');
    await db?.drop();
  });

  for (const withToken of [false, true]) {
    it(`a join naming an existing userId ends exactly like one naming an unknown userId, with no database error (${withToken ? "the attacker's own token" : 'no token'})`, async () => {
      const token = withToken ? (await signIn(server.baseUrl)).accessToken : undefined;
      const users = await userCount();
      const existing = await joinNaming(victimId, token);
      const unknown = await joinNaming(randomUUID(), token);
      assert.doesNotMatch(existing, /duplicate key|users_pkey|constraint|violates/i);
      assert.notEqual(existing, 'joined');
      assert.equal(existing, unknown, 'the answer does not reveal whether the user exists');
      assert.equal(await userCount(), users, 'a join never creates a user');
    });
  }

  it('sign-up cannot pick a userId either: the same 400 for an existing and an unknown id, and no user is created', async () => {
    const users = await userCount();
    const existing = await postJson(server.baseUrl, '/api/auth/device', { deviceSecret: newDeviceSecret(), userId: victimId });
    const unknown = await postJson(server.baseUrl, '/api/auth/device', { deviceSecret: newDeviceSecret(), userId: randomUUID() });
    assert.equal(existing.status, 400);
    assert.deepEqual(existing.body, unknown.body);
    assert.doesNotMatch(JSON.stringify(existing.body), /duplicate key|users_pkey/);
    assert.equal(await userCount(), users);
  });
});
