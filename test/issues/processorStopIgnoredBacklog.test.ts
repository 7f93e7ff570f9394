import assert from 'node:assert/strict';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { CursorProcessor, type CursorConsumer } from '../../features/passport/CursorProcessor.js';
import { allowingForLoad } from '../support/time.js';

/**
 * `CursorProcessor.catchUp()` ignored `stop()`, so shutdown waited for the whole backlog
 * (and timed out, exit 1) whenever the processors were behind, e.g. after a database outage.
 */
describe('issue: a processor catching up ignored stop()', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
    // 40 batches of backlog (batch size 10).
    await db.sql.query(
      `INSERT INTO passport_entries (event_id, event_type, event_category, occurred_at, received_at, entity_type, entity_id, payload, source)
       SELECT gen_random_uuid(), 'player.like', 'player', now(), now(), 'track', 't' || g, '{}'::jsonb, 'http' FROM generate_series(1, 400) g`,
    );
  });
  after(async () => db?.drop());

  it('stop() during a catch-up returns after the batch in progress, leaving the rest for later', async () => {
    let batches = 0;
    const slow: CursorConsumer = { name: 'slow-test', apply: async () => void (batches++, await new Promise((r) => setTimeout(r, 50))) };
    const processor = new CursorProcessor(db.sql, slow, pino({ level: 'silent' }), { batchSize: 10 });
    processor.start(10);
    while (batches < 3) await new Promise((r) => setTimeout(r, 10));
    const stopping = performance.now();
    await processor.stop();
    const tookMs = performance.now() - stopping;
    const seen = batches;
    // The backlog left would take 37+ batches × 50 ms; the batch in progress ends within 50 ms (plus a busy box's delay).
    assert.ok(tookMs < allowingForLoad(500), `stop took ${Math.round(tookMs)} ms`);
    assert.ok(seen < 10, `${seen} of 40 batches ran: the backlog was left for the next start`);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(batches, seen, 'nothing runs after stop()');
    const lag = await processor.lag();
    assert.ok(lag.behind > 0, 'the backlog is still there');
  });
});
