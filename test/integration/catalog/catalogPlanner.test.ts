import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '../../support/db.js';
import { catalogReads } from '../../support/catalogReads.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { planStar } from '../../../features/constellation/planStar.js';
import { RELATIONSHIP_OFFSETS, MIN_STAR_DISTANCE } from '../../../systems/constellation/constellation.js';

/** Star placement with the catalog (features/constellation/Capture.ts: live captures and offline replays share it). */
describe('star placement (demo catalog, real Postgres)', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  let catalog: CatalogRepository;
  before(async () => {
    catalog = new CatalogRepository(database().orm);
    await catalog.ensureDemoCatalog();
  });

  it("Fela Kuti captured after Burna Boy sits at Burna Boy + the ancestor offset (seed: Burna Boy → Fela Kuti is 'ancestor')", async () => {
    const relation = (await catalogReads(catalog).relationshipsTo('artist_fela_kuti', ['artist_burna_boy'])).get('artist_burna_boy');
    assert.equal(relation, 'ancestor', 'the demo catalog has the seed relationship');
    const burna = { artistId: 'artist_burna_boy', position: { x: 0, y: 0, z: 0 } };
    const input = { userId: randomUUID(), artistId: 'artist_fela_kuti', discoveryPath: ['artist_burna_boy', 'artist_fela_kuti'], existing: [burna] };

    const { placement, connections } = await planStar(catalogReads(catalog), input);
    const offset = RELATIONSHIP_OFFSETS[relation as keyof typeof RELATIONSHIP_OFFSETS];
    assert.deepEqual([placement.position.x, placement.position.y, placement.position.z], [offset.x, offset.y, offset.z], `offset for ${relation}`);
    assert.ok(
      connections.some((c) => c.type === 'discovery_path' && [c.from, c.to].includes('artist_burna_boy')),
      'a discovery-path line to the base star',
    );
  });

  it('is deterministic per (user, artist) when it has to jitter away from a crowded spot', async () => {
    const userId = randomUUID();
    const crowd = [
      { artistId: 'artist_fela_kuti', position: { x: 0, y: 0, z: 0 } },
      { artistId: 'artist_wizkid', position: { x: 10, y: 0, z: 0 } },
    ];
    const input = { userId, artistId: 'artist_tems', discoveryPath: ['artist_wizkid', 'artist_tems'], existing: crowd };
    const a = await planStar(catalogReads(catalog), input);
    const b = await planStar(catalogReads(catalog), input);
    assert.deepEqual(a.placement.position, b.placement.position);
    for (const s of crowd) {
      const d = Math.hypot(a.placement.position.x - s.position.x, a.placement.position.y - s.position.y, a.placement.position.z - s.position.z);
      assert.ok(d >= MIN_STAR_DISTANCE, `distance ${d.toFixed(1)} from ${s.artistId}`);
    }
  });
});
