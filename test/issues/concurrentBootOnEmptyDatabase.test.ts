import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';

/**
 * Two servers booting together on an empty database raced the migrations; the second died
 * with `duplicate key … pg_extension_name_index (pg_trgm)` (3 of 3 tries in docker-compose). Boot-time
 * schema and seed work now runs under a Postgres advisory lock (persistence/bootLock.ts).
 */
describe('issue: processes booting together on an empty database', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  const servers: ServerProcess[] = [];

  before(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  after(async () => {
    for (const s of servers) await s.stop('SIGTERM');
    await db?.drop();
  });

  it('three processes started at the same moment all come up ready, and the catalog is loaded once', async () => {
    const env = { DATABASE_URL: db.url, TRANSPORT: 'uws', REDIS_URL: undefined, LOG_LEVEL: 'info' };
    const started = await Promise.allSettled([0, 1, 2].map(() => startServerProcess(env)));
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    const failures = started.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason).slice(0, 2000));
    assert.deepEqual(failures, []);
    for (const s of servers) assert.equal((await fetch(`${s.baseUrl}/health/ready`)).status, 200);
    const [{ artists }] = await db.sql.query<{ artists: number }>('SELECT count(*)::int AS artists FROM artists');
    assert.equal(artists, 54);
    const loads = servers.map(
      (s) =>
        s
          .output()
          .split('\n')
          .filter((l) => l.includes('demo catalog loaded')).length,
    );
    assert.equal(
      loads.reduce((a, b) => a + b, 0),
      1,
      `demo catalog loaded by: ${loads}`,
    );
  });
});
