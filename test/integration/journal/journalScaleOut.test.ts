import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { freePort, redisUrl } from '../../support/postgres.js';
import { startServerProcess, type ServerProcess } from '../../support/serverProcess.js';
import { bearer, signIn } from '../../support/auth.js';
import { nextMessage } from '../../support/rooms.js';
import { joinSession, leaveQuietly } from '../../support/session.js';
import { deleteKeysWithPrefix } from '../../support/redis.js';

/**
 * The journal cache across processes: both processes cache a user's journal; a capture (on whichever
 * process hosts the session) drops it on both through Redis pub/sub, long before the 300 s TTL.
 * Isolation as in scaleOut.test.ts: a random logical Redis database and a unique REDIS_PREFIX.
 */
describe('journal cache across two processes over Redis', function () {
  this.timeout(90_000);
  const url = `${redisUrl().replace(/\/\d*$/, '')}/${randomInt(1, 16)}`;
  const prefix = `test:journal:${randomUUID().slice(0, 8)}:`;
  let pg: TestDatabase;
  const servers: ServerProcess[] = [];

  async function start(): Promise<ServerProcess> {
    const port = await freePort();
    const server = await startServerProcess({
      PORT: String(port),
      PUBLIC_ADDRESS: `127.0.0.1:${port}`,
      REDIS_URL: url,
      REDIS_PREFIX: prefix,
      DATABASE_URL: pg.url,
    });
    servers.push(server);
    return server;
  }

  before(async () => {
    pg = await createTestDatabase();
  });

  after(async () => {
    for (const s of servers.splice(0).reverse()) assert.equal(await s.stop('SIGTERM'), 0, s.output());
    const redis = new Redis(url, { maxRetriesPerRequest: 1 });
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await pg?.drop();
  });

  it('a capture drops the cached journal on both processes', async () => {
    const a = await start(); // first: runs the migrations alone
    const b = await start();
    const user = await signIn(a.baseUrl);
    const starsOn = async (server: ServerProcess): Promise<number> => {
      const res = await fetch(`${server.baseUrl}/api/constellations/me`, { headers: bearer(user.accessToken) });
      assert.equal(res.status, 200);
      return ((await res.json()) as { stars: unknown[] }).stars.length;
    };
    assert.deepEqual([await starsOn(a), await starsOn(b)], [0, 0], 'both processes now cache an empty journal');
    const { room } = await joinSession(a.baseUrl, {}, user);
    const captured = nextMessage(room, 'captured');
    room.send('capture', { artistId: 'artist_fela_kuti' });
    await captured;
    await leaveQuietly(room);
    const deadline = Date.now() + 3000;
    let seen = [await starsOn(a), await starsOn(b)];
    while (seen.some((n) => n !== 1) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      seen = [await starsOn(a), await starsOn(b)];
    }
    assert.deepEqual(seen, [1, 1], 'each process rebuilt the journal after the capture');
  });
});
