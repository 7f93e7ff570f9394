import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { migrateDown } from '../../../scripts/migrate-down.js';
import { createOrm, migrate } from '../../../persistence/orm.js';

const tableExists = async (db: TestDatabase, table: string) =>
  (await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = ?', [table]))[0]!.n === 1;
const indexExists = async (db: TestDatabase, index: string) =>
  (await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = ?', [index]))[0]!.n === 1;

/** docs/PRODUCTION.md "Migrations and rollback": the migrations after the baseline roll back and forward cleanly. */
describe('schema rollback (scripts/migrate-down.ts)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  before(async () => (db = await createTestDatabase()));
  after(async () => db?.drop());

  it('reverts the migrations after the one kept, newest first, and refuses an unknown name', async () => {
    assert.equal(await tableExists(db, 'voter_contacts'), true);
    assert.equal(await indexExists(db, 'constellation_stars_artist'), false, 'the duplicate artist index is dropped');
    assert.deepEqual(await migrateDown(db.url, 'Migration036Baseline'), [
      'Migration039OneArtistIndex',
      'Migration038AssetReviewNotices',
      'Migration037VoterContacts',
    ]);
    assert.equal(await tableExists(db, 'voter_contacts'), false);
    assert.equal(await indexExists(db, 'constellation_stars_artist'), true, 'rollback restores the baseline index');
    assert.equal(await tableExists(db, 'passport_outbox'), true, 'the baseline stays');
    assert.deepEqual(await migrateDown(db.url, 'Migration036Baseline'), [], 'nothing left to revert');
    await assert.rejects(migrateDown(db.url, 'Migration999Nope'), /no migration named Migration999Nope/);
  });
});

/** The baseline replaces Migration001–036: what it does on databases an earlier release migrated. */
describe('schema baseline on a database migrated before it', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  beforeEach(async () => (db = await createTestDatabase()));
  afterEach(async () => db?.drop());

  const migrateAgain = async () => {
    const orm = await createOrm({ url: db.url });
    try {
      return await migrate(orm);
    } finally {
      await orm.close();
    }
  };
  const recordOnly = async (names: string[]) => {
    await db.sql.query('DELETE FROM mikro_orm_migrations');
    for (const name of names) await db.sql.query('INSERT INTO mikro_orm_migrations (name) VALUES (?)', [name]);
  };
  const later = ['Migration037VoterContacts', 'Migration038AssetReviewNotices', 'Migration039OneArtistIndex'];

  it('records itself without touching a schema the squashed migrations built', async () => {
    await recordOnly(['Migration001Foundation', 'Migration035OpsUserList', 'Migration036Friends', ...later]);
    assert.deepEqual(await migrateAgain(), ['Migration036Baseline'], 'only the baseline is new, and it creates nothing twice');
    assert.deepEqual(await migrateAgain(), []);
  });

  it('refuses a database that stopped before the last squashed migration, naming where it stopped', async () => {
    await db.sql.query('DROP TABLE friends');
    await recordOnly(['Migration001Foundation', 'Migration020ApiRequestStats']);
    await assert.rejects(migrateAgain(), /stopped at Migration020ApiRequestStats: upgrade it through Migration036Friends/);
    assert.equal(await tableExists(db, 'friends'), false, 'nothing applied');
  });
});
