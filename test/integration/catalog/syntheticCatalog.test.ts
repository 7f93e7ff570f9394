import assert from 'node:assert/strict';
import { createTestDatabase, useTestDatabase } from '../../support/db.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { loadSyntheticCatalog } from '../../../persistence/catalog/loadSynthetic.js';
import { SyntheticCatalogError } from '../../../persistence/catalog/synthCatalog.js';
import { DEMO_ARTISTS } from '../../../persistence/catalog/demoArtists.js';

describe('catalog:synth loader (real Postgres)', function () {
  this.timeout(60_000);
  const database = useTestDatabase();
  let db: ReturnType<typeof database>;
  let catalog: CatalogRepository;
  before(() => {
    db = database();
    catalog = new CatalogRepository(db.orm);
  });

  it('loads 3,000 artists next to the demo catalog, idempotently; a different catalog is refused', async () => {
    const first = await loadSyntheticCatalog(db.sql, catalog, { artists: 3000, seed: 3 });
    assert.equal(first.loaded, true);
    assert.equal(first.artists, 3000);
    const [{ n }] = await db.sql.query<{ n: string }>(`SELECT count(*) AS n FROM artists`);
    assert.equal(Number(n), 3000 + DEMO_ARTISTS.length, 'the demo catalog is there too');
    const stations = await catalog.listStations();
    assert.equal(stations.length, DEMO_ARTISTS.length + first.onAir);
    const onAir = stations.find((s) => s.artistId.endsWith('_000001'));
    assert.ok(onAir, 'the first synthetic artist is on the dial');
    const station = await catalog.stationForArtist(onAir.artistId);
    assert.ok(station && station.orbs.length >= 1, 'a synthetic station has orbs');

    const again = await loadSyntheticCatalog(db.sql, catalog, { artists: 3000, seed: 3 });
    assert.equal(again.loaded, false);
    await assert.rejects(
      loadSyntheticCatalog(db.sql, catalog, { artists: 4000, seed: 3 }),
      (e: unknown) => e instanceof SyntheticCatalogError && /fresh database/.test((e as Error).message),
    );
  });

  it('a load cut short is finished by a rerun with the same options and refused with others', async () => {
    const other = await createTestDatabase();
    try {
      const repo = new CatalogRepository(other.orm);
      // What a crash after the first chunks leaves: the pending marker and part of the artists.
      await other.sql.query(`INSERT INTO catalog_meta (key, value) VALUES ('synthetic_catalog', ?)`, [
        `${JSON.stringify({ artists: 2500, seed: 4 })} (loading)`,
      ]);
      await assert.rejects(loadSyntheticCatalog(other.sql, repo, { artists: 2500, seed: 5 }), SyntheticCatalogError);
      const done = await loadSyntheticCatalog(other.sql, repo, { artists: 2500, seed: 4 });
      assert.equal(done.loaded, true);
      assert.equal((await loadSyntheticCatalog(other.sql, repo, { artists: 2500, seed: 4 })).loaded, false, 'complete now');
    } finally {
      await other.drop();
    }
  });
});
