import assert from 'node:assert/strict';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { sqlLeaderboardLookups } from '../../../persistence/leaderboard/boardTables.js';
import { BoardArtwork } from '../../../features/leaderboard/boards.js';

/** The jumbotron's row artwork from the catalog: the asset pipeline's thumbnail of the row's artist, else none. */
describe('BoardArtwork: row pictures from the catalog (Postgres)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let track = '';

  before(async () => {
    db = await createTestDatabase();
    await new CatalogRepository(db.orm).ensureDemoCatalog();
    // What the pipeline leaves on an artist it processed (persistence/assets/ArtistAssetStore.ts): a URL this server serves.
    await db.sql.query(`UPDATE artists SET thumbnail = '/api/artists/artist_wizkid/image/thumbnail' WHERE id = 'artist_wizkid'`);
    track = 't-essence';
    await db.sql.query(`INSERT INTO tracks (id, artist_id, title) VALUES (?, 'artist_wizkid', 'Essence')`, [track]);
  });
  after(async () => db?.drop());

  const rows = (...ids: string[]) => ids.map((entityId) => ({ entityId }) as { entityId: string; image?: string });

  it('pictures an artist, a track by its artist, a transition by where it led and a vote option; a catalog URL we do not serve is none', async () => {
    let queries = 0;
    const lookups = sqlLeaderboardLookups(db.sql);
    const artwork = new BoardArtwork({
      lookups: { artworkOf: (a, t) => (queries++, lookups.artworkOf!(a, t)) },
      log: pino({ level: 'silent' }),
      size: 100,
      ttlMs: 60_000,
    });
    const WIZKID = '/api/artists/artist_wizkid/image/thumbnail';
    const cases: Array<[string, string[], Array<string | undefined>]> = [
      ['artists.visits', ['artist_wizkid', 'artist_burna_boy', 'nobody'], [WIZKID, undefined, undefined]],
      ['artists.trending', ['artist_wizkid'], [WIZKID]],
      ['tracks.plays', [track, 't-unknown'], [WIZKID, undefined]],
      ['orbs.transitions', ['artist_burna_boy>artist_wizkid', 'artist_wizkid>artist_burna_boy'], [WIZKID, undefined]],
      ['votes.evt-1', ['artist_wizkid'], [WIZKID]],
      ['revenue.usd', ['artist_wizkid'], [WIZKID]],
      ['cities.engagement', ['Lagos'], [undefined]],
    ];
    for (const [board, ids, expected] of cases) {
      const r = rows(...ids);
      await artwork.decorate(board, r);
      assert.deepEqual(
        r.map((x) => x.image),
        expected,
        board,
      );
    }
    const before = queries;
    await artwork.decorate('artists.captures', rows('artist_wizkid', 'artist_burna_boy'));
    assert.equal(queries, before, 'known entities, with or without a picture, are not looked up again');
  });

  it('a failing lookup leaves the rows without pictures', async () => {
    const artwork = new BoardArtwork({
      lookups: { artworkOf: async () => Promise.reject(new Error('database away')) },
      log: pino({ level: 'silent' }),
      size: 100,
      ttlMs: 60_000,
    });
    const r = rows('artist_wizkid');
    await artwork.decorate('artists.visits', r);
    assert.equal(r[0].image, undefined);
  });
});
