import assert from 'node:assert/strict';
import { useServer } from '../../support/serverProcess.js';
import { bearer, signIn } from '../../support/auth.js';
import { jsonOf } from '../../support/http.js';

const ADMIN = 'admin-token-for-discovery-0123456789';
const JOBS_OFF = Object.fromEntries(
  ['GRAVITY_EDGES', 'SESSION_AGGREGATION', 'GLOBAL_METRICS', 'POPULARITY_SCORES', 'CLEANUP', 'PASSPORT_PARTITIONS', 'INFLUENCE_GRAPH'].map((j) => [
    `JOB_CRON_${j}`,
    'off',
  ]),
);

describe('search and recommendations over HTTP (seed 000 steps 12 and 13)', function () {
  this.timeout(60_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, SEARCH_MAX_LIMIT: '25', ...JOBS_OFF });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${running().server.baseUrl}${path}`, { headers });

  async function star(userId: string, artistId: string, atMs = Date.now()): Promise<void> {
    await running().db.sql.query(`INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at) VALUES (?, ?, 0, 0, 0, ?)`, [
      userId,
      artistId,
      new Date(atMs),
    ]);
  }

  async function artist(id: string, name: string, genres: string[], era: string): Promise<void> {
    await running().db.sql.query(
      `INSERT INTO artists (id, name, genres, era, bio, scene_id) VALUES (?, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb)), ?, ?, (SELECT id FROM scenes ORDER BY id LIMIT 1))`,
      [id, name, JSON.stringify(genres), era, `${name} plays ${genres.join(', ')}.`],
    );
  }

  it('GET /api/search: a query under 2 or over 100 characters, or a bad limit, is a 400 naming the field', async () => {
    const cases: Array<[string, string[]]> = [
      ['/api/search', ['q']],
      ['/api/search?q=a', ['q']],
      ['/api/search?q=%25%25', ['q']],
      [`/api/search?q=${'x'.repeat(101)}`, ['q']],
      ['/api/search?q=fela&limit=0', ['limit']],
      ['/api/search?q=fela&limit=26', ['limit']],
      ['/api/search?q=fela&limit=abc', ['limit']],
      ['/api/search?q=a&limit=abc', ['q', 'limit']],
    ];
    for (const [path, fields] of cases) {
      const res = await get(path);
      const body = await jsonOf(res);
      assert.equal(res.status, 400, path);
      assert.equal(body.error, 'VALIDATION_FAILED');
      assert.deepEqual(
        body.details.map((d: { field: string }) => d.field),
        fields,
        path,
      );
    }
    const bad = await get('/api/search?q=fela', bearer('not-a-token'));
    assert.equal(bad.status, 401, 'a token that is given must be valid');
  });

  it('GET /api/search?q=fela: Fela Kuti first, relevance descending, with station, orb count and scene preview', async () => {
    const res = await get('/api/search?q=fela%20kuti&limit=5');
    assert.equal(res.status, 200);
    const body = await jsonOf(res);
    assert.equal(body.query, 'fela kuti');
    assert.ok(body.results.length >= 1);
    const top = body.results[0];
    assert.equal(top.artist.id, 'artist_fela_kuti');
    assert.equal(top.artist.station, 102.7);
    assert.equal(top.inConstellation, false);
    const [orbs] = await running().db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM influence_orbs WHERE source_artist_id = 'artist_fela_kuti'`);
    assert.equal(top.influenceCount, orbs.n);
    assert.ok(orbs.n > 0);
    assert.match(top.scenePreview, /^https?:\/\//);
    assert.equal(typeof top.artist.bioSnippet, 'string');
    const scores = body.results.map((r: { relevanceScore: number }) => r.relevanceScore);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
    assert.equal(body.totalResults, body.results.length);
    assert.equal(typeof body.searchTimeMs, 'number');
  });

  it("boosts the caller's genres (×1.2), de-ranks and flags their stars (×0.5, inConstellation)", async () => {
    await artist('artist_zqx_one', 'Zqx Orbit One', ['Zqxgenre Solar'], '1950s–present');
    await artist('artist_zqx_two', 'Zqx Orbit Two', ['Zqxgenre Lunar'], '1950s–present');
    await artist('artist_zqx_anchor', 'Anchor Of Taste', ['Zqxgenre Lunar'], '1930s–present');
    const ids = (body: { results: Array<{ artist: { id: string } }> }) =>
      body.results.map((r) => r.artist.id).filter((id) => id.startsWith('artist_zqx_o') || id.startsWith('artist_zqx_t'));
    const anonymous = await jsonOf(await get('/api/search?q=zqx%20orbit'));
    assert.deepEqual(ids(anonymous), ['artist_zqx_one', 'artist_zqx_two'], 'equal matches: by name');
    const user = await signIn(running().server.baseUrl);
    await star(user.userId, 'artist_zqx_anchor');
    const boosted = await jsonOf(await get('/api/search?q=zqx%20orbit', bearer(user.accessToken)));
    assert.deepEqual(ids(boosted), ['artist_zqx_two', 'artist_zqx_one'], 'the Lunar fan gets Lunar first');
    const scoreOf = (body: { results: Array<{ artist: { id: string }; relevanceScore: number }> }, id: string) =>
      body.results.find((r) => r.artist.id === id)!.relevanceScore;
    const two = { relevanceScore: scoreOf(boosted, 'artist_zqx_two') };
    assert.ok(Math.abs(two.relevanceScore / scoreOf(anonymous, 'artist_zqx_two') - 1.2) < 0.001, 'Lunar ×1.2');
    assert.equal(scoreOf(boosted, 'artist_zqx_one'), scoreOf(anonymous, 'artist_zqx_one'), 'Solar unchanged');
    await star(user.userId, 'artist_zqx_two');
    const captured = await jsonOf(await get('/api/search?q=zqx%20orbit', bearer(user.accessToken)));
    const byId = new Map(captured.results.map((r: { artist: { id: string } }) => [r.artist.id, r]));
    const capturedTwo = byId.get('artist_zqx_two') as { inConstellation: boolean; relevanceScore: number };
    assert.equal(capturedTwo.inConstellation, true);
    // A new star changes the cache key: ×0.5 as a star (its 1950s being the caller's decade now adds nothing, seed 13.4).
    assert.ok(Math.abs(capturedTwo.relevanceScore / two.relevanceScore - 0.5) < 0.001, `${capturedTwo.relevanceScore} / ${two.relevanceScore}`);
    assert.deepEqual(ids(captured), ['artist_zqx_one', 'artist_zqx_two']);
  });

  it('GET /api/recommendations: 401 without a token, 403 for the admin token', async () => {
    const res = await get('/api/recommendations');
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal((await get('/api/recommendations', bearer(ADMIN))).status, 403);
  });

  it("recommends with the seed's reasons, never an artist already captured, and tells what is new", async () => {
    const user = await signIn(running().server.baseUrl);
    await star(user.userId, 'artist_wizkid');
    await star(user.userId, 'artist_burna_boy');
    // Two listeners who share both stars and also captured Tony Allen (collaborative filtering, 12.4).
    for (let i = 0; i < 2; i++) {
      const other = await signIn(running().server.baseUrl);
      for (const a of ['artist_wizkid', 'artist_burna_boy', 'artist_tony_allen']) await star(other.userId, a);
    }
    const res = await get('/api/recommendations', bearer(user.accessToken));
    assert.equal(res.status, 200);
    const body = await jsonOf(res);
    const recs: Array<{ artist: { id: string; name: string }; score: number; reason: string; source: string; connectionText: string | null }> =
      body.recommendations;
    assert.ok(recs.length > 0 && recs.length <= 10);
    const ids = recs.map((r) => r.artist.id);
    assert.ok(!ids.includes('artist_wizkid') && !ids.includes('artist_burna_boy'), 'no captured artist');
    assert.equal(new Set(ids).size, ids.length, 'one entry per artist');
    assert.deepEqual(
      recs.map((r) => r.score),
      [...recs.map((r) => r.score)].sort((a, b) => b - a),
    );
    const fela = recs.find((r) => r.artist.id === 'artist_fela_kuti');
    assert.ok(fela, `Fela Kuti (an ancestor of both stars) is recommended: ${JSON.stringify(ids)}`);
    assert.match(fela.reason, /^Influenced (Wizkid|Burna Boy)$/);
    assert.match(fela.connectionText ?? '', /^Connected to (Wizkid|Burna Boy)$/);
    const tony = recs.find((r) => r.artist.id === 'artist_tony_allen');
    assert.deepEqual(tony && [tony.reason, tony.score, tony.source], ['Users like you explored this', 40, 'similar_users']);
    for (const r of recs) assert.match(r.reason, /^(Influenced( by)? .+|Connected to .+|Users like you explored this|Trending today|Explore \d{4}s .+)$/);
    assert.deepEqual([...body.newArtistIds].sort(), [...ids].sort(), 'a first list is all new');
    const again = await jsonOf(await get('/api/recommendations', bearer(user.accessToken)));
    assert.deepEqual(again.newArtistIds, [], 'the same list again: nothing new');
    const [stored] = await running().db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM user_recommendations WHERE user_id = ?`, [user.userId]);
    assert.equal(stored.n, ids.length);
    // Capturing Fela: he leaves the list (his row deleted), the others keep when they were first recommended.
    const firstTimes = async () =>
      new Map(
        (
          await running().db.sql.query<{ artistId: string; at: string }>(
            `SELECT artist_id AS "artistId", first_recommended_at::text AS at FROM user_recommendations WHERE user_id = ?`,
            [user.userId],
          )
        ).map((r) => [r.artistId, r.at]),
      );
    const before = await firstTimes();
    await star(user.userId, 'artist_fela_kuti');
    const third = await jsonOf(await get('/api/recommendations', bearer(user.accessToken)));
    const after = await firstTimes();
    assert.equal(after.has('artist_fela_kuti'), false, 'a captured artist leaves the stored list');
    assert.deepEqual([...after.keys()].sort(), third.recommendations.map((r: { artist: { id: string } }) => r.artist.id).sort());
    for (const [id, at] of after) if (before.has(id)) assert.equal(at, before.get(id), `${id} keeps its first recommendation time`);
    assert.deepEqual([...third.newArtistIds].sort(), [...after.keys()].filter((id) => !before.has(id)).sort(), 'new = not listed before');
  });
});
