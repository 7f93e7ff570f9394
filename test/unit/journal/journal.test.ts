import assert from 'node:assert/strict';
import { starGlowColor } from '../../../systems/journal/style.js';
import { buildJournal, clusterCount, compareConstellations, type JournalConnectionInput, type JournalStarInput } from '../../../systems/journal/index.js';
import { clusterLabel, journalLayout, labelClusters } from '../../../systems/journal/layout.js';
import { journalStatistics } from '../../../systems/journal/statistics.js';

/** Seed 000 step 8: Wizkid, Burna Boy, Fela Kuti with the seed's positions, times and lines. */
const artist = (id: string, name: string, genre: string | string[], era: string, origin: string, frequency: number) => ({
  id,
  name,
  genres: typeof genre === 'string' ? [genre] : genre,
  era,
  origin,
  frequency,
  thumbnail: `cdn/${id}.png`,
});
const STARS: JournalStarInput[] = [
  {
    id: 'star_001',
    artist: artist('wizkid', 'Wizkid', 'Afrobeats', '2010s', 'Lagos, Nigeria', 99.9),
    position: { x: 0, y: 0, z: 0 },
    capturedAt: '2025-01-06T14:23:15.000Z',
  },
  {
    id: 'star_002',
    artist: artist('burna', 'Burna Boy', ['Afrofusion', 'Afrobeats'], '2010s', 'Port Harcourt, Nigeria', 105.5),
    position: { x: 120, y: 80, z: -50 },
    capturedAt: '2025-01-06T14:25:42.000Z',
  },
  {
    id: 'star_003',
    artist: artist('fela', 'Fela Kuti', 'Afrobeat', '1970s', 'Abeokuta, Nigeria', 102.7),
    position: { x: 40, y: 180, z: -80 },
    capturedAt: '2025-01-06T14:28:33.000Z',
  },
];
const LINES: JournalConnectionInput[] = [
  { from: 'wizkid', to: 'burna', strength: 0.88, type: 'discovery_path' },
  { from: 'burna', to: 'fela', strength: 0.95, type: 'discovery_path' },
  { from: 'wizkid', to: 'fela', strength: 0.72, type: 'genre_similarity' },
];

