import assert from 'node:assert/strict';
import { StationCache } from '../../../persistence/catalog/StationCache.js';
import { localBackplane } from '../../support/backplanes.js';

const localCache = () => new StationCache(localBackplane(), { ttlMs: 600_000, maxEntries: 100, onError: () => undefined, now: Date.now });
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { StationService } from '../../../features/catalog/StationService.js';
import { useTestDatabase } from '../../support/db.js';

/** The real repository on real Postgres, counting the loads that reach it. */
function counted(repo: CatalogRepository) {
  const calls = { stationAt: 0, listStations: 0, incomingOrbs: 0, artistById: 0 };
  const wrapped = Object.create(repo) as CatalogRepository;
  wrapped.stationAt = (f) => (calls.stationAt++, repo.stationAt(f));
  wrapped.listStations = () => (calls.listStations++, repo.listStations());
  wrapped.incomingOrbs = (t) => (calls.incomingOrbs++, repo.incomingOrbs(t));
  wrapped.artistById = (id) => (calls.artistById++, repo.artistById(id));
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
    const service = new StationService(wrapped, localCache());
    const got = await Promise.all(Array.from({ length: 50 }, () => service.stationAt(99.9)));
    assert.equal(calls.stationAt, 1);
    assert.ok(got.every((s) => s?.artist.id === 'artist_wizkid'));
    await service.stationAt(99.9);
    assert.equal(calls.stationAt, 1, 'then served from the cache');
    const lists = await Promise.all(Array.from({ length: 20 }, () => service.listStations()));
    assert.equal(calls.listStations, 1, 'the station list too');
    assert.ok(lists.every((l) => l === lists[0] && l.length > 10));
  });

  it("every session's dial gets one frozen, sorted array of the frequencies, a new one once the catalog changes", async () => {
    const { wrapped, calls } = counted(repo);
    const service = new StationService(wrapped, localCache());
    const lists = await Promise.all(Array.from({ length: 20 }, () => service.stationFrequencies()));
    assert.ok(
      lists.every((l) => l === lists[0]),
      'one array shared by all',
    );
    assert.ok(Object.isFrozen(lists[0]));
    assert.deepEqual(
      lists[0],
      (await service.listStations()).map((s) => s.frequency),
    );
    assert.deepEqual(
      lists[0],
      [...lists[0]!].sort((x, y) => x - y),
    );
    assert.equal(calls.listStations, 1);
    await service.invalidate();
    const after = await service.stationFrequencies();
    assert.notEqual(after, lists[0], 'a fresh array after the catalog changed');
    assert.deepEqual(after, lists[0]);
    assert.equal(calls.listStations, 2);
  });

  it('a load overtaken by an invalidation answers its callers but is not cached', async () => {
    const { wrapped, calls } = counted(repo);
    const service = new StationService(wrapped, localCache());
    const inFlight = service.stationAt(105.5);
    while (calls.stationAt === 0) await new Promise((r) => setImmediate(r)); // the snapshot is being read…
    await service.invalidate(); // …when the catalog changes
    assert.equal((await inFlight)?.artist.id, 'artist_burna_boy');
    await service.stationAt(105.5);
    assert.equal(calls.stationAt, 2, 'read again after the invalidation');
    await service.stationAt(105.5);
    assert.equal(calls.stationAt, 2);
  });

  it("answers relationshipsTo as the orbs table does, reading an artist's incoming orbs once until the catalog changes", async () => {
    const relationshipsTo = async (target: string, sources: string[]) => {
      const rows = await db().sql.query<{ source: string; type: string }>(
        `SELECT source_artist_id AS source, relationship_type AS type FROM influence_orbs WHERE target_artist_id = ? AND source_artist_id IN (SELECT jsonb_array_elements_text(?::jsonb))`,
        [target, JSON.stringify(sources)],
      );
      return new Map(rows.map((r) => [r.source, r.type]));
    };
    const { wrapped, calls } = counted(repo);
    const service = new StationService(wrapped, localCache(), { maxEntries: 10, ttlMs: 600_000 });
    const sources = (await db().sql.query<{ id: string }>(`SELECT id FROM artists ORDER BY id`)).map((r) => r.id);
    const targets = (await db().sql.query<{ id: string }>(`SELECT DISTINCT target_artist_id AS id FROM influence_orbs ORDER BY 1 LIMIT 5`)).map((r) => r.id);
    assert.ok(targets.length > 0, 'the demo catalog has orbs');
    for (const target of targets) {
      assert.deepEqual(await service.relationshipsTo(target, sources), await relationshipsTo(target, sources), target);
      assert.deepEqual(
        await service.relationshipsTo(target, sources.slice(0, 3)),
        await relationshipsTo(target, sources.slice(0, 3)),
        `${target}, a few sources`,
      );
    }
    assert.equal(calls.incomingOrbs, targets.length, 'one read per target');
    assert.deepEqual(await service.relationshipsTo(targets[0], []), new Map(), 'no sources: no read');

    // An orb added to the catalog shows after the invalidation that every catalog change makes.
    const [orb] = await db().sql.query<{ source: string; target: string }>(
      `SELECT source_artist_id AS source, target_artist_id AS target FROM influence_orbs WHERE target_artist_id = ? LIMIT 1`,
      [targets[0]],
    );
    await db().sql.query(`UPDATE influence_orbs SET relationship_type = 'collaborator' WHERE source_artist_id = ? AND target_artist_id = ?`, [
      orb.source,
      orb.target,
    ]);
    assert.notEqual((await service.relationshipsTo(orb.target, [orb.source])).get(orb.source), undefined);
    await service.invalidate();
    assert.equal((await service.relationshipsTo(orb.target, [orb.source])).get(orb.source), 'collaborator');
    assert.equal(calls.incomingOrbs, targets.length + 1);
  });

  it('answers artistById as the repository does, one read per artist (concurrent callers share it, an unknown id too) until the catalog changes', async () => {
    const { wrapped, calls } = counted(repo);
    const service = new StationService(wrapped, localCache(), { maxEntries: 10, ttlMs: 600_000 });
    const [a, b] = (await db().sql.query<{ id: string }>(`SELECT id FROM artists ORDER BY id LIMIT 2`)).map((r) => r.id);
    const first = await Promise.all(Array.from({ length: 20 }, () => service.artistById(a!)));
    assert.deepEqual(first[19], await repo.artistById(a!));
    assert.deepEqual(await service.artistById(b!), await repo.artistById(b!));
    assert.equal(await service.artistById('artist_nobody'), null);
    assert.equal(await service.artistById('artist_nobody'), null);
    assert.equal(calls.artistById, 3, 'one read per id, the unknown one included');

    const { name } = (await repo.artistById(a!))!;
    await db().sql.query(`UPDATE artists SET name = ? WHERE id = ?`, [`${name} (renamed)`, a]);
    try {
      assert.equal((await service.artistById(a!))?.name, name, 'kept until the catalog changes');
      await service.invalidate();
      assert.equal((await service.artistById(a!))?.name, `${name} (renamed)`, 'read again after the invalidation every catalog change makes');
      assert.equal(calls.artistById, 4);
    } finally {
      await db().sql.query(`UPDATE artists SET name = ? WHERE id = ?`, [name, a]);
    }
  });
});
