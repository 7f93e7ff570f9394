import assert from 'node:assert/strict';
import { useTestDatabase } from '../support/db.js';
import { insertUser } from '../support/auth.js';
import { clientFor, nextMessage } from '../support/rooms.js';
import { startInProcessSessionServer, type InProcessSessionServer } from '../support/inProcessSessionServer.js';
import type { NewRecommendation, RecommendationsPort } from '../../rooms/session/ports.js';

/** A tiny real engine for the optional port: recommendations kept with their time, newest first. */
class ListRecommendations implements RecommendationsPort {
  readonly made: Array<{ userId: string; atMs: number; rec: NewRecommendation }> = [];
  async newSince(userId: string, sinceMs: number): Promise<NewRecommendation[]> {
    return this.made
      .filter((m) => m.userId === userId && m.atMs > sinceMs)
      .sort((a, b) => b.atMs - a.atMs)
      .map((m) => m.rec);
  }
}

/**
 * The session room with the optional `recommendations` port wired (in process, ws transport on a
 * free port): the resume welcome counts the new ones (seed 14.4) and the offline reply lists them (15.4).
 */
describe('session room with a recommendations port (seed 000 steps 14.4, 15.4)', function () {
  this.timeout(30_000);
  // Registered before the database's own hooks: `after` hooks run in order, so the rooms and the writer stop before the drop.
  after(async () => server?.stop());
  const database = useTestDatabase();
  const engine = new ListRecommendations();
  let server: InProcessSessionServer | undefined;

  before(async () => {
    server = await startInProcessSessionServer(database(), { recommendations: engine });
  });

  it('counts the recommendations made while away in the welcome and lists those made while offline', async () => {
    const { sql } = database();
    const { baseUrl, tokens } = server!;
    const user = await insertUser(sql);
    const { accessToken: token } = await tokens.issue({ userId: user.userId, deviceId: user.deviceId });
    const join = async () => {
      const room = await clientFor(baseUrl, token).create('session', {});
      return { room, welcome: await nextMessage(room, 'welcome') };
    };
    const first = await join();
    assert.equal(first.welcome.updates, null);
    await first.room.leave(true);
    await new Promise((r) => setTimeout(r, 100)); // the session's last_active is saved on leave
    for (const artistId of ['artist_tony_allen', 'artist_james_brown'])
      engine.made.push({ userId: user.userId, atMs: Date.now(), rec: { artistId, reason: 'test' } });
    const second = await join();
    assert.equal(second.welcome.resumed, true);
    assert.deepEqual(second.welcome.updates, { newRecommendations: 2, newArtists: 0, socialUpdates: 0 });
    assert.equal(second.welcome.suggestedAction, 'check_recommendations');

    // Made more than 0.4 s ago: outside the offline window below. Made 50 ms ago: inside it.
    await new Promise((r) => setTimeout(r, 700));
    engine.made.push({ userId: user.userId, atMs: Date.now() - 50, rec: { artistId: 'artist_sade', reason: 'while offline' } });
    const synced = nextMessage(second.room, 'offline_synced');
    second.room.send('sync_offline', {
      offlineDuration: 0.4,
      operations: [{ opId: 'rec-1', type: 'capture_star', artistId: 'artist_sade', occurredAt: Date.now() - 100 }],
    });
    const reply = await synced;
    assert.deepEqual(reply.newData.recommendations, [{ artistId: 'artist_sade', reason: 'while offline' }]);
    await second.room.leave(true);
  });
});
