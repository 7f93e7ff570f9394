import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { sqlSink } from '../../persistence/passport/sinks.js';
import { ReportRepository } from '../../persistence/reports/ReportRepository.js';
import type { PassportEvent } from '../../systems/passport/events.js';

const event = (eventType: string, payload: Record<string, unknown>, at = Date.now()): PassportEvent =>
  ({
    eventId: randomUUID(),
    eventType,
    eventCategory: eventType.split('.')[0],
    userId: null,
    sessionId: null,
    deviceId: null,
    occurredAt: at,
    receivedAt: at,
    entityType: null,
    entityId: null,
    payload,
    source: 'http',
  }) as PassportEvent;

/**
 * Regressions: `UPDATE passport_entries …` as the application's role succeeded (the log was append-only by
 * convention only); and an event report counted a purchase twice (1,749 = 1,250 purchase_completed + 499
 * money_spent) though money_spent is the passport's record of the same money.
 */
describe('issue: the passport is append-only, and revenue is counted once', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  before(async () => (db = await createTestDatabase()));
  after(async () => db?.drop());

  it('refuses UPDATE and DELETE of stored events with a hint, and still takes new ones', async () => {
    const sink = sqlSink(db.sql);
    assert.equal((await sink.insert([event('player.like', { trackId: 't1' })])).length, 1);
    await assert.rejects(db.sql.query(`UPDATE passport_entries SET payload = '{"trackId":"forged"}'`), /append-only: UPDATE refused/);
    await assert.rejects(db.sql.query('DELETE FROM passport_entries'), /append-only: DELETE refused/);
    assert.equal((await sink.insert([event('player.like', { trackId: 't2' })])).length, 1);
    const [{ n }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM passport_entries');
    assert.equal(n, 2);
  });

  it("an event's report counts a paid purchase once, not again as money spent", async () => {
    const concert = `evt_${randomUUID().slice(0, 8)}`;
    const at = Date.now() - 60_000;
    await sqlSink(db.sql).insert([
      event('treasury.purchase_completed', { amountCents: 1250, currency: 'usd', eventId: concert, reason: 'ticket' }, at),
      event('treasury.money_spent', { amountCents: 499, currency: 'usd', eventId: concert, reason: 'tip' }, at),
    ]);
    const metrics = await new ReportRepository(db.sql).metrics({ type: 'event', id: concert }, new Date(at - 3_600_000), new Date(at + 3_600_000));
    assert.deepEqual(metrics.revenue, [{ currency: 'USD', cents: 1250 }]);
    assert.equal(metrics.purchases, 1);
  });
});
