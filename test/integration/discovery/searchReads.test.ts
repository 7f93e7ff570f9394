import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/db.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { loadSyntheticCatalog } from '../../../persistence/catalog/loadSynthetic.js';
import { SearchRepository } from '../../../persistence/discovery/SearchRepository.js';
import { Search } from '../../../features/discovery/Search.js';

const byId = <T extends { id: string }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** A signed-in search reads the taste and the candidates in one statement; the cached candidates serve every caller. */
describe('search reads: the taste with the candidates, candidates cached for everyone (real Postgres)', function () {
  this.timeout(60_000);
  const db = useTestDatabase();
  let users: string[] = [];
  const queries = ['afro', 'jazz', 'soul', 'highlife', 'the'];

  before(async () => {
    await loadSyntheticCatalog(db().sql, new CatalogRepository(db().orm), { artists: 400, seed: 5 });
    await db().sql.query(`INSERT INTO users (id, device_id) SELECT gen_random_uuid(), 'search-reads-' || i FROM generate_series(1, 6) i`);
    users = (await db().sql.query<{ id: string }>('SELECT id FROM users ORDER BY id')).map((u) => u.id);
    // Each user but the first captures some of the best hits of each query (so boosts and inConstellation show).
    const repo = new SearchRepository(db().sql);
    for (const q of queries) {
      const hits = (await repo.search(q, 30)).map((r) => r.id);
      for (const [i, userId] of users.slice(1).entries())
        for (const artistId of [hits[i % 3], hits[(i + 1) % 3]].filter(Boolean))
          await db().sql.query(
            `INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at) VALUES (?, ?, 0, 0, 0, now()) ON CONFLICT DO NOTHING`,
            [userId, artistId],
          );
    }
  });

  it('searchWithTaste = tasteOf + search', async () => {
    const repo = new SearchRepository(db().sql);
    let rows = 0;
    for (const userId of users)
      for (const q of queries) {
        const one = await repo.searchWithTaste(q, 30, userId);
        assert.deepEqual(one.stars, await repo.tasteOf(userId));
        assert.deepEqual(byId(one.rows), byId(await repo.search(q, 30)));
        rows += one.rows.length;
      }
    assert.ok(rows > 0, 'the queries find artists');
  });

  it('an answer from the cached candidates is the answer a fresh search gives each caller', async () => {
    const repo = new SearchRepository(db().sql);
    const shared = new Search(repo, { cacheEntries: 100, cacheTtlMs: 60_000 });
    let flagged = 0;
    for (const q of queries)
      for (const userId of [null, ...users]) {
        const fresh = await new Search(repo, { cacheEntries: 100, cacheTtlMs: 60_000 }).search(q, 30, userId);
        const answer = await shared.search(q, 30, userId);
        assert.equal(fresh.cached, false);
        assert.equal(answer.cached, userId !== null, 'the first caller of a query (anonymous) fills the cache for all');
        assert.deepEqual(answer.results, fresh.results, `${q} for ${userId}`);
        flagged += answer.results.filter((r) => r.inConstellation).length;
      }
    assert.ok(flagged > 0, "some results are the caller's stars");
  });

  it("a caller's stars at hand rank as its user id does, and a cached query then reads nothing", async () => {
    const repo = new SearchRepository(db().sql);
    const reads: string[] = [];
    const counted: ConstructorParameters<typeof Search>[0] = {
      search: (q, pool) => (reads.push('search'), repo.search(q, pool)),
      tasteOf: (userId) => (reads.push('tasteOf'), repo.tasteOf(userId)),
      searchWithTaste: (q, pool, userId) => (reads.push('searchWithTaste'), repo.searchWithTaste(q, pool, userId)),
    };
    const shared = new Search(counted, { cacheEntries: 100, cacheTtlMs: 60_000 });
    let flagged = 0;
    for (const userId of users) {
      const stars = await repo.tasteOf(userId);
      for (const q of queries) {
        const byUser = await new Search(repo, { cacheEntries: 100, cacheTtlMs: 60_000 }).search(q, 30, userId);
        reads.length = 0;
        const first = await shared.search(q, 30, stars);
        assert.deepEqual(reads, first.cached ? [] : ['search'], `${q}: only the candidates are read, once`);
        const again = await shared.search(q, 30, stars);
        assert.equal(again.cached, true);
        assert.deepEqual(reads, first.cached ? [] : ['search'], `${q}: the second search read nothing`);
        assert.deepEqual(first.results, byUser.results, `${q} for ${userId}`);
        assert.deepEqual(again.results, byUser.results);
        flagged += again.results.filter((r) => r.inConstellation).length;
      }
    }
    assert.ok(flagged > 0, "some results are the caller's stars");
  });
});
