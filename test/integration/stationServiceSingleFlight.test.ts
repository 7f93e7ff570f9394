import assert from 'node:assert/strict';
import { LocalStationCache } from '../../persistence/cache/StationCache.js';
import { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import { StationService } from '../../persistence/catalog/StationService.js';
import { useTestDatabase } from '../support/db.js';

/** The real repository on real Postgres, counting the loads that reach it. */
function counted(repo: CatalogRepository) {
  const calls = { stationAt: 0, listStations: 0 };
  const wrapped = Object.create(repo) as CatalogRepository;
  wrapped.stationAt = (f) => (calls.stationAt++, repo.stationAt(f));
  wrapped.listStations = () => (calls.listStations++, repo.listStations());
  return { wrapped, calls };
}

describe('StationService: concurrent misses share one load (single flight)', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  let repo: CatalogRepository;
  before(async () => {
    repo = new CatalogRepository(db().orm);
    await repo.ensureDemoCatalog();
  });

  it('50 sessions locking on a cold station cause one snapshot load, and all get the station', async () => {
    const { wrapped, calls } = counted(repo);
    const service = new StationService(wrapped, new LocalStationCache(600_000, 100));
    const got = await Promise.all(Array.from({ length: 50 }, () => service.stationAt(99.9)));
    assert.equal(calls.stationAt, 1);
    assert.ok(got.every((s) => s?.artist.id === 'artist_wizkid'));
    await service.stationAt(99.9);
    assert.equal(calls.stationAt, 1, 'then served from the cache');
    const lists = await Promise.all(Array.from({ length: 20 }, () => service.listStations()));
    assert.equal(calls.listStations, 1, 'the station list too');
    assert.ok(lists.every((l) => l === lists[0] && l.length > 10));
  });

  it('a load overtaken by an invalidation answers its callers but is not cached', async () => {
    const { wrapped, calls } = counted(repo);
    const service = new StationService(wrapped, new LocalStationCache(600_000, 100));
    const inFlight = service.stationAt(105.5);
    while (calls.stationAt === 0) await new Promise((r) => setImmediate(r)); // the snapshot is being read…
    await service.invalidate(); // …when the catalog changes
    assert.equal((await inFlight)?.artist.id, 'artist_burna_boy');
    await service.stationAt(105.5);
    assert.equal(calls.stationAt, 2, 'read again after the invalidation');
    await service.stationAt(105.5);
    assert.equal(calls.stationAt, 2);
  });
});
