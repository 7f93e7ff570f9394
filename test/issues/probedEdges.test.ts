import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from '@colyseus/sdk';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { bearer, postJson, signIn, TEST_AUTH_SECRET } from '../support/auth.js';
import { AccessTokens } from '../../features/auth/tokens.js';

const ADMIN = 'probed-edges-admin-token-0123456789abcdef';

/**
 * Regressions from a hostile prober's one-liners: a validly signed token for a device that does not
 * exist was accepted by HTTP ingest (rows with no user behind them); the monitor answered 500 for an
 * unknown room id and the static route 500 (ENAMETOOLONG) for an over-long asset name.
 */
describe('issue: edges a prober found (forged-but-signed identity, monitor and static 500s)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let server: ServerProcess;

  before(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({ DATABASE_URL: db.url, REDIS_URL: undefined, LOG_LEVEL: 'warn', ADMIN_TOKEN: ADMIN, PASSPORT_FLUSH_MS: '20' });
  });
  after(async () => {
    await server?.stop('SIGTERM');
    await db?.drop();
  });

  it('a signed token for a device that never signed in is 401 on ingest and on join (at matchmaking), and stores nothing', async () => {
    const { accessToken } = await new AccessTokens(TEST_AUTH_SECRET, 900).issue({ userId: randomUUID(), deviceId: randomUUID() });
    const trackId = `t_ghost_${randomUUID().slice(0, 8)}`;
    const res = await postJson(server.baseUrl, '/api/passport/batch', { events: [{ eventType: 'player.like', payload: { trackId } }] }, bearer(accessToken));
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'UNAUTHORIZED');
    assert.match(res.body.message, /does not know/);
    const client = new Client(server.baseUrl.replace(/^http/, 'ws'));
    client.auth.token = accessToken;
    await assert.rejects(client.joinOrCreate('session', {}), (err: { code?: number }) => err.code === 401);
    const [{ n }] = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM passport_entries WHERE payload->>'trackId' = ?", [trackId]);
    assert.equal(n, 0);
  });

  it("a real device's token still works, also for another of its user's requests", async () => {
    const device = await signIn(server.baseUrl);
    const res = await postJson(
      server.baseUrl,
      '/api/passport/batch',
      { events: [{ eventType: 'player.like', payload: { trackId: 't1' } }] },
      bearer(device.accessToken),
    );
    assert.equal(res.status, 202);
  });

  it('the monitor answers 404 with a code for a room id it does not know', async () => {
    const res = await fetch(`${server.baseUrl}/monitor/api/room?roomId=nosuch`, { headers: bearer(ADMIN) });
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { error: string }).error, 'NOT_FOUND');
  });

  it('an asset name too long for the file system is 404, not 500', async () => {
    const res = await fetch(`${server.baseUrl}/assets/${'a'.repeat(300)}.js`);
    assert.equal(res.status, 404);
  });
});
