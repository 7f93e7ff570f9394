import assert from 'node:assert/strict';
import { useServer } from '../support/serverProcess.js';
import { bearer } from '../support/auth.js';
import { jsonOf } from '../support/http.js';
import { nextMessage } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

/**
 * Seed 000 step 17.4 counts captures from the stars (`COUNT(*) FROM constellations WHERE captured_at > …`).
 * The dashboard summed the sessions' capture counters instead, which only count captures made live in a
 * room: a user with 4 stars, one of them offline-synced, showed 3 captures, and the per-user figure and
 * the capture rate were wrong with it.
 */
describe('issue: an offline-synced star counts in the admin KPIs (seed 000 step 17.4)', function () {
  this.timeout(60_000);
  const ADMIN = 'admin-token-for-kpi-captures-0123456789';
  const running = useServer({ ADMIN_TOKEN: ADMIN, ADMIN_METRICS_CACHE_TTL_MS: '0', PASSPORT_FLUSH_MS: '10' });

  it('3 live captures + 1 offline capture in one session → 4 captures, 4 per user, 4.0 per session', async () => {
    const { baseUrl } = running().server;
    const { room, welcome } = await joinSession(baseUrl);
    for (const artistId of ['artist_wizkid', 'artist_burna_boy', 'artist_fela_kuti']) {
      const captured = nextMessage(room, 'captured');
      room.send('capture', { artistId });
      await captured;
    }
    const synced = nextMessage(room, 'offline_synced');
    room.send('sync_offline', {
      offlineDuration: 120,
      operations: [{ opId: 'kpi-off-1', type: 'capture_star', artistId: 'artist_sade', occurredAt: Date.now() - 60_000 }],
    });
    assert.equal((await synced).applied, 1);
    await leaveQuietly(room);

    const { sql } = running().db;
    const [stars] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM constellation_stars WHERE user_id = ?', [welcome.userId]);
    assert.equal(stars.n, 4);
    // The session's own counter still says 3: it counts what happened in the room, which is why it is not the source.
    const deadline = Date.now() + 5000;
    let counter = 0;
    while (Date.now() < deadline && counter !== 3) {
      [{ n: counter }] = await sql.query<{ n: number }>('SELECT total_captures AS n FROM sessions WHERE id = ?', [welcome.sessionId]);
      if (counter !== 3) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(counter, 3, 'the session counter has the live captures only');

    const res = await fetch(`${baseUrl}/api/admin/metrics?range=7d`, { headers: bearer(ADMIN) });
    assert.equal(res.status, 200);
    const m = await jsonOf(res);
    assert.equal(m.user_metrics.total_sessions, 1);
    assert.deepEqual(m.engagement_kpis.constellation_growth, { capture_rate: 4, avg_captures_per_user: 4, total_captures: 4 });
  });
});
