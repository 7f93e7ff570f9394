import assert from 'node:assert/strict';
import { DEMO_ARTISTS } from '../../../persistence/catalog/demoArtists.js';
import { buildJournal, type JournalStarInput } from '../../../systems/journal/index.js';
import { labelClusters } from '../../../systems/journal/layout.js';
import { decadeOf } from '../../../systems/journal/statistics.js';
import { CONNECTION_COLORS, connectionThickness, starColors, starGlowColor, starSizes } from '../../../systems/journal/style.js';

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

  it("a star takes its cluster's colour, the newest member's glow, as the journal's clusters are painted", () => {
    const colors = starColors(['wizkid', 'fela', 'burna'], [0, 1, 0]);
    assert.deepEqual(
      [...colors],
      [
        ['wizkid', starGlowColor('burna')],
        ['fela', starGlowColor('fela')],
        ['burna', starGlowColor('burna')],
      ],
    );
  });

  it("no era word across eras: Yemi Alade's Afropop with King Sunny Ade's Jùjú is neither Modern nor Classic", () => {
    const pair = stars(['Yemi Alade', 'King Sunny Ade']);
    assert.equal(labelClusters(pair, [0, 0])[0].name, 'Afropop & Jùjú');
  });

  it('a 1990s artist is neither Classic nor Modern: 2Baba and Lagbaja beside Fela Kuti, Lauryn Hill beside Rema', () => {
    assert.deepEqual(
      labelClusters(stars(['Fela Kuti', 'Lagbaja', 'Tony Allen', '2Baba', 'Rema', 'Lauryn Hill']), [0, 0, 0, 1, 1, 1]).map((c) => c.name),
      ['Afrobeat', 'R&B & Afrobeats'],
    );
    assert.deepEqual(
      labelClusters(stars(['Fela Kuti', 'Tony Allen', 'Jeff Buckley']), [0, 0, 1]).map((c) => c.name),
      ['Classic Afrobeat', 'Rock'],
    );
  });

  it('the report\'s clusters: South Africans are not "Afrobeats · Nigeria", Billie Holiday is not "Afropop"', () => {
    const s = stars(['Wizkid', 'Burna Boy', 'Black Coffee', 'Kabza De Small', 'Miriam Makeba', 'Hugh Masekela', 'Billie Holiday']);
    assert.deepEqual(
      labelClusters(s, [0, 0, 0, 0, 1, 1, 1]).map((c) => c.name),
      ['Modern Afrobeats & House', 'Classic Jazz'],
    );
  });

  it('eleven stars: every cluster name is distinct and true of every member: genre, era word and qualifier', () => {
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
    for (const c of clusters) {
      const members = s.filter((x) => c.stars.includes(x.id));
      const [, era, words, qualifier] = /^(Modern |Classic )?(.+?)(?: (· .*|around .*))?$/.exec(c.name)!;
      const genres = words.split(' & ');
      if (words !== 'Eclectic')
        for (const m of members)
          assert.ok(
            genres.some((g) => m.artist.genres.includes(g)),
            `${c.name} holds ${m.artist.name} (${m.artist.genres.join(', ')})`,
          );
      for (const m of members) {
        const decade = decadeOf(m.artist.era) ?? 0;
        if (era) assert.ok(era === 'Modern ' ? decade >= 2000 : decade < 1990, `${c.name} holds ${m.artist.name} (${m.artist.era})`);
        if (qualifier?.startsWith('·') && !/\d/.test(qualifier))
          assert.ok(qualifier.includes(m.artist.origin.split(', ').at(-1)!), `${c.name} holds ${m.artist.name}`);
      }
    }
  });
});
