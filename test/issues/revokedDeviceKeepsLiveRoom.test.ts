import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Room } from '@colyseus/sdk';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { freePort, redisUrl } from '../support/postgres.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { bearer, postJson, signIn, TEST_AUTH_SECRET, type SignedIn } from '../support/auth.js';
import { clientFor, nextMessage } from '../support/rooms.js';
import { AccessTokens } from '../../features/auth/tokens.js';
import { joinSession, leaveQuietly } from '../support/session.js';
import { deleteKeysWithPrefix } from '../support/redis.js';

/** The bound the docs state between a revocation and its live rooms closing (measured: milliseconds). */
const CLOSE_BOUND_MS = 1000;

/** Resolves with the code, reason and time of the room's close. */
const closed = (room: Room) =>
  new Promise<{ code: number; reason?: string; at: number }>((resolve) => room.onLeave((code, reason) => resolve({ code, reason, at: Date.now() })));

/** Rotates the device's refresh token once, then presents the used one again: the device is revoked. Resolves with when the 401 came. */
async function reuseRefreshToken(baseUrl: string, device: SignedIn): Promise<number> {
  const rotated = await postJson(baseUrl, '/api/auth/refresh', { refreshToken: device.refreshToken });
  assert.equal(rotated.status, 200);
  const reused = await postJson(baseUrl, '/api/auth/refresh', { refreshToken: device.refreshToken });
  assert.equal(reused.status, 401);
  assert.match(reused.body.message, /already used/);
  return Date.now();
}

/**
 * Regression: revocation and expiry reached only the join. A device revoked by a reused refresh token
 * kept its live room (and got back in through its reconnection token), and its access tokens kept
 * working. Now the revocation closes the device's live sessions on every process (close 4401
 * `DEVICE_REVOKED`, within 1 s), a reconnection re-checks the device, and its older tokens are refused.
 */
describe('issue: a revoked device kept its live room', function () {
  this.timeout(90_000);
  const prefix = `test:revoke:${randomUUID().slice(0, 8)}:`;
  let pg: TestDatabase;
  const servers: ServerProcess[] = [];
  let a: ServerProcess;
  let b: ServerProcess;

  before(async () => {
    pg = await createTestDatabase();
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      servers.push(
        await startServerProcess({
          PORT: String(port),
          PUBLIC_ADDRESS: `127.0.0.1:${port}`,
          REDIS_URL: redisUrl(),
          REDIS_PREFIX: prefix,
          DATABASE_URL: pg.url,
          LOG_LEVEL: 'warn',
          RECONNECT_WINDOW_SEC: '30',
        }),
      );
    }
    [a, b] = servers as [ServerProcess, ServerProcess];
  });
  after(async () => {
    for (const s of servers.splice(0).reverse()) assert.equal(await s.stop('SIGTERM'), 0, s.output().slice(-3000));
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await pg?.drop();
  });

  it('the revoking process closes the live room with 4401 DEVICE_REVOKED within 1 s and refuses its reconnection', async () => {
    const device = await signIn(a.baseUrl);
    const { room } = await joinSession(a.baseUrl, {}, device);
    const reconnectionToken = room.reconnectionToken;
    const closing = closed(room);
    const revokedAt = await reuseRefreshToken(a.baseUrl, device);
    const close = await closing;
    assert.equal(close.code, 4401);
    assert.equal(close.reason, 'DEVICE_REVOKED');
    assert.ok(close.at - revokedAt <= CLOSE_BOUND_MS, `closed ${close.at - revokedAt} ms after the revocation`);

    const back = await clientFor(a.baseUrl)
      .reconnect(reconnectionToken)
      .then(
        (r) => ({ room: r }),
        (err: { code?: number; message?: string }) => ({ code: err.code, message: err.message }),
      );
    assert.ok(!('room' in back), 'the reconnection was let in');
    assert.equal(back.code, 4401, JSON.stringify(back));
    assert.match(back.message ?? '', /^DEVICE_REVOKED: /);

    // The device's tokens from before the revocation are refused too; its secret signs it in again.
    const old = await clientFor(a.baseUrl, device.accessToken)
      .create('session', {})
      .then(
        () => null,
        (err: { code?: number }) => err.code,
      );
    assert.equal(old, 401);
    assert.equal((await fetch(`${b.baseUrl}/api/constellations/me`, { headers: bearer(device.accessToken) })).status, 401, 'on the other process as well');
    const again = await signIn(a.baseUrl, device.deviceSecret);
    const { room: fresh } = await joinSession(a.baseUrl, {}, again);
    await leaveQuietly(fresh);
  });

  it('a revocation on another process closes the live room within 1 s (backplane channel)', async () => {
    const device = await signIn(a.baseUrl);
    const { room } = await joinSession(a.baseUrl, {}, device);
    const closing = closed(room);
    const revokedAt = await reuseRefreshToken(b.baseUrl, device);
    const close = await closing;
    assert.deepEqual([close.code, close.reason], [4401, 'DEVICE_REVOKED']);
    assert.ok(close.at - revokedAt <= CLOSE_BOUND_MS, `closed ${close.at - revokedAt} ms after the revocation`);
  });

  it("an access token's expiry does not cut a live session; another device's revocation leaves it alone", async () => {
    const device = await signIn(a.baseUrl);
    // A token of this device that expires in 2 s (signed with the test servers' key).
    const shortLived = await new AccessTokens(TEST_AUTH_SECRET, 2).issue({ userId: device.userId, deviceId: device.deviceId, generation: 0 });
    const { room } = await joinSession(a.baseUrl, {}, { accessToken: shortLived.accessToken });
    let left: number | undefined;
    room.onLeave((code) => (left = code));
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal((await fetch(`${a.baseUrl}/api/constellations/me`, { headers: bearer(shortLived.accessToken) })).status, 401, 'the token has expired');
    const reply = nextMessage(room, 'clock');
    room.send('clock', { t0: Date.now() });
    await reply;
    await reuseRefreshToken(a.baseUrl, await signIn(a.baseUrl));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(left, undefined, 'the session still serves');
    await leaveQuietly(room);
  });
});
