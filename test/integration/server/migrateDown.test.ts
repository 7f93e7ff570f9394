import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { migrateDown } from '../../../scripts/migrate-down.js';

/** docs/PRODUCTION.md "Migrations and rollback": the newest migration rolls back and forward cleanly. */
describe('schema rollback (scripts/migrate-down.ts)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  before(async () => (db = await createTestDatabase()));
  after(async () => db?.drop());

  const hasCustomBoards = async () =>
    (await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'custom_leaderboards'"))[0]!.n === 1;
  const hasApiStats = async () =>
    (await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'api_request_stats'"))[0]!.n === 1;
  const hasOutbox = async () =>
    (await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'passport_outbox'"))[0]!.n === 1;
  const hasFlightColumn = async () =>
    (
      await db.sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'passport_event_ids' AND column_name = 'flight_id'",
      )
    )[0]!.n === 1;

  it('reverts the migrations after the one kept, newest first, and refuses an unknown name', async () => {
    assert.equal(await hasFlightColumn(), true);
    assert.equal(await hasCustomBoards(), true);
    assert.equal(await hasApiStats(), true);
    assert.equal(await hasOutbox(), true);
    assert.deepEqual(await migrateDown(db.url, 'Migration016ConciertoVotes'), [
      'Migration038AssetReviewNotices',
      'Migration037VoterContacts',
      'Migration036Friends',
      'Migration035OpsUserList',
      'Migration034ShareLinks',
      'Migration033DnaSnapshots',
      'Migration032HeldVotes',
      'Migration031AssetWebhooks',
      'Migration030AssetReviews',
      'Migration028NotificationDelivery',
      'Migration027PaymentEvents',
      'Migration026Notifications',
      'Migration025InfluenceImports',
      'Migration024StarsCapturedAt',
      'Migration023DeviceRevocations',
      'Migration022CaptureOutbox',
      'Migration021SessionSnapshots',
      'Migration020ApiRequestStats',
      'Migration019ReportTypes',
      'Migration018CustomLeaderboards',
      'Migration017PassportFlights',
    ]);
    assert.equal(await hasApiStats(), false);
    assert.equal(await hasOutbox(), false);
    assert.equal(await hasFlightColumn(), false);
    assert.equal(await hasCustomBoards(), false);
    assert.deepEqual(await migrateDown(db.url, 'Migration016ConciertoVotes'), [], 'nothing left to revert');
    await assert.rejects(migrateDown(db.url, 'Migration999Nope'), /no migration named Migration999Nope/);
  });
});
