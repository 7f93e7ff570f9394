import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { useTestDatabase } from '../../support/db.js';
import { jsonOf } from '../../support/http.js';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { passportRoutes } from '../../../src/http/passportRoutes.js';
import { gravityEventRoutes } from '../../../src/http/gravityRoutes.js';
import { requestAuth } from '../../../src/http/authGates.js';
import { buildRouter } from '../../support/httpRouter.js';
import { AccessTokens } from '../../../features/auth/tokens.js';
import type { Logger } from '../../../src/logger.js';
import { writerOptions, raisedIngestLimits } from '../../support/config.js';

const silent = pino({ level: 'silent' }) as unknown as Logger;
const SERVICE_TOKEN = 'ingest-auth-service-token';

/** Passport ingest is user-scoped: the token's user is bound to every event; the admin token is a service token. */
describe('passport ingest authentication (real Postgres)', function () {
  this.timeout(20_000);
  const database = useTestDatabase();
  let clock = Date.now();
  const tokens = new AccessTokens('ingest-auth-test-secret-0123456789abcdef', 900, () => clock);
  let writer: PassportWriter;
  let router: ReturnType<typeof buildRouter>;
  const me = { userId: randomUUID(), deviceId: randomUUID() };

  before(() => {
    writer = new PassportWriter(database().sql, writerOptions({ flushIntervalMs: 5 }), pino({ level: 'silent' }));
    const options = { limits: raisedIngestLimits(), ackTimeoutMs: 10_000, auth: requestAuth(tokens, SERVICE_TOKEN) };
    router = buildRouter([...passportRoutes(writer, { ...options, maxBatch: 1000 }), ...gravityEventRoutes(writer, options)], silent);
  });
  beforeEach(() => (clock = Date.now()));
  after(async () => writer?.stop());

  async function post(path: string, body: unknown, token?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const res = await router.handler(new Request(`http://localhost${path}`, { method: 'POST', headers, body: JSON.stringify(body) }));
    return { status: res.status, body: await jsonOf(res), challenge: res.headers.get('www-authenticate') };
  }
  const stored = async (trackId: string) => {
    await writer.drain(5000);
    return database().sql.query<{ user_id: string | null; device_id: string | null }>(
      "SELECT user_id::text AS user_id, device_id FROM passport_entries WHERE payload->>'trackId' = ?",
      [trackId],
    );
  };
  const like = (trackId: string, extra: Record<string, unknown> = {}) => ({ eventType: 'player.like', payload: { trackId }, ...extra });

  it('401 + WWW-Authenticate: Bearer without a token, with a garbled or expired one; nothing is queued', async () => {
    const missing = await post('/api/passport/log', like('t-401'));
    assert.deepEqual([missing.status, missing.body.error, missing.challenge], [401, 'UNAUTHORIZED', 'Bearer realm="deepstream"']);
    const garbled = await post('/api/passport/log', like('t-401'), 'garbled');
    assert.deepEqual([garbled.status, garbled.challenge], [401, 'Bearer realm="deepstream", error="invalid_token"']);
    const { accessToken } = await tokens.issue(me);
    clock += 901_000;
    const expired = await post('/event', { session_id: 's', track_id: randomUUID(), event_type: 'like' }, accessToken);
    assert.equal(expired.status, 401);
    assert.match(expired.body.message, /expired.*\/api\/auth\/refresh/);
    assert.equal((await post('/api/passport/batch', { events: [like('t-401')] })).status, 401);
    assert.equal((await stored('t-401')).length, 0);
  });

  it("a user's events get the token's userId and deviceId; naming their own ids is fine", async () => {
    const { accessToken } = await tokens.issue(me);
    assert.equal((await post('/api/passport/log', like('t-mine'), accessToken)).status, 202);
    assert.equal(
      (await post('/api/passport/batch', { events: [like('t-mine'), like('t-mine', { userId: me.userId.toUpperCase(), deviceId: me.deviceId })] }, accessToken))
        .status,
      202,
    );
    const rows = await stored('t-mine');
    assert.equal(rows.length, 3);
    assert.ok(
      rows.every((r) => r.user_id === me.userId && r.device_id === me.deviceId),
      JSON.stringify(rows),
    );
  });

  it('403 naming the field when an event names another user or device (all-or-nothing)', async () => {
    const { accessToken } = await tokens.issue(me);
    const other = await post('/api/passport/log', like('t-403', { userId: randomUUID() }), accessToken);
    assert.equal(other.status, 403);
    assert.deepEqual(other.body.details, [
      { field: 'userId', message: "names another user; events are logged for the access token's user only (omit the field)" },
    ]);
    const batch = await post('/api/passport/batch', { events: [like('t-403'), like('t-403', { deviceId: 'another-phone' })] }, accessToken);
    assert.deepEqual([batch.status, batch.body.details.map((d: { field: string }) => d.field)], [403, ['events.1.deviceId']]);
    assert.equal((await stored('t-403')).length, 0);
  });

  it('the admin token is a service token: events keep the users they name (or none)', async () => {
    const someone = randomUUID();
    assert.equal((await post('/api/passport/batch', { events: [like('t-service', { userId: someone }), like('t-service')] }, SERVICE_TOKEN)).status, 202);
    assert.deepEqual((await stored('t-service')).map((r) => r.user_id).sort(), [someone, null].sort());
  });
});
