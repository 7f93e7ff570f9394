import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { bearer, newDeviceSecret, postJson, signIn } from '../support/auth.js';

/**
 * Regression: 3,000 sign-ups from one address took 6 s and 3,000 wrong admin tokens 0.5 s; nothing ever
 * answered 429, and one script could play a track 30 times a second for hours. The limits apply to
 * loopback too (this server runs with small ones to reach them quickly).
 */
describe('issue: sign-up floods, admin-token guessing and unbounded claims', function () {
  this.timeout(60_000);
  const ADMIN = 'limits-test-admin-token-0123456789';
  let db: TestDatabase;
  let server: ServerProcess;
  let knownSecret: string | undefined;
  const ping = () => fetch(`${server.baseUrl}/api/ops/overview`, { headers: bearer(ADMIN) });

  before(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({
      DATABASE_URL: db.url,
      REDIS_URL: undefined,
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: ADMIN,
      PASSPORT_FLUSH_MS: '20',
      AUTH_SIGNUPS_PER_ADDRESS_PER_HOUR: '5',
      AUTH_SIGNINS_PER_SECRET_PER_MINUTE: '4',
      ADMIN_FAILURES_PER_ADDRESS_PER_MINUTE: '3',
      INGEST_EVENTS_PER_USER_PER_SECOND: '30',
      INGEST_ENTITY_EVENTS_PER_USER_PER_HOUR: '5',
      INGEST_ATTENDANCES_PER_EVENT_PER_DAY: '1',
    });
  });
  after(async () => {
    await server?.stop('SIGTERM');
    await db?.drop();
  });

  it('the sixth new user from one address in an hour gets 429 with Retry-After; known devices still sign in', async () => {
    const first = await signIn(server.baseUrl);
    knownSecret = first.deviceSecret;
    for (let i = 0; i < 4; i++) await signIn(server.baseUrl);
    const sixth = await postJson(server.baseUrl, '/api/auth/device', { deviceSecret: newDeviceSecret() });
    assert.equal(sixth.status, 429);
    assert.equal(sixth.body.error, 'RATE_LIMITED');
    assert.ok(Number(sixth.headers.get('retry-after')) > 0);
    assert.match(sixth.body.message, /sign-ups from this address/);
    const [{ n }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    assert.equal(n, 5, 'the refused sign-up created no user');
    const again = await postJson(server.baseUrl, '/api/auth/device', { deviceSecret: first.deviceSecret });
    assert.equal(again.status, 200, 'an existing device is not a sign-up');
  });

  it('a device secret tried over and over is limited', async () => {
    const statuses: number[] = [];
    const secret = newDeviceSecret();
    for (let i = 0; i < 6; i++) statuses.push((await postJson(server.baseUrl, '/api/auth/device', { deviceSecret: secret })).status);
    assert.equal(statuses.at(-1), 429);
  });

  it('after three wrong admin tokens a fourth gets 429; the right token still passes (adminLockoutOfRightToken.test.ts)', async () => {
    const guess = () => fetch(`${server.baseUrl}/api/ops/overview`, { headers: bearer(`wrong-${randomUUID()}`) });
    assert.equal((await ping()).status, 200);
    for (let i = 0; i < 3; i++) assert.equal((await guess()).status, 401);
    const blocked = await guess();
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    assert.equal((await ping()).status, 200);
  });

  it("caps claimed events per user: the type rate and one track's plays, refused whole with 429 naming the type", async () => {
    const { accessToken, userId } = await signInExisting();
    const play = (trackId: string) => ({ eventId: randomUUID(), eventType: 'player.track_played', payload: { trackId } });
    const burst = await postJson(
      server.baseUrl,
      '/api/passport/batch',
      { events: Array.from({ length: 31 }, (_, i) => play(`t_burst_${i}`)) },
      bearer(accessToken),
    );
    assert.equal(burst.status, 429);
    assert.match(burst.body.message, /^player\.track_played/);
    await new Promise((r) => setTimeout(r, 1100));
    const same = await postJson(server.baseUrl, '/api/passport/batch', { events: Array.from({ length: 6 }, () => play('t_loop')) }, bearer(accessToken));
    assert.equal(same.status, 429, 'six plays of one track in an hour pass the cap of five');
    await new Promise((r) => setTimeout(r, 1100));
    const fine = await postJson(server.baseUrl, '/api/passport/batch', { events: Array.from({ length: 5 }, () => play('t_loop')) }, bearer(accessToken));
    assert.equal(fine.status, 202, 'the refused batch took nothing from the cap');
    const [{ n }] = await db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM passport_entries WHERE user_id = ?::uuid AND event_type = 'player.track_played'",
      [userId],
    );
    assert.equal(n, 5);
  });

  /** The address's sign-up budget is spent by then: sign in again with the first user's device. */
  async function signInExisting() {
    assert.ok(knownSecret, 'the sign-up test ran first');
    return signIn(server.baseUrl, knownSecret);
  }
});
