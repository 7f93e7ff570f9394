import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { bearer, postJson, signIn } from '../support/auth.js';

/**
 * Regression: HTTP ingest had no authentication, so one request with 1,000
 * `concierto.vote_cast` events, each naming some user, put a band at 1,000 on the votes leaderboard.
 * Ingest now needs an access token and binds every event to its user.
 */
describe('issue: 1,000 forged votes in one request', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let server: ServerProcess;

  const votes = (concert: string, voter: () => string | undefined) =>
    Array.from({ length: 1000 }, () => ({
      eventType: 'concierto.vote_cast',
      ...(voter() ? { userId: voter() } : {}),
      payload: { eventId: concert, voteFor: 'band_forged', channel: 'web' },
    }));
  const leaderboard = async (concert: string) =>
    (await (await fetch(`${server.baseUrl}/api/leaderboards/votes.${concert}?window=day`)).json()) as { entries: Array<{ entityId: string; score: number }> };
  const stored = async (concert: string) =>
    db.sql.query<{ user_id: string | null }>(
      "SELECT user_id::text AS user_id FROM passport_entries WHERE event_type = 'concierto.vote_cast' AND payload->>'eventId' = ?",
      [concert],
    );

  /** The attacker's own credentials (one device of their own). */
  async function attackerToken(): Promise<{ token: string; userId: string }> {
    const device = await signIn(server.baseUrl);
    return { token: device.accessToken, userId: device.userId };
  }

  before(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({ DATABASE_URL: db.url, REDIS_URL: undefined, LOG_LEVEL: 'warn', PASSPORT_FLUSH_MS: '20', COLISEUM_THROTTLE_MS: '100' });
  });
  after(async () => {
    await server?.stop('SIGTERM');
    await db?.drop();
  });

  it('1,000 votes in the names of other users are refused: 401 without a token, 403 with one; the votes leaderboard stays empty', async () => {
    const concert = `evt_forged_${randomUUID().slice(0, 8)}`;
    const anonymous = await postJson(server.baseUrl, '/api/passport/batch', { events: votes(concert, () => randomUUID()) });
    assert.equal(anonymous.status, 401);
    const unnamed = await postJson(server.baseUrl, '/api/passport/batch', { events: votes(concert, () => undefined) });
    assert.equal(unnamed.status, 401, 'votes naming nobody need a token too');

    const { token } = await attackerToken();
    const forged = await postJson(server.baseUrl, '/api/passport/batch', { events: votes(concert, () => randomUUID()) }, bearer(token));
    assert.equal(forged.status, 403);
    assert.equal(forged.body.error, 'FORBIDDEN');
    assert.equal(forged.body.details[0].field, 'events.0.userId');

    await new Promise((r) => setTimeout(r, 500)); // writer flushes and the leaderboard feeder run well within this
    assert.deepEqual((await leaderboard(concert)).entries, []);
    assert.equal((await stored(concert)).length, 0);
  });

  it('client-sent votes are refused whole even with a token: votes are cast only through the concierto route', async () => {
    const concert = `evt_own_${randomUUID().slice(0, 8)}`;
    const { token } = await attackerToken();
    const own = await postJson(server.baseUrl, '/api/passport/batch', { events: votes(concert, () => undefined).slice(0, 10) }, bearer(token));
    assert.equal(own.status, 400);
    assert.equal(own.body.error, 'VALIDATION_FAILED');
    assert.equal(own.body.details[0].field, 'events.0.eventType');
    assert.equal((await stored(concert)).length, 0);
  });

  it("events sent with a token and no userId are stored as the token's user", async () => {
    const track = `t_own_${randomUUID().slice(0, 8)}`;
    const { token, userId } = await attackerToken();
    const likes = Array.from({ length: 10 }, () => ({ eventType: 'player.like', payload: { trackId: track } }));
    const own = await postJson(server.baseUrl, '/api/passport/batch', { events: likes }, bearer(token));
    assert.equal(own.status, 202);
    const likedBy = async () =>
      db.sql.query<{ user_id: string | null }>(
        "SELECT user_id::text AS user_id FROM passport_entries WHERE event_type = 'player.like' AND payload->>'trackId' = ?",
        [track],
      );
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await likedBy()).length < 10) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual([...new Set((await likedBy()).map((r) => r.user_id))], [userId]);
  });
});
