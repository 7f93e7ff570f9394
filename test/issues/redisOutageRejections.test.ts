import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { joinSession, leaveQuietly } from '../support/session.js';
import { bearer, signIn } from '../support/auth.js';

const PORT = 4391;
const redis = (...args: string[]) =>
  execFileSync('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '--port',
    String(PORT),
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    '/tmp',
    ...args,
  ]);
const stopRedis = () => {
  try {
    execFileSync('redis-cli', ['-p', String(PORT), 'shutdown', 'nosave']);
  } catch {
    // gone already
  }
};

/**
 * Regression: while Redis was down a process logged "unhandled promise rejection" (ioredis's
 * MaxRetriesPerRequestError from a call nobody awaited). A private Redis is stopped under a server that is
 * serving sessions, sign-ins and reads; every failure must be caught where it happens.
 */
describe('issue: a Redis outage logged an unhandled rejection', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let server: ServerProcess;

  before(async () => {
    redis();
    db = await createTestDatabase();
    server = await startServerProcess({ DATABASE_URL: db.url, REDIS_URL: `redis://127.0.0.1:${PORT}`, LOG_LEVEL: 'info' });
  });
  after(async () => {
    stopRedis();
    await server?.stop('SIGTERM', 15_000);
    await db?.drop();
  });

  it('keeps every Redis failure caught while Redis is down and after it returns', async () => {
    const who = await signIn(server.baseUrl);
    const { room } = await joinSession(server.baseUrl, {}, who);
    stopRedis();
    const until = Date.now() + 12_000;
    while (Date.now() < until) {
      room.send('tune', { frequency: 88 + Math.random() * 20 });
      await Promise.allSettled([
        signIn(server.baseUrl),
        fetch(`${server.baseUrl}/api/leaderboards/captures.artists?window=day`),
        fetch(`${server.baseUrl}/api/notifications`, { headers: bearer(who.accessToken) }),
        fetch(`${server.baseUrl}/matchmake/joinOrCreate/session`, {
          method: 'POST',
          headers: { ...bearer(who.accessToken), 'content-type': 'application/json' },
          body: '{}',
        }),
      ]);
      await new Promise((r) => setTimeout(r, 300));
    }
    redis();
    await new Promise((r) => setTimeout(r, 3000));
    await leaveQuietly(room);
    const lines = server
      .output()
      .split('\n')
      .filter((l) => /unhandled promise rejection|uncaught exception|Unhandled error event/i.test(l));
    assert.deepEqual(lines, [], 'every Redis failure is caught');
  });
});