describe('journal (seed 000 step 8)', () => {
  it('statistics: 3 stars, genres 33 % each, eras 2010s 67 % / 1970s 33 %, 2.6 min between captures', () => {
    const s = journalStatistics(STARS, LINES);
    assert.equal(s.totalStars, 3);
    assert.deepEqual(s.genreDistribution, [
      { genre: 'Afrobeats', count: 1, percentage: 33 },
      { genre: 'Afrofusion', count: 1, percentage: 33 },
      { genre: 'Afrobeat', count: 1, percentage: 33 },
    ]);
    assert.deepEqual(s.eraDistribution, [
      { era: '2010s', count: 2, percentage: 67 },
      { era: '1970s', count: 1, percentage: 33 },
    ]);
    assert.deepEqual(s.regionDistribution, [{ region: 'Nigeria', count: 3, percentage: 100 }]);
    // "Most common path direction: Modern → Classic (2 transitions)", "Deepest historical reach: 1970s".
    assert.deepEqual(s.discovery, { mostCommonDirection: 'Modern → Classic', transitions: 2, deepestHistory: '1970s', decadesSpanned: 5 });
    assert.equal(s.journey.firstStar, 'Wizkid');
    assert.equal(s.journey.newestStar, 'Fela Kuti');
    assert.equal(s.journey.avgCaptureIntervalMinutes, 2.6);
    // 14:23:15 → 14:28:33 is 5 min 18 s (the seed's sample response says "15 minutes", which its own times contradict).
    assert.equal(s.journey.timeSpanMinutes, 5.3);
    assert.equal(s.mostConnectedStar?.artistName, 'Wizkid', 'every star has 2 lines: the earliest capture wins the tie');
  });

  it('most connected counts the stars a star is linked to, not its links: a pair linked twice (path and genre, or back) counts once', () => {
    const tony = { ...STARS[2], id: 'star_004', artist: artist('tony', 'Tony Allen', 'Afrobeat', '1970s', 'Lagos, Nigeria', 101.1) };
    const links: JournalConnectionInput[] = [
      { from: 'wizkid', to: 'burna', strength: 0.88, type: 'discovery_path' },
      { from: 'wizkid', to: 'fela', strength: 0.72, type: 'genre_similarity' },
      { from: 'wizkid', to: 'tony', strength: 0.7, type: 'genre_similarity' },
      { from: 'burna', to: 'fela', strength: 0.95, type: 'discovery_path' },
      { from: 'fela', to: 'burna', strength: 0.95, type: 'discovery_path' },
      { from: 'burna', to: 'fela', strength: 0.8, type: 'genre_similarity' },
    ];
    assert.deepEqual(journalStatistics([...STARS, tony], links).mostConnectedStar, { starId: 'star_001', artistName: 'Wizkid', connections: 3 });
  });

  it('layout: bounding box, centre (60, 90, -40), camera 300 behind it with a 45° field of view', () => {
    const l = journalLayout(STARS.map((s) => s.position));
    assert.deepEqual(l.boundingBox, { min: { x: 0, y: 0, z: -80 }, max: { x: 120, y: 180, z: 0 } });
    assert.deepEqual(l.center, { x: 60, y: 90, z: -40 });
    assert.deepEqual(l.camera.position, { x: 60, y: 90, z: 260 });
    assert.deepEqual(l.camera.lookAt, { x: 60, y: 90, z: -40 });
    assert.equal(l.camera.fieldOfView, 45);
    // The seed's formula: spread = max(120, 180, 80) = 180, zoom = spread × 1.2 (its sample shows 144 = 120 × 1.2).
    assert.equal(l.spread, 180);
    assert.equal(l.camera.suggestedZoom, 216);
  });

  it("k rule: 2 clusters for the seed's 3 stars, ⌈√(n/2)⌉ in general, never more than n", () => {
    assert.deepEqual([0, 1, 2, 3, 8, 9, 200].map(clusterCount), [0, 1, 1, 2, 2, 3, 10]);
  });

  it('labels: [Wizkid, Burna Boy] → "Modern Afrobeats" centred (60, 40, -25); [Fela Kuti] → "Classic Afrobeat"', () => {
    const clusters = labelClusters(STARS, [0, 0, 1]);
    assert.deepEqual(
      clusters.map(({ name, stars, center }) => ({ name, stars, center })),
      [
        { name: 'Modern Afrobeats', stars: ['star_001', 'star_002'], center: { x: 60, y: 40, z: -25 } },
        { name: 'Classic Afrobeat', stars: ['star_003'], center: { x: 40, y: 180, z: -80 } },
      ],
    );
    assert.deepEqual(
      clusters.map((c) => c.color),
      [starGlowColor('burna'), starGlowColor('fela')],
      "seed 8: a cluster takes its newest member's glow",
    );
    assert.equal(clusterLabel([STARS[2], STARS[1]]), 'Afrobeat & Afrofusion', 'true of both; no era word across the 1970s and 2010s');
    assert.deepEqual(
      labelClusters([STARS[0], STARS[1]], [0, 1]).map((c) => c.name),
      ['Modern Afrobeats', 'Modern Afrofusion'],
    );
    const same = labelClusters([STARS[0], { ...STARS[1], artist: { ...STARS[1].artist, genres: ['Afrobeats'] } }], [0, 1]);
    assert.deepEqual(
      same.map((c) => c.name),
      ['Modern Afrobeats around Wizkid', 'Modern Afrobeats around Burna Boy'],
      'same region and decade: the first member tells them apart, never a number',
    );
    // Fela Kuti (1970s Afrobeat) among three Afrobeats stars names his genre too and takes the era word away; two
    // "Modern Afrobeats" groups from Nigeria are told apart by decades true of all their members.
    const afrobeats = (id: string, name: string, era: string) => ({ ...STARS[0], id: `star_${id}`, artist: { ...STARS[0].artist, id, name, era } });
    const mixed = labelClusters(
      [
        STARS[2],
        afrobeats('tiwa', 'Tiwa Savage', '2010s'),
        afrobeats('rema', 'Rema', '2020s'),
        afrobeats('ayra', 'Ayra Starr', '2020s'),
        STARS[0],
        afrobeats('tems', 'Tems', '2010s'),
      ],
      [0, 1, 2, 2, 1, 1],
    );
    assert.deepEqual(
      mixed.map((c) => c.name),
      ['Classic Afrobeat', 'Modern Afrobeats · 2010s', 'Modern Afrobeats · 2020s'],
    );
    assert.equal(clusterLabel([STARS[0], STARS[2]]), 'Afrobeats & Afrobeat');
  });

  it('insights: evolution of Afrobeat, oldest to newest, "3 stars captured, spanning 5 decades"', () => {
    const j = buildJournal(STARS, LINES, [0, 0, 1]);
    assert.deepEqual(j.insights, [
      "You're exploring the evolution of Afrobeat",
      "From Fela Kuti's 1970s to Wizkid's 2010s",
      '3 stars captured, spanning 5 decades',
    ]);
    assert.deepEqual(buildJournal([STARS[0]], [], [0]).insights, ["You're deep in Afrobeats", '1 star captured, spanning 1 decade']);
  });

  it('insights by majority: two House stars of six are not "the evolution of House"', () => {
    const six: JournalStarInput[] = [
      ['frankie', 'Frankie Knuckles', 'House', '1980s'],
      ['larry', 'Larry Heard', 'House', '1980s'],
      ['nina', 'Nina Simone', 'Jazz', '1960s'],
      ['wizkid', 'Wizkid', 'Afrobeats', '2010s'],
      ['sade', 'Sade', 'Soul', '1980s'],
      ['fela', 'Fela Kuti', 'Afrobeat', '1970s'],
    ].map(([id, name, genre, era], i) => ({ ...STARS[0], id: `s${i}`, artist: artist(id, name, genre, era, 'Lagos, Nigeria', 90 + i) }));
    // Afrobeats + Afrobeat are one family (2), House 2: no majority either way.
    assert.equal(
      buildJournal(
        six,
        [],
        six.map(() => 0),
      ).insights[0],
      "You're ranging across Afrobeat, House and Jazz",
    );
    const mostlyHouse = [
      ...six.slice(0, 2),
      { ...six[2], artist: { ...six[2].artist, genres: ['House'], era: '1990s' } },
      { ...six[4], artist: { ...six[4].artist, genres: ['House'] } },
    ];
    assert.equal(
      buildJournal(
        mostlyHouse,
        [],
        mostlyHouse.map(() => 0),
      ).insights[0],
      "You're exploring the evolution of House",
    );
    assert.deepEqual(buildJournal([], [], []).insights, ['Capture your first star to start your constellation']);
  });

  it('journal: stars in capture order with artist data, lines between star ids, dashed genre similarity', () => {
    const j = buildJournal(STARS, [...LINES, { from: 'wizkid', to: 'not-a-star', strength: 0.5, type: 'discovery_path' }], [0, 0, 1]);
    assert.deepEqual(
      j.stars.map((s) => [s.order, s.artist.name, s.artist.station, s.artist.era]),
      [
        [1, 'Wizkid', 99.9, '2010s'],
        [2, 'Burna Boy', 105.5, '2010s'],
        [3, 'Fela Kuti', 102.7, '1970s'],
      ],
    );
    assert.equal(j.connections.length, 3, 'a line to an artist who is not a star is left out');
    assert.deepEqual(j.connections[2], {
      id: 'connection_003',
      fromStarId: 'star_001',
      toStarId: 'star_003',
      fromPosition: { x: 0, y: 0, z: 0 },
      toPosition: { x: 40, y: 180, z: -80 },
      strength: 0.72,
      type: 'genre_similarity',
      style: 'dashed',
      color: '#9370DB',
      thickness: 1.5,
    });
    assert.deepEqual(
      j.connections.map((c) => [c.color, c.thickness]),
      [
        ['#4169E1', 2.5],
        ['#4169E1', 3],
        ['#9370DB', 1.5],
      ],
      "seed 8's three lines",
    );
    assert.deepEqual(
      j.stars.map((s) => s.size),
      [1, 1, 1.2],
      'seed 8: Fela Kuti slightly larger (influential)',
    );
    assert.equal(j.connections[0].style, 'solid');
  });
});

