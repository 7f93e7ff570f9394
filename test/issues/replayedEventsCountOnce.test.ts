import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { bearer, postJson, signIn } from '../support/auth.js';

/**
 * Regression: the same event (same eventId) posted 5 times gave 5 × 202, one stored row, and 5 on the live
 * board (fed when the writer accepted a batch, before dedup and commit); after a restart the board, rebuilt
 * from the rollups, said 1. The boards are now fed by what the writer newly committed.
 */
describe('issue: replays count again on the live boards but not in Postgres', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let server: ServerProcess;
  const board = async (name: string) =>
    (await (await fetch(`${server.baseUrl}/api/leaderboards/${name}?window=day`)).json()) as { entries: Array<{ entityId: string; score: number }> };

  before(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({ DATABASE_URL: db.url, REDIS_URL: undefined, LOG_LEVEL: 'warn', PASSPORT_FLUSH_MS: '20', COLISEUM_THROTTLE_MS: '100' });
  });
  after(async () => {
    await server?.stop('SIGTERM');
    await db?.drop();
  });

  it('five posts of one event: five 202s, one row, and 1 on the board', async () => {
    const { accessToken } = await signIn(server.baseUrl);
    const track = `t_${randomUUID().slice(0, 8)}`;
    const event = { eventId: randomUUID(), eventType: 'player.track_played', payload: { trackId: track, artistId: 'artist_fela_004' } };
    for (let i = 0; i < 5; i++) assert.equal((await postJson(server.baseUrl, '/api/passport/log', event, bearer(accessToken))).status, 202);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !(await board('tracks.plays')).entries.some((e) => e.entityId === track)) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300)); // later flushes would show any replay that got through
    assert.deepEqual(
      (await board('tracks.plays')).entries.filter((e) => e.entityId === track).map((e) => e.score),
      [1],
    );
    const [{ n }] = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM passport_entries WHERE payload->>'trackId' = ?", [track]);
    assert.equal(n, 1);
  });
});
