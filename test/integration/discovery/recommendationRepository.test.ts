import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/db.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { loadSyntheticCatalog } from '../../../persistence/catalog/loadSynthetic.js';
import { SearchRepository } from '../../../persistence/discovery/SearchRepository.js';
import { RecommendationRepository } from '../../../persistence/discovery/RecommendationRepository.js';
import { artistsFor, collaborative, eraArtists, influencesOf, saveCurrent } from '../../../bench/support/recommendationReads.js';
import { Recommendations, SUGGESTIONS_AFTER_ZOOM } from '../../../features/discovery/Recommendations.js';
import {
  combineRecommendations,
  connectionText,
  ERA_ARTISTS,
  MAX_COLLABORATIVE,
  MAX_SIMILAR_USERS,
  MIN_OVERLAP,
  preferencesOf,
  scoreCollaborative,
  scoreEraDiscovery,
  scoreInfluences,
  unexploredEras,
} from '../../../systems/discovery/recommendations.js';

const byId = <T extends { id?: string; artistId?: string }>(rows: T[]): T[] =>
  [...rows].sort((a, b) => String(a.id ?? a.artistId).localeCompare(String(b.id ?? b.artistId)));

/** The one-statement reads after a capture return exactly what the reads alone return. */
describe('RecommendationRepository: the recompute in fewer statements (real Postgres)', function () {
  this.timeout(60_000);
  const db = useTestDatabase();
  let users: string[] = [];

  before(async () => {
    await loadSyntheticCatalog(db().sql, new CatalogRepository(db().orm), { artists: 600, seed: 3 });
    await db().sql.query(`INSERT INTO users (id, device_id) SELECT gen_random_uuid(), 'rec-eq-' || i FROM generate_series(1, 60) i`);
    // Skewed picks so users overlap (collaborative filtering has peers); one user keeps no stars.
    await db().sql.query(
      `WITH pool AS (SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM artists)
       INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at)
       SELECT u.id, pool.ids[1 + floor(pool.n * power(random(), 3))::int], 0, 0, 0, now() - (s || ' minutes')::interval
         FROM (SELECT id FROM users ORDER BY id OFFSET 1) u CROSS JOIN generate_series(1, 12) s CROSS JOIN pool
       ON CONFLICT DO NOTHING`,
    );
    users = (await db().sql.query<{ id: string }>('SELECT id FROM users ORDER BY id')).map((u) => u.id);
  });

  it('sourcesOfMany = influencesOf + collaborative + eraArtists per user, every user in one statement; tastesOf = tasteOf', async () => {
    const repo = new RecommendationRepository(db().sql, db().orm);
    const taste = new SearchRepository(db().sql);
    const tastes = await taste.tastesOf(users);
    const inputs = [];
    for (const [i, userId] of users.entries()) {
      assert.deepEqual(tastes[i], await taste.tasteOf(userId));
      const prefs = preferencesOf(tastes[i]);
      const starIds = [...prefs.captured];
      const collab = starIds.length >= MIN_OVERLAP;
      inputs.push({
        userId,
        starIds,
        collaborative: collab ? { minOverlap: MIN_OVERLAP, maxUsers: MAX_SIMILAR_USERS, limit: MAX_COLLABORATIVE } : null,
        eras: { eras: unexploredEras(prefs), genres: prefs.topGenres, perEra: ERA_ARTISTS },
      });
    }
    const all = await repo.sourcesOfMany(inputs);
    let collaborativeRows = 0;
    for (const [i, { userId, starIds, collaborative: collab, eras }] of inputs.entries()) {
      const one = all[i];
      assert.deepEqual(byId(one.influences), byId(await influencesOf(db().sql, starIds, starIds)));
      assert.deepEqual(one.collaborative, collab ? await collaborative(db().sql, userId, MIN_OVERLAP, MAX_SIMILAR_USERS, MAX_COLLABORATIVE) : []);
      assert.deepEqual(one.eraRows, await eraArtists(db().sql, eras.eras, eras.genres, starIds, ERA_ARTISTS));
      collaborativeRows += one.collaborative.length;
    }
    assert.ok(collaborativeRows > 0, 'the data set gives collaborative filtering something to find');
  });

  it('saveMany stores each list like saveCurrent and returns artistsFor’s display data, two users in one statement', async () => {
    const repo = new RecommendationRepository(db().sql, db().orm);
    const taste = new SearchRepository(db().sql);
    const stored = (userId: string) =>
      db().sql.query(`SELECT artist_id, score, reason, first_recommended_at, updated_at FROM user_recommendations WHERE user_id = ? ORDER BY artist_id`, [
        userId,
      ]);
    const [a, b, c] = users.slice(1, 4);
    const prefs = preferencesOf(await taste.tasteOf(a));
    const starIds = [...prefs.captured];
    const [sources] = await repo.sourcesOfMany([
      {
        userId: a,
        starIds,
        collaborative: null,
        eras: { eras: unexploredEras(prefs), genres: prefs.topGenres, perEra: ERA_ARTISTS },
      },
    ]);
    const ranked = combineRecommendations([
      scoreInfluences(sources.influences, prefs),
      scoreCollaborative(sources.collaborative, prefs),
      scoreEraDiscovery(sources.eraRows, prefs),
    ]);
    assert.ok(ranked.length >= 4);
    const t = Date.parse('2026-11-23T00:00:00Z');
    // a alone, b and c in one statement: b's list as a's, c's the complement (each user's rows apart).
    for (const [list, at] of [
      [ranked, t],
      [ranked.slice(2), t + 1000],
      [[...ranked.slice(0, 1), ...ranked.slice(3)], t + 2000],
      [[], t + 3000],
    ] as const) {
      const fresh = await saveCurrent(repo, a, list, at);
      const artists = await artistsFor(
        db().sql,
        list.map((r) => r.artistId),
        starIds,
      );
      const other = ranked.filter((r) => !list.some((l) => l.artistId === r.artistId));
      const [combined, second] = await repo.saveMany(
        [
          { userId: b, recs: list, starIds },
          { userId: c, recs: other, starIds },
        ],
        at,
      );
      assert.deepEqual(combined.fresh, fresh);
      assert.deepEqual(new Map([...combined.artists].sort()), new Map([...artists].sort()));
      assert.deepEqual(await stored(b), await stored(a));
      assert.deepEqual([...second.artists.keys()].sort(), other.map((r) => r.artistId).sort());
      assert.deepEqual(
        (await stored(c)).map((r) => r.artist_id),
        other.map((r) => r.artistId).sort(),
      );
    }
  });
  it('suggestions after a zoom, from the per-artist cache with the stars applied in memory = the reads for one user', async () => {
    const repo = new RecommendationRepository(db().sql, db().orm);
    const taste = new SearchRepository(db().sql);
    const reads: string[] = [];
    const counted = new Recommendations({
      repo: Object.assign(Object.create(repo) as RecommendationRepository, { zoomCandidates: (id: string) => (reads.push('zoom'), repo.zoomCandidates(id)) }),
      stars: { tastesOf: (ids) => taste.tastesOf(ids), artistTastes: (ids) => (reads.push('tastes'), taste.artistTastes(ids)) },
      trending: async () => [],
      now: Date.now,
    });
    const zoomedArtists = (
      await db().sql.query<{ id: string }>(
        `SELECT source_artist_id AS id FROM influence_orbs GROUP BY source_artist_id ORDER BY count(*) DESC, source_artist_id LIMIT 4`,
      )
    ).map((r) => r.id);
    let shown = 0;
    let connected = 0;
    let coldReads = 0;
    for (const round of [0, 1]) {
      for (const userId of users.slice(0, 12)) {
        const stars = await taste.tasteOf(userId);
        const starIds = stars.map((s) => s.id);
        for (const artistId of zoomedArtists) {
          const influences = await influencesOf(db().sql, [artistId], [...starIds, artistId]);
          const ranked = combineRecommendations([scoreInfluences(influences, preferencesOf(stars))], SUGGESTIONS_AFTER_ZOOM);
          const artists = await artistsFor(
            db().sql,
            ranked.map((r) => r.artistId),
            starIds,
          );
          const got = await counted.suggestionsAfterZoom(artistId, new Set(starIds));
          assert.deepEqual(
            got.map((r) => [r.artist.id, r.score, r.reason, r.connectionText, r.artist.name, r.artist.era]),
            ranked.map((r) => [
              r.artistId,
              Math.round(r.score * 100) / 100,
              r.reason,
              connectionText(artists.get(r.artistId)!.connectedFrom),
              artists.get(r.artistId)!.name,
              artists.get(r.artistId)!.era,
            ]),
          );
          shown += got.length;
          connected += got.filter((r) => r.connectionText !== null).length;
        }
      }
      // The second round reads nothing: every zoomed artist and star is kept.
      if (round === 0) coldReads = reads.length;
      else assert.equal(reads.length, coldReads, reads.join());
    }
    assert.ok(reads.filter((r) => r === 'zoom').length === zoomedArtists.length && reads.includes('tastes'), reads.join());
    assert.ok(shown > 0 && connected > 0, `the data set has suggestions (${shown}) and connected ones (${connected})`);
  });
});
