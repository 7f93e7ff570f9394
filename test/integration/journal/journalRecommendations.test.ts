import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/db.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { JournalService } from '../../../features/journal/Journal.js';

/**
 * The journal's recommendations as the seed writes them: artists in a genre among the captured genres, not
 * captured, most popular first (popularity as the popularity job leaves it), over the whole dial.
 */
describe('journal recommendations: the seed three-star journey on the demo catalog', function () {
  this.timeout(30_000);
  const db = useTestDatabase();

  it('Wizkid, Burna Boy and Fela Kuti → Davido, Tiwa Savage, King Sunny Ade', async () => {
    const catalog = new CatalogRepository(db().orm);
    await catalog.ensureDemoCatalog();
    // Popular but captured (Wizkid), popular in no captured genre (Jay-Z), and the seed's three above the rest.
    const popularity: Record<string, number> = {
      artist_wizkid: 95,
      artist_jay_z: 90,
      artist_davido: 60,
      artist_tiwa_savage: 50,
      artist_king_sunny_ade: 40,
      artist_rema: 30,
      artist_yemi_alade: 20,
    };
    for (const [id, score] of Object.entries(popularity)) await db().sql.query(`UPDATE artists SET popularity_score = ? WHERE id = ?`, [score, id]);
    const journals = new JournalService({
      constellations: { constellationOf: async () => ({ stars: [], connections: [], badges: [] }) },
      catalog,
      maxEntries: 10,
      ttlMs: 60_000,
    });
    const star = (artistId: string, i: number) => ({
      id: `s${i}`,
      artistId,
      position: { x: i, y: 0, z: 0 },
      capturedAt: new Date(Date.UTC(2025, 0, 6, 14, 23 + i)).toISOString(),
    });
    const journal = await journals.fromStars(['artist_wizkid', 'artist_burna_boy', 'artist_fela_kuti'].map(star), []);
    assert.deepEqual(
      journal.recommendations.map((r) => [r.name, r.station]),
      [
        ['Davido', 98.9],
        ['Tiwa Savage', 103.3],
        ['King Sunny Ade', 101.1],
      ],
    );
    assert.match(journal.recommendations[2].reason, /Fela Kuti/, 'King Sunny Ade: a contemporary of Fela, in the genre they share');
  });
});
