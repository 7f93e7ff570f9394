import assert from 'node:assert/strict';
import { DEMO_ARTISTS } from '../../../persistence/catalog/demoArtists.js';
import { buildJournal, decadeOf, labelClusters, type JournalStarInput } from '../../../systems/journal/index.js';
import { CONNECTION_COLORS, connectionThickness, starGlowColor, starSizes } from '../../../systems/journal/style.js';

/** Demo-catalog artists as stars (era from their first year, like the catalog's "1960s–present"). */
function stars(names: string[]): JournalStarInput[] {
  return names.map((name, i) => {
    const a = DEMO_ARTISTS.find((d) => d.name === name);
    if (!a) throw new Error(`no demo artist ${name}`);
    return {
      id: `star_${String(i + 1).padStart(3, '0')}`,
      artist: {
        id: `artist_${i}`,
        name,
        genres: a.genres,
        era: `${Math.floor(a.since / 10) * 10}s–present`,
        origin: a.origin,
        frequency: a.frequency,
        thumbnail: '',
      },
      position: { x: i * 40, y: (i % 3) * 30, z: -i * 10 },
      capturedAt: new Date(Date.UTC(2026, 10, 25, 10, i)).toISOString(),
    };
  });
}

describe('journal styles and cluster names (seed 000 step 8)', () => {
  it("line thickness follows the seed's three lines: 0.88 → 2.5, 0.95 → 3.0, 0.72 → 1.5; colours by type", () => {
    assert.deepEqual([0.88, 0.95, 0.72].map(connectionThickness), [2.5, 3, 1.5]);
    assert.equal(connectionThickness(0), 0.5);
    assert.equal(connectionThickness(1), 3.5);
    assert.deepEqual(CONNECTION_COLORS, { discovery_path: '#4169E1', genre_similarity: '#9370DB' });
  });

  it('a star linked to one whose career began 20+ years later is 1.2 (Fela Kuti beside Wizkid and Burna Boy), the rest 1.0', () => {
    const s = stars(['Wizkid', 'Burna Boy', 'Fela Kuti']);
    const sizes = starSizes(s, [
      { from: 'artist_0', to: 'artist_1', strength: 0.88, type: 'discovery_path' },
      { from: 'artist_1', to: 'artist_2', strength: 0.95, type: 'discovery_path' },
    ]);
    assert.deepEqual([...sizes.values()], [1, 1, 1.2]);
    assert.deepEqual([...starSizes(s, []).values()], [1, 1, 1], 'no line, no influence shown');
  });

  it('the journal body carries glow, size, line colour, thickness and style, and cluster colours', () => {
    const s = stars(['Wizkid', 'Burna Boy', 'Fela Kuti']);
    const j = buildJournal(s, [{ from: 'artist_0', to: 'artist_2', strength: 0.72, type: 'genre_similarity' }], [0, 0, 1]);
    assert.deepEqual(
      j.stars.map((x) => [x.glowColor, x.size]),
      [
        [starGlowColor('artist_0'), 1],
        [starGlowColor('artist_1'), 1],
        [starGlowColor('artist_2'), 1.2],
      ],
    );
    assert.deepEqual(
      j.connections.map((c) => [c.color, c.thickness, c.style]),
      [['#9370DB', 1.5, 'dashed']],
    );
    assert.ok(j.clusters.every((c) => /^#[0-9A-F]{6}$/.test(c.color)));
    assert.notEqual(starGlowColor('artist_0'), starGlowColor('artist_2'));
  });

  it("the era word follows the members the genre describes: Yemi Alade's Afropop with King Sunny Ade is Modern, not Classic", () => {
    const pair = stars(['Yemi Alade', 'King Sunny Ade']);
    assert.equal(labelClusters(pair, [0, 0])[0].name, 'Modern Afropop');
  });

  it('eleven stars: every cluster name is distinct and true of at least half its members', () => {
    const s = stars([
      'Fela Kuti',
      'Tony Allen',
      'Ebo Taylor',
      'King Sunny Ade',
      'Ebenezer Obey',
      'Oliver De Coque',
      'Ebenezer Obey',
      'Tiwa Savage',
      'Burna Boy',
      'Wizkid',
      'Davido',
    ]);
    // The assignment k-means gave in the report: two "Classic" groups and Ebenezer Obey with Tiwa Savage and Burna Boy.
    const clusters = labelClusters(s, [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3]);
    const names = clusters.map((c) => c.name);
    assert.equal(new Set(names).size, names.length, names.join(' | '));
    assert.ok(
      names.every((n) => !/\d$/.test(n)),
      `no numbered names: ${names.join(' | ')}`,
    );
    assert.match(names[2], /^Modern Afrobeats\b/, 'Tiwa Savage and Burna Boy are Afrobeats; the one Jùjú artist does not name the group');
    assert.deepEqual(
      names.slice(2),
      ['Modern Afrobeats · 2010s', 'Modern Afrobeats · 2000s'],
      'two Modern Afrobeats groups from Nigeria, told apart by their decade',
    );
    for (const c of clusters) {
      const members = s.filter((x) => c.stars.includes(x.id));
      const genres = c.name
        .replace(/^(Modern|Classic) /, '')
        .replace(/ (·|around) .*$/, '')
        .split(' & ');
      if (genres[0] !== 'Eclectic') {
        const covered = members.filter((m) => genres.some((g) => m.artist.genres.includes(g))).length;
        assert.ok(covered * 2 >= members.length, `${c.name}: ${covered} of ${members.length} have ${genres.join(' or ')}`);
      }
      // The era word describes the members that carry the genre words: at least half of those fit it.
      const carriers = genres[0] === 'Eclectic' ? members : members.filter((m) => genres.some((g) => m.artist.genres.includes(g)));
      const modern = carriers.filter((m) => (decadeOf(m.artist.era) ?? 0) >= 2000).length;
      const claim = c.name.startsWith('Modern') ? modern : carriers.length - modern;
      assert.ok(claim * 2 >= carriers.length, `${c.name}: only ${claim} of ${carriers.length} fit its era`);
    }
  });
});
