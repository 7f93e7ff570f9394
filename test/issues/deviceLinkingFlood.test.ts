import assert from 'node:assert/strict';
import { useServer } from '../support/serverProcess.js';
import { bearer, newDeviceSecret, postJson, signIn } from '../support/auth.js';

const DEVICES = 10;
const LINKS_PER_MINUTE = 20;
const FLOOD = 300;

/**
 * Regression: one access token with fresh device secrets created 300 device rows in 1.3 s; the sign-up
 * limit counts new users only. Now a user has at most AUTH_DEVICES_PER_USER live devices (409 DEVICE_LIMIT)
 * and links at most AUTH_LINKS_PER_USER_PER_MINUTE devices a minute (429 RATE_LIMITED, Retry-After).
 */
describe('issue: one token linked hundreds of devices', function () {
  this.timeout(60_000);
  const running = useServer({ LOG_LEVEL: 'warn', AUTH_DEVICES_PER_USER: String(DEVICES), AUTH_LINKS_PER_USER_PER_MINUTE: String(LINKS_PER_MINUTE) });

  it(`${FLOOD} concurrent links with one token leave ${DEVICES} devices: the rest get DEVICE_LIMIT or RATE_LIMITED`, async () => {
    const { baseUrl } = running().server;
    const owner = await signIn(baseUrl);
    const answers = await Promise.all(
      Array.from({ length: FLOOD }, () => postJson(baseUrl, '/api/auth/device', { deviceSecret: newDeviceSecret() }, bearer(owner.accessToken))),
    );
    const by = (status: number) => answers.filter((a) => a.status === status);
    assert.equal(by(201).length, DEVICES - 1, `statuses: ${JSON.stringify(Object.fromEntries([201, 409, 429].map((s) => [s, by(s).length])))}`);
    assert.equal(by(409).length, LINKS_PER_MINUTE - (DEVICES - 1));
    assert.equal(by(429).length, FLOOD - LINKS_PER_MINUTE);
    assert.ok(by(409).every((a) => a.body.error === 'DEVICE_LIMIT'));
    assert.ok(by(429).every((a) => a.body.error === 'RATE_LIMITED' && Number(a.headers.get('retry-after')) >= 1));
    const [{ n }] = await running().db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM devices WHERE user_id = ?', [owner.userId]);
    assert.equal(n, DEVICES);
    assert.equal((await postJson(baseUrl, '/api/auth/device', { deviceSecret: owner.deviceSecret })).status, 200, 'the owner still signs in');
  });
});
