import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import pino from 'pino';
import { useTestDatabase } from '../../support/db.js';
import { newDeviceSecret } from '../../support/auth.js';
import { jsonOf } from '../../support/http.js';
import { authRoutes } from '../../../src/http/authRoutes.js';
import { buildRouter } from '../../support/httpRouter.js';
import { AccessTokens } from '../../../features/auth/tokens.js';
import { DeviceAuth } from '../../../features/auth/DeviceAuth.js';
import { DeviceRepository } from '../../../persistence/auth/DeviceRepository.js';
import { LocalBackplane } from '../../../persistence/backplane/LocalBackplane.js';
import { authLimits } from '../../../features/limits/authLimits.js';
import type { Logger } from '../../../src/logger.js';

const silent = pino({ level: 'silent' }) as unknown as Logger;
const DAY = 86_400_000;

/** POST /api/auth/device and /api/auth/refresh through the real router, on a real Postgres. */
describe('auth routes (real Postgres)', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  let clock = Date.now();
  let tokens: AccessTokens;
  let router: ReturnType<typeof buildRouter>;

  before(() => {
    tokens = new AccessTokens('auth-routes-test-secret-0123456789abcdef', 900, () => clock);
    const auth = new DeviceAuth(new DeviceRepository(database().orm), tokens, silent, { refreshTtlDays: 30, maxDevicesPerUser: 1000, now: () => clock });
    router = buildRouter(
      authRoutes(
        auth,
        authLimits(new LocalBackplane('test:'), {
          signupsPerAddressPerHour: 1e6,
          signinsPerSecretPerMinute: 1e6,
          refreshesPerAddressPerMinute: 1e6,
          adminFailuresPerAddressPerMinute: 1e6,
          linksPerUserPerMinute: 1e6,
        }),
      ),
      silent,
    );
  });
  beforeEach(() => (clock = Date.now()));

  async function post(path: string, body: unknown, token?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const res = await router.handler(new Request(`http://localhost${path}`, { method: 'POST', headers, body: JSON.stringify(body) }));
    return { status: res.status, body: await jsonOf(res), challenge: res.headers.get('www-authenticate'), cache: res.headers.get('cache-control') };
  }
  const device = (deviceSecret: string, token?: string, deviceModel?: string) =>
    post('/api/auth/device', { deviceSecret, ...(deviceModel ? { deviceModel } : {}) }, token);
  const count = async (sql: string, params: unknown[] = []) => Number((await database().sql.query<{ n: string }>(sql, params))[0].n);

  it('a new secret creates the user and its device: 201, isNewUser, a token naming both, only a hash stored', async () => {
    const secret = newDeviceSecret();
    const res = await device(secret, undefined, 'iPhone17,3');
    assert.equal(res.status, 201);
    assert.equal(res.cache, 'no-store');
    const { userId, deviceId, accessToken, expiresInSec, refreshToken, isNewUser } = res.body;
    assert.equal(isNewUser, true);
    assert.equal(expiresInSec, 900);
    assert.match(refreshToken, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(await tokens.verify(accessToken), { userId, deviceId, generation: 0 });
    const [row] = await database().sql.query<Record<string, unknown>>('SELECT user_id, secret_hash, device_model FROM devices WHERE id = ?', [deviceId]);
    assert.deepEqual(row, { user_id: userId, secret_hash: createHash('sha256').update(secret).digest('hex'), device_model: 'iPhone17,3' });
    const dump = JSON.stringify(
      await database().sql.query('SELECT d.*, r.* FROM devices d JOIN refresh_tokens r ON r.device_id = d.id WHERE d.id = ?', [deviceId]),
    );
    assert.ok(!dump.includes(secret) && !dump.includes(refreshToken), 'neither the secret nor the refresh token is stored in clear');
    assert.equal(await count('SELECT count(*) AS n FROM users WHERE id = ? AND first_launch', [userId]), 1);
  });

  it('the same secret again is the same user and device: 200, isNewUser false', async () => {
    const secret = newDeviceSecret();
    const first = (await device(secret)).body;
    const again = await device(secret);
    assert.equal(again.status, 200);
    assert.deepEqual([again.body.userId, again.body.deviceId, again.body.isNewUser], [first.userId, first.deviceId, false]);
    assert.notEqual(again.body.refreshToken, first.refreshToken);
  });

  it('concurrent first calls with one new secret make one user', async () => {
    const secret = newDeviceSecret();
    const results = await Promise.all(Array.from({ length: 6 }, () => device(secret)));
    assert.deepEqual([...new Set(results.map((r) => r.status))].sort(), [200, 201]);
    assert.equal(new Set(results.map((r) => r.body.userId)).size, 1);
    assert.equal(results.filter((r) => r.body.isNewUser).length, 1);
  });

  it("links a second device to a user with that user's access token", async () => {
    const phone = (await device(newDeviceSecret())).body;
    const tablet = await device(newDeviceSecret(), phone.accessToken, 'iPad16,3');
    assert.equal(tablet.status, 201);
    assert.equal(tablet.body.userId, phone.userId);
    assert.notEqual(tablet.body.deviceId, phone.deviceId);
    assert.equal(tablet.body.isNewUser, false);
    assert.deepEqual(await tokens.verify(tablet.body.accessToken), { userId: phone.userId, deviceId: tablet.body.deviceId, generation: 0 });
    assert.equal(await count('SELECT count(*) AS n FROM devices WHERE user_id = ?', [phone.userId]), 2);
  });

  it('refuses to link without a token: a userId in the body is a 400 that says how linking works; a new secret alone is a new user', async () => {
    const phone = (await device(newDeviceSecret())).body;
    const users = await count('SELECT count(*) AS n FROM users');
    const named = await post('/api/auth/device', { deviceSecret: newDeviceSecret(), userId: phone.userId });
    assert.equal(named.status, 400);
    assert.deepEqual(
      named.body.details.map((d: { field: string }) => d.field),
      ['userId'],
    );
    assert.match(named.body.details[0].message, /access token as Authorization: Bearer/);
    assert.equal(await count('SELECT count(*) AS n FROM users'), users, 'nothing was created');
    const alone = await device(newDeviceSecret());
    assert.notEqual(alone.body.userId, phone.userId);
  });

  it('refuses to link with an invalid or expired token (401 + WWW-Authenticate) and creates nothing', async () => {
    const devices = await count('SELECT count(*) AS n FROM devices');
    const forged = await device(newDeviceSecret(), 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
    assert.equal(forged.status, 401);
    assert.equal(forged.challenge, 'Bearer realm="deepstream", error="invalid_token"');
    const phone = (await device(newDeviceSecret())).body;
    clock += 901_000;
    const expired = await device(newDeviceSecret(), phone.accessToken);
    assert.equal(expired.status, 401);
    assert.match(expired.body.message, /expired.*\/api\/auth\/refresh/);
    assert.equal(await count('SELECT count(*) AS n FROM devices'), devices + 1);
  });

  it('answers 409 when a secret is already bound to another user, without saying whose', async () => {
    const aliceSecret = newDeviceSecret();
    const alice = (await device(aliceSecret)).body;
    const bob = (await device(newDeviceSecret())).body;
    const res = await device(aliceSecret, bob.accessToken);
    assert.equal(res.status, 409);
    assert.equal(res.body.error, 'CONFLICT');
    assert.ok(!JSON.stringify(res.body).includes(alice.userId) && !JSON.stringify(res.body).includes(alice.deviceId));
    assert.equal((await device(aliceSecret)).body.userId, alice.userId, 'the secret still signs in its own user');
    assert.equal(await count('SELECT count(*) AS n FROM devices WHERE user_id = ?', [bob.userId]), 1, 'bob gained no device');
  });

  it('refuses secrets that break the rule with 400 and field details, creating nothing', async () => {
    const users = await count('SELECT count(*) AS n FROM users');
    for (const [body, field] of [
      [{ deviceSecret: 'a'.repeat(42) }, 'deviceSecret'],
      [{ deviceSecret: `dev-${randomUUID()}` }, 'deviceSecret'],
      [{ deviceSecret: `${'a'.repeat(43)}+/=` }, 'deviceSecret'],
      [{ deviceSecret: 'a'.repeat(129) }, 'deviceSecret'],
      [{}, 'deviceSecret'],
      [{ deviceSecret: newDeviceSecret(), deviceModel: 'x'.repeat(65) }, 'deviceModel'],
      [{ deviceSecret: newDeviceSecret(), deviceId: 'dev-1' }, 'deviceId'],
    ] as const) {
      const res = await post('/api/auth/device', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(
        res.body.details.some((d: { field: string }) => d.field === field),
        JSON.stringify(res.body),
      );
    }
    assert.equal(await count('SELECT count(*) AS n FROM users'), users);
  });

  it('refresh rotates: a new access token and refresh token; the used one is refused 401, and its reuse revokes the device', async () => {
    const signedIn = (await device(newDeviceSecret())).body;
    clock += 60_000;
    const first = await post('/api/auth/refresh', { refreshToken: signedIn.refreshToken });
    assert.equal(first.status, 200);
    assert.deepEqual([first.body.userId, first.body.deviceId], [signedIn.userId, signedIn.deviceId]);
    assert.notEqual(first.body.refreshToken, signedIn.refreshToken);
    assert.notEqual(first.body.accessToken, signedIn.accessToken);
    assert.deepEqual(await tokens.verify(first.body.accessToken), { userId: signedIn.userId, deviceId: signedIn.deviceId, generation: 0 });
    const second = await post('/api/auth/refresh', { refreshToken: first.body.refreshToken });
    assert.equal(second.status, 200, 'the rotated-in token works once');

    const reused = await post('/api/auth/refresh', { refreshToken: signedIn.refreshToken });
    assert.equal(reused.status, 401);
    assert.equal(reused.challenge, 'Bearer realm="deepstream"');
    assert.match(reused.body.message, /already used.*revoked/);
    const afterTheft = await post('/api/auth/refresh', { refreshToken: second.body.refreshToken });
    assert.equal(afterTheft.status, 401, "a reuse revokes the device's live refresh tokens too");
  });

  it('of two concurrent refreshes with one token exactly one wins', async () => {
    const signedIn = (await device(newDeviceSecret())).body;
    const both = await Promise.all([
      post('/api/auth/refresh', { refreshToken: signedIn.refreshToken }),
      post('/api/auth/refresh', { refreshToken: signedIn.refreshToken }),
    ]);
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 401]);
  });

  it('refuses an expired, unknown or malformed refresh token', async () => {
    const signedIn = (await device(newDeviceSecret())).body;
    clock += 31 * DAY;
    const expired = await post('/api/auth/refresh', { refreshToken: signedIn.refreshToken });
    assert.equal(expired.status, 401);
    assert.match(expired.body.message, /expired.*POST \/api\/auth\/device/);
    assert.equal((await post('/api/auth/refresh', { refreshToken: newDeviceSecret() })).status, 401);
    const malformed = await post('/api/auth/refresh', { refreshToken: 'short' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.details[0].field, 'refreshToken');
  });
});
