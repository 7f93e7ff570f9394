import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';

const VISITS = 1_500;

/**
 * With no Redis the live boards are rebuilt from the Postgres rollups at boot. A process stops its rollups
 * before its passport writer's final drain, and a crash leaves them up to a poll behind, so events committed
 * last were not in the rollups yet; the restore ran beside the rollups' first poll and read them without
 * those events, and the live store never saw them again ("Most explored" dropped after a restart).
 */
describe('issue: events the rollups had not processed went missing from the boards after a restart', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let server: ServerProcess | undefined;
  // Small batches: catching the backlog up takes many transactions, so a restore that does not wait for it reads a partial count.
  const start = async () => (server = await startServerProcess({ DATABASE_URL: db.url, REDIS_URL: undefined, LEADERBOARD_ROLLUP_BATCH_SIZE: '10' }));
  const visitsOf = async (artistId: string, window: string): Promise<number | undefined> => {
    const res = await fetch(`${server!.baseUrl}/api/leaderboards/artists.visits?window=${window}&limit=10`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { entries: Array<{ entityId: string; score: number }> };
    return body.entries.find((e) => e.entityId === artistId)?.score;
  };

  before(async () => {
    db = await createTestDatabase();
    await start(); // loads the catalog
    assert.equal(await server!.stop('SIGTERM'), 0);
    // What the last drain committed after the rollups stopped: visits the rollup cursor has not reached.
    await db.sql.query(
      `INSERT INTO passport_entries (event_id, event_type, event_category, occurred_at, received_at, entity_type, entity_id, payload, source)
       SELECT gen_random_uuid(), 'station.visited', 'station', now(), now(), 'artist', 'artist_wizkid',
              '{"artistId":"artist_wizkid","frequency":99.9,"method":"swipe"}'::jsonb, 'room' FROM generate_series(1, ${VISITS})`,
    );
  });
  after(async () => {
    await server?.stop('SIGTERM');
    await db?.drop();
  });

  it('the rebuilt boards count every committed event, and the rollups catching up later add nothing twice', async () => {
    await start();
    assert.equal(await visitsOf('artist_wizkid', 'all'), VISITS, 'all-time, right after boot');
    assert.equal(await visitsOf('artist_wizkid', 'day'), VISITS, 'today, right after boot');
    const [cursor] = await db.sql.query<{ behind: string }>(
      `SELECT count(*)::text AS behind FROM passport_entries p WHERE p.id > (SELECT last_id FROM processor_cursors WHERE name = 'coliseum_rollups')`,
    );
    assert.equal(cursor.behind, '0', 'the rollups are caught up');
    assert.equal(await visitsOf('artist_wizkid', 'all'), VISITS);
    assert.match(server!.output(), /"rollupRowsCaughtUp":1500/, 'the boot log says how many rows the rollups caught up');
  });
});
