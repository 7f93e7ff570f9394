import assert from 'node:assert/strict';
import pg from 'pg';
import { useTestDatabase, type TestDatabase } from '../../support/db.js';
import { CatalogRepository, DEMO_REVISION } from '../../../persistence/catalog/CatalogRepository.js';
import { buildDemoCatalog } from '../../../persistence/catalog/buildCatalog.js';
import { createOrm } from '../../../persistence/orm.js';

/** Every catalog row as JSON, in id order: what two loads must agree on. */
async function catalogDump(db: TestDatabase): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of ['scenes', 'artists', 'influence_orbs']) {
    // Without `updated_at` and `created_at` (artists, migration 011): the time each load wrote its rows, the columns that must differ.
    dump[table] = (await db.sql.query<{ row: unknown }>(`SELECT to_jsonb(t) - 'updated_at' - 'created_at' AS row FROM ${table} t ORDER BY id`)).map(
      (r) => r.row,
    );
  }
  return dump;
}

const metaOf = async (db: TestDatabase) => db.sql.query<{ key: string; value: string }>(`SELECT key, value FROM catalog_meta ORDER BY key`);

/** The demo catalog goes in through the EntityManager (once per database) and must equal what the bulk SQL path writes. */
describe('CatalogRepository through the EntityManager: demo load, dial, version (real Postgres)', function () {
  this.timeout(60_000);
  const viaEntities = useTestDatabase();
  const viaSql = useTestDatabase();

  it('writes exactly the rows the bulk SQL insert writes for the same catalog, version 1 and the marker', async () => {
    const rows = buildDemoCatalog();
    const loaded = await new CatalogRepository(viaEntities().orm).ensureDemoCatalog();
    assert.deepEqual(loaded, { loaded: true, artists: rows.artists.length, orbs: rows.orbs.length });
    assert.deepEqual(await new CatalogRepository(viaSql().orm).upsertRows(rows), { artists: rows.artists.length, orbs: rows.orbs.length });
    const [em, sql] = [await catalogDump(viaEntities()), await catalogDump(viaSql())];
    assert.deepEqual([em.scenes.length, em.artists.length, em.influence_orbs.length], [rows.scenes.length, rows.artists.length, rows.orbs.length]);
    assert.deepEqual(em, sql);
    assert.deepEqual(await metaOf(viaEntities()), [
      { key: 'demo_catalog', value: DEMO_REVISION },
      { key: 'version', value: '1' },
    ]);
  });

  it('a later boot finds the marker and changes nothing (not even the version)', async () => {
    const before = await catalogDump(viaEntities());
    assert.deepEqual(await new CatalogRepository(viaEntities().orm).ensureDemoCatalog(), { loaded: false, artists: 0, orbs: 0 });
    assert.deepEqual(await catalogDump(viaEntities()), before);
    assert.deepEqual(await metaOf(viaEntities()), [
      { key: 'demo_catalog', value: DEMO_REVISION },
      { key: 'version', value: '1' },
    ]);
  });

  it('lists the dial in ascending frequency, exactly as the SQL listing it replaced', async () => {
    const listed = await new CatalogRepository(viaEntities().orm).listStations();
    const bySql = await viaEntities().sql.query(
      `SELECT station_frequency::float8 AS frequency, id AS "artistId" FROM artists WHERE station_frequency IS NOT NULL ORDER BY station_frequency`,
    );
    assert.equal(listed.length, buildDemoCatalog().artists.length);
    assert.deepEqual(listed, bySql);
    assert.deepEqual(
      listed.find((s) => s.frequency === 99.9),
      { frequency: 99.9, artistId: 'artist_wizkid' },
    );
  });

  it('later catalog writes keep bumping the version the demo load started', async () => {
    const catalog = new CatalogRepository(viaEntities().orm);
    const version = async (db: TestDatabase) => (await metaOf(db)).find((m) => m.key === 'version')?.value;
    assert.equal(await version(viaEntities()), '1');
    await catalog.upsertRows({ scenes: [], artists: [], orbs: [] });
    assert.equal(await version(viaEntities()), '2');
    assert.equal(await version(viaSql()), '1');
  });

  describe('two processes booting on one fresh database at once', () => {
    const fresh = useTestDatabase();

    it('load the catalog once: one loads, the other finds it loaded', async () => {
      const second = await createOrm({ url: fresh().url, poolMax: 2 });
      try {
        const results = await Promise.all([new CatalogRepository(fresh().orm).ensureDemoCatalog(), new CatalogRepository(second).ensureDemoCatalog()]);
        assert.deepEqual(results.map((r) => r.loaded).sort(), [false, true]);
        assert.deepEqual((await catalogDump(fresh())).artists.length, buildDemoCatalog().artists.length);
        assert.deepEqual(await metaOf(fresh()), [
          { key: 'demo_catalog', value: DEMO_REVISION },
          { key: 'version', value: '1' },
        ]);
      } finally {
        await second.close(true);
      }
    });
  });

  describe('a boot while another process is loading', () => {
    const loading = useTestDatabase();

    it('waits for the other load to commit, then loads nothing', async () => {
      const other = new pg.Client({ connectionString: loading().url });
      await other.connect();
      try {
        // The other process has claimed the marker and not committed yet.
        await other.query('BEGIN');
        await other.query(`INSERT INTO catalog_meta (key, value) VALUES ('demo_catalog', '1')`);
        let settled = false;
        const pending = new CatalogRepository(loading().orm).ensureDemoCatalog().finally(() => (settled = true));
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(settled, false, 'it waits on the marker row');
        await other.query('COMMIT');
        assert.deepEqual(await pending, { loaded: false, artists: 0, orbs: 0 });
        assert.deepEqual((await catalogDump(loading())).artists, [], 'its own rows rolled back with the refused marker');
      } finally {
        await other.end();
      }
    });
  });
});
