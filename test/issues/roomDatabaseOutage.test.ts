import assert from 'node:assert/strict';
import pg from 'pg';
import { Client, type Room } from '@colyseus/sdk';
import { startPrivatePostgres, type PrivatePostgres } from '../support/postgres.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { signIn } from '../support/auth.js';

/**
 * Regression: while Postgres was down a session join answered `join error 0: connect ECONNREFUSED
 * 127.0.0.1:55433` (the driver's text and the database's address) and a capture answered INTERNAL.
 * Both now answer DATABASE_UNAVAILABLE, retryable, with no internals: a join 503 at matchmaking when the
 * token's device cannot be checked, 4503 at the WebSocket join when only the session's own reads fail.
 * The outage is real: a private PostgreSQL cluster of this test's own is stopped.
 */
describe('issue: a database outage during join and capture leaked the driver error', function () {
  this.timeout(120_000);
  let cluster: PrivatePostgres;
  let server: ServerProcess;
  const ws = () => server.baseUrl.replace(/^http/, 'ws');

  before(async () => {
    cluster = await startPrivatePostgres();
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('CREATE DATABASE room_outage');
    await admin.end();
    server = await startServerProcess({
      DATABASE_URL: cluster.url.replace(/\/postgres$/, '/room_outage'),
      REDIS_URL: undefined,
      LOG_LEVEL: 'warn',
      PASSPORT_FLUSH_MS: '20',
    });
  });
  after(async () => {
    await cluster?.start();
    await server?.stop('SIGTERM');
    await cluster?.destroy();
  });

  it('a capture answers DATABASE_UNAVAILABLE and a new join is refused (503 at matchmaking, or 4503), neither naming the driver or the address', async () => {
    const joined = new Client(ws());
    joined.auth.token = (await signIn(server.baseUrl)).accessToken;
    const room: Room = await joined.joinOrCreate('session', {});
    const errors: Array<{ code: string; message: string; for: string }> = [];
    room.onMessage('error', (e) => errors.push(e));
    for (const type of ['welcome', 'locked', 'transition', 'captured', 'badge', 'clock', 'recommendations', 'suggestions', 'connection', 'tip'])
      room.onMessage(type, () => undefined);
    await new Promise((r) => setTimeout(r, 500));
    // Signed in while the database is up: one device known to this server (joined once, so its token's
    // device check is remembered and the join itself meets the outage), one it never saw join.
    const returning = await signIn(server.baseUrl);
    const stranger = await signIn(server.baseUrl);
    const first = new Client(ws());
    first.auth.token = returning.accessToken;
    const before = await first.joinOrCreate('session', {});
    for (const type of ['welcome', 'recommendations', 'suggestions']) before.onMessage(type, () => undefined);
    await before.leave();

    await cluster.stop();
    room.send('capture', { opId: 'op-outage-1', artistId: 'artist_burna_boy' });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !errors.some((e) => e.for === 'capture')) await new Promise((r) => setTimeout(r, 100));
    const capture = errors.find((e) => e.for === 'capture');
    assert.ok(capture, `a capture error arrives (${JSON.stringify(errors)})`);
    assert.equal(capture.code, 'DATABASE_UNAVAILABLE');
    assert.doesNotMatch(capture.message, /ECONN|127\.0\.0\.1|\d{4,5}/);

    for (const [device, code] of [
      [returning, 4503],
      [stranger, 503],
    ] as const) {
      const client = new Client(ws());
      client.auth.token = device.accessToken;
      const refusal = await client.joinOrCreate('session', {}).then(
        () => assert.fail('the join succeeded with the database down'),
        (err: { code?: number; message?: string }) => err,
      );
      assert.equal(refusal.code, code, JSON.stringify(refusal));
      assert.match(refusal.message ?? '', /^DATABASE_UNAVAILABLE: .*retry/);
      assert.doesNotMatch(refusal.message ?? '', /ECONN|127\.0\.0\.1|:\d{4,5}/);
    }
    await cluster.start();
    await room.leave().catch(() => undefined);
  });
});
