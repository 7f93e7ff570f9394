import assert from 'node:assert/strict';
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
const MAX_DEVICES = 3;
const LINKS_PER_MINUTE = 4;

/** The bounds on linking devices to one user: live devices per user (409 DEVICE_LIMIT) and links per minute (429), real Postgres. */
describe('device linking bounds (real Postgres)', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  let clock = Date.now();

  function routerWith(linksPerUserPerMinute: number) {
    const tokens = new AccessTokens('device-linking-test-secret-0123456789abcdef', 900, () => clock);
    const auth = new DeviceAuth(new DeviceRepository(database().orm), tokens, silent, { refreshTtlDays: 30, maxDevicesPerUser: MAX_DEVICES, now: () => clock });
    const limits = authLimits(new LocalBackplane('test:'), {
      signupsPerAddressPerHour: 1e6,
      signinsPerSecretPerMinute: 1e6,
      refreshesPerAddressPerMinute: 1e6,
      adminFailuresPerAddressPerMinute: 1e6,
      linksPerUserPerMinute,
    });
    const router = buildRouter(authRoutes(auth, limits), silent);
    return async (deviceSecret: string, token?: string) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
      const res = await router.handler(new Request('http://localhost/api/auth/device', { method: 'POST', headers, body: JSON.stringify({ deviceSecret }) }));
      return { status: res.status, body: await jsonOf(res), retryAfter: res.headers.get('retry-after') };
    };
  }
  const devicesOf = async (userId: string) =>
    Number((await database().sql.query<{ n: string }>('SELECT count(*) AS n FROM devices WHERE user_id = ?', [userId]))[0].n);
  beforeEach(() => (clock = Date.now()));

  it('concurrent links stop at the live-device bound: 409 DEVICE_LIMIT, no row beyond it; known devices still sign in', async () => {
    const device = routerWith(1e6);
    const firstSecret = newDeviceSecret();
    const first = (await device(firstSecret)).body;
    const answers = await Promise.all(Array.from({ length: 20 }, () => device(newDeviceSecret(), first.accessToken)));
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    assert.equal(created.length, MAX_DEVICES - 1, JSON.stringify(answers.map((a) => a.status)));
    assert.equal(refused.length, 20 - (MAX_DEVICES - 1));
    for (const r of refused) {
      assert.equal(r.body.error, 'DEVICE_LIMIT');
      assert.match(r.body.message, new RegExp(`already has ${MAX_DEVICES} devices`));
    }
    assert.equal(await devicesOf(first.userId), MAX_DEVICES);
    assert.ok(created.every((c) => c.body.userId === first.userId));
    assert.equal((await device(firstSecret)).status, 200, 'a known device is not a link');
  });

  it('a device unused for the refresh-token lifetime stops counting', async () => {
    const device = routerWith(1e6);
    const firstSecret = newDeviceSecret();
    const first = (await device(firstSecret)).body;
    for (let i = 1; i < MAX_DEVICES; i++) assert.equal((await device(newDeviceSecret(), first.accessToken)).status, 201);
    assert.equal((await device(newDeviceSecret(), first.accessToken)).body.error, 'DEVICE_LIMIT');
    clock += 31 * DAY;
    const again = (await device(firstSecret)).body; // the first device signs in again: it alone is live now
    assert.equal((await device(newDeviceSecret(), again.accessToken)).status, 201);
    assert.equal(await devicesOf(first.userId), MAX_DEVICES + 1);
  });

  it('links per user per minute: 429 RATE_LIMITED with Retry-After, counted per user (a DEVICE_LIMIT refusal costs a point)', async () => {
    const device = routerWith(LINKS_PER_MINUTE);
    const a = (await device(newDeviceSecret())).body;
    const b = (await device(newDeviceSecret())).body;
    for (let i = 0; i < MAX_DEVICES - 1; i++) assert.equal((await device(newDeviceSecret(), a.accessToken)).status, 201);
    assert.equal((await device(newDeviceSecret(), a.accessToken)).status, 409, 'the device bound refuses, costing a link point');
    assert.equal((await device(newDeviceSecret(), a.accessToken)).status, 409);
    const limited = await device(newDeviceSecret(), a.accessToken);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error, 'RATE_LIMITED');
    assert.match(limited.body.message, /new devices linked to this account \(at most 4 per 1 min\)/);
    assert.ok(Number(limited.retryAfter) >= 1 && Number(limited.retryAfter) <= 60);
    assert.equal((await device(newDeviceSecret(), b.accessToken)).status, 201, "another user's links are counted apart");
  });
});