describe('share comparison (seed 000 step 16.5)', () => {
  const shared = STARS.map((s) => ({ artistId: s.artist.id, name: s.artist.name }));
  it('a viewer with Wizkid: overlap 1, similarity 0.33, Burna Boy first among what the viewer lacks', () => {
    const c = compareConstellations(shared, ['wizkid']);
    assert.equal(c.overlapCount, 1);
    assert.equal(c.similarityScore, 0.33);
    assert.deepEqual(c.recommendations, [
      { artistId: 'burna', artist: 'Burna Boy', reason: 'In shared constellation but not yours' },
      { artistId: 'fela', artist: 'Fela Kuti', reason: 'In shared constellation but not yours' },
    ]);
    assert.equal(c.uniqueToSharedCount, 2);
    assert.equal(c.uniqueToViewerCount, 0);
  });
  it('divides by the larger constellation and recommends at most five', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ artistId: `a${i}`, name: `A${i}` }));
    const c = compareConstellations(many, ['a0', 'a1', 'x', 'y']);
    assert.equal(c.similarityScore, 0.25);
    assert.equal(c.uniqueToViewerCount, 2);
    assert.deepEqual(
      c.recommendations.map((r) => r.artistId),
      ['a2', 'a3', 'a4', 'a5', 'a6'],
    );
    assert.equal(compareConstellations([], []).similarityScore, 0);
  });
});
