import assert from 'node:assert/strict';
import { useServer } from '../../support/serverProcess.js';
import { nextMessage, waitForState } from '../../support/rooms.js';
import { joinSession, leaveQuietly } from '../../support/session.js';
import { parsePrometheusText, valueOf } from '../../../loadtest/promText.js';

const ADMIN_TOKEN = 'counter-saves-admin-token-0123456789';

/**
 * Counter saves wait in one batch per process (SESSION_COUNTERS_BATCH_MS). A shutdown must write them all:
 * with the longest interval (10 s) and SIGTERM sooner than that after the first save, only the shutdown's drain
 * can have written these rows, and the
 * server's stop must not wait the interval out either (the endings it awaits are written at once).
 */
describe('session counter saves: shutdown drains the batch', function () {
  this.timeout(60_000);
  // The test stops the server itself; useServer's own SIGTERM afterwards finds it gone and reads its exit code.
  const running = useServer({ SESSION_COUNTERS_BATCH_MS: '10000', SESSION_COUNTERS_SAVE_MS: '0', RECONNECT_WINDOW_SEC: '30', LOG_LEVEL: 'info', ADMIN_TOKEN });

  it('sessions ended by their clients have their counters and ended_at; sessions still connected at SIGTERM are handed over with their counters, still open', async () => {
    const { server, db } = running();
    const joined = await Promise.all(Array.from({ length: 4 }, () => joinSession(server.baseUrl)));
    const firstSave = Date.now();
    for (const [i, { room }] of joined.entries()) {
      for (let t = 0; t <= i; t++) {
        const locked = nextMessage(room, 'locked', 5000, `session ${i} tune ${t}`);
        room.send('tune', { frequency: t % 2 ? 99.9 : 105.5 });
        await locked;
      }
      await waitForState(room, (s) => s.interactions === i + 1, 2000, `session ${i} interactions`);
    }
    // Two leave now (their ending saves wait in the batch); two are still in their rooms at SIGTERM.
    await leaveQuietly(joined[0].room);
    await leaveQuietly(joined[1].room);
    // /metrics shows the four sessions' latest saves (an ending one replaced each leaver's open one) waiting, none written yet.
    const scraped = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const samples = parsePrometheusText(await scraped.text());
    assert.equal(valueOf(samples, 'ds_statement_batch_waiting', { batch: 'session_counters' }), 4);
    assert.equal(valueOf(samples, 'ds_statement_batch_flushes_total', { batch: 'session_counters', outcome: 'ok' }), 0);
    assert.equal(valueOf(samples, 'ds_statement_batch_items_total', { batch: 'session_counters', outcome: 'refused' }), 0);
    const t0 = Date.now();
    assert.ok(t0 - firstSave < 8000, `the batch's interval may have passed before SIGTERM (${t0 - firstSave} ms): this run proves nothing`);
    assert.equal(await server.stop('SIGTERM'), 0, server.output());
    assert.ok(Date.now() - t0 < 20_000, `the stop took ${Date.now() - t0} ms`);
    for (const [i, { welcome }] of joined.entries()) {
      const [row] = await db.sql.query<{ interactions: number; ended: string | null }>(
        'SELECT total_interactions AS interactions, ended_at::text AS ended FROM sessions WHERE id = ?',
        [welcome.sessionId],
      );
      assert.equal(row.interactions, i + 1, `session ${i}'s counters`);
      // The two that left ended; the two still connected moved on (another process resumes them): not ended.
      if (i < 2) assert.notEqual(row.ended, null, `session ${i} is closed`);
      else assert.equal(row.ended, null, `session ${i} was handed over, not ended`);
    }
  });
});
