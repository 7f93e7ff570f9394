import assert from 'node:assert/strict';
import {
  boostedRelevance,
  candidatePool,
  decadeOf,
  NO_TASTE,
  searchPerformed,
  parseQuery,
  rankSearch,
  relevanceOf,
  sanitizeQuery,
  SEARCH_WEIGHTS,
  SIMILARITY_THRESHOLD,
  type SearchCandidate,
} from '../../../systems/discovery/search.js';

const candidate = (id: string, nameMatch: number, bioMatch: number, genreMatch: number, genres: string[] = [], era = ''): SearchCandidate => ({
  id,
  name: id,
  genres,
  era,
  nameMatch,
  bioMatch,
  genreMatch,
});

describe('systems/search (seed 000 step 13)', () => {
  it('13.1: sanitises "nina simone" style queries (special characters out, spaces collapsed, lower case)', () => {
    assert.equal(sanitizeQuery('  Nina   Simone '), 'nina simone');
    assert.equal(sanitizeQuery("nina'; DROP TABLE artists;--"), "nina' drop table artists --");
    assert.equal(sanitizeQuery('Angélique <b>Kidjo</b>%_'), 'angélique b kidjo b');
  });

  it('13.1: under 2 or over 100 characters is refused with the field named', () => {
    assert.deepEqual(parseQuery('fela'), { ok: true, query: 'fela' });
    for (const bad of [null, '', 'a', '%%', ' x ']) {
      const r = parseQuery(bad);
      assert.equal(r.ok, false, String(bad));
      if (!r.ok) assert.equal(r.details[0].field, 'q');
    }
    const long = parseQuery('x'.repeat(101));
    assert.ok(!long.ok && /at most 100/.test(long.details[0].message));
    assert.equal(parseQuery('x'.repeat(100)).ok, true);
  });

  it('13.3: relevance = name × 3.0 + biography × 1.0 + genre × 1.5, threshold 0.3', () => {
    assert.deepEqual(SEARCH_WEIGHTS, { name: 3.0, bio: 1.0, genre: 1.5 });
    assert.equal(SIMILARITY_THRESHOLD, 0.3);
    assert.equal(relevanceOf({ nameMatch: 1, bioMatch: 0.2, genreMatch: 0.4 }), 3 + 0.2 + 0.6000000000000001);
    assert.equal(relevanceOf({ nameMatch: 0.5, bioMatch: 0, genreMatch: 0 }), 1.5);
  });

  it('13.4: ×1.2 for a genre of the caller, ×0.5 when already captured; their decades only with an era factor', () => {
    const taste = { genres: new Set(['Afrobeat']), eras: new Set(['1970s']), captured: new Set(['fela']) };
    const c = candidate('x', 0.5, 0, 0, ['Afrobeat'], '1980s–present');
    assert.equal(boostedRelevance(c, taste), 1.5 * 1.2);
    assert.equal(boostedRelevance({ ...c, era: '1970s–1990s' }, taste), 1.5 * 1.2, "the seed's rule: a shared decade adds nothing");
    assert.equal(boostedRelevance({ ...c, id: 'fela', era: '1970s–1990s' }, taste), 1.5 * 1.2 * 0.5);
    assert.equal(boostedRelevance(c, NO_TASTE), 1.5);
    // SEARCH_ERA_BOOST: a decade of the caller's multiplies on top of the genre boost.
    assert.equal(boostedRelevance({ ...c, era: '1970s–1990s' }, taste, 1.2), 1.5 * 1.2 * 1.2);
    assert.equal(boostedRelevance({ ...c, genres: ['Jazz'], era: '1970s' }, taste, 1.2), 1.5 * 1.2);
    assert.equal(boostedRelevance(c, taste, 1.2), 1.5 * 1.2, 'another decade: no era boost');
    const liked = candidate('a', 0.5, 0, 0, ['Jazz'], '1970s');
    const plain = candidate('b', 0.55, 0, 0, ['Jazz'], '1990s');
    assert.deepEqual(
      rankSearch([plain, liked], taste, 5).map((r) => r.id),
      ['b', 'a'],
    );
    assert.deepEqual(
      rankSearch([plain, liked], taste, 5, 1.2).map((r) => r.id),
      ['a', 'b'],
    );
  });

  it('13.6: the search.performed event names the query, limit, count, top result and whether it was cached', () => {
    const found = [{ artist: { id: 'artist_nina_simone' } }, { artist: { id: 'artist_sade' } }];
    assert.deepEqual(searchPerformed('nina simone', 10, found, false), {
      type: 'search.performed',
      entityType: 'artist',
      entityId: 'artist_nina_simone',
      payload: { query: 'nina simone', limit: 10, resultCount: 2, topResultId: 'artist_nina_simone', cached: false },
    });
    assert.deepEqual(searchPerformed('zzqq', 5, [], true), {
      type: 'search.performed',
      entityType: null,
      entityId: null,
      payload: { query: 'zzqq', limit: 5, resultCount: 0, topResultId: null, cached: true },
    });
  });

  it('ranks by boosted relevance (a boost lifts a result over a better raw match), ties by name, cut at limit', () => {
    const plain = candidate('b-plain', 0.5, 0, 0, ['Jazz']);
    const liked = candidate('a-liked', 0.45, 0, 0, ['Afrobeat']);
    const taste = { genres: new Set(['Afrobeat']), eras: new Set<string>(), captured: new Set<string>() };
    assert.deepEqual(
      rankSearch([plain, liked], taste, 10).map((r) => r.id),
      ['a-liked', 'b-plain'],
    );
    assert.deepEqual(
      rankSearch([plain, liked], NO_TASTE, 10).map((r) => r.id),
      ['b-plain', 'a-liked'],
    );
    assert.deepEqual(
      rankSearch([candidate('z', 0.5, 0, 0), candidate('y', 0.5, 0, 0), plain], NO_TASTE, 2).map((r) => r.id),
      ['b-plain', 'y'],
    );
    assert.equal(candidatePool(10), 30);
  });

  it('decades', () => {
    assert.equal(decadeOf('1970s–present'), '1970s');
    assert.equal(decadeOf('2010s'), '2010s');
    assert.equal(decadeOf('classic'), '');
  });
});
