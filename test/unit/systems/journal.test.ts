import assert from 'node:assert/strict';
import { buildJournal, cameraSetup, clusterCount, clusterName, connectionStyle, decadeOf, journalStatistics, type JournalConnectionInput, type JournalStarInput } from '../../../systems/journal.js';

// Seed 000 step 8: Wizkid → Burna Boy → Fela Kuti, captured at 14:23:15, 14:25:42, 14:28:33.
const at = (hms: string) => Date.parse(`2025-01-06T${hms}.000Z`);
const STARS: JournalStarInput[] = [
  { artistId: 'artist_wizkid', name: 'Wizkid', genres: ['Afrobeats'], era: '2010s', origin: 'Lagos, Nigeria', frequency: 99.9, thumbnail: 't1', position: { x: 0, y: 0, z: 0 }, capturedAtMs: at('14:23:15') },
  { artistId: 'artist_burna', name: 'Burna Boy', genres: ['Afrofusion'], era: '2010s', origin: 'Port Harcourt, Nigeria', frequency: 105.5, thumbnail: 't2', position: { x: 120, y: 80, z: -50 }, capturedAtMs: at('14:25:42') },
  { artistId: 'artist_fela', name: 'Fela Kuti', genres: ['Afrobeat'], era: '1970s', origin: 'Lagos, Nigeria', frequency: 102.7, thumbnail: 't3', position: { x: 40, y: 180, z: -80 }, capturedAtMs: at('14:28:33') },
];
const CONNECTIONS: JournalConnectionInput[] = [
  { from: 'artist_wizkid', to: 'artist_burna', strength: 0.88, type: 'discovery_path' },
  { from: 'artist_burna', to: 'artist_fela', strength: 0.95, type: 'discovery_path' },
  { from: 'artist_wizkid', to: 'artist_fela', strength: 0.72, type: 'genre_similarity' },
];
const GLOW: Record<string, string> = { artist_wizkid: '#FFD700', artist_burna: '#FF6B00', artist_fela: '#8B4513' };

describe('systems/journal: the constellation journal (seed 000 step 8)', () => {
  const journal = buildJournal({ stars: STARS, connections: CONNECTIONS, clusterOf: [0, 0, 1], glowOf: (id) => GLOW[id] });

  it('frames the camera as the seed does: box 0..120 × 0..180 × −80..0, centre (60, 90, −40), camera at z + 300, fov 45', () => {
    const cam = journal.cameraSetup;
    assert.deepEqual(cam.boundingBox, { min: { x: 0, y: 0, z: -80 }, max: { x: 120, y: 180, z: 0 } });
    assert.deepEqual(cam.lookAt, { x: 60, y: 90, z: -40 });
    assert.deepEqual(cam.position, { x: 60, y: 90, z: 260 });
    assert.equal(cam.fieldOfView, 45);
    assert.equal(cam.suggestedZoom, 216, 'the seed formula: max spread 180 × 1.2 (its example prints 144 = 120 × 1.2)');
    assert.equal(cameraSetup([]).boundingBox, null);
  });

  it('counts genres 33/33/33 and eras 2010s 67 / 1970s 33; journey: Wizkid first, Fela newest, 2.6-minute interval, back to the 1970s', () => {
    const s = journal.statistics;
    assert.equal(s.totalStars, 3);
    assert.deepEqual(s.genreDistribution, [{ genre: 'Afrobeats', count: 1, percentage: 33 }, { genre: 'Afrofusion', count: 1, percentage: 33 }, { genre: 'Afrobeat', count: 1, percentage: 33 }]);
    assert.deepEqual(s.eraDistribution, [{ era: '2010s', count: 2, percentage: 67 }, { era: '1970s', count: 1, percentage: 33 }]);
    assert.equal(s.journeyStats.firstStar, 'Wizkid');
    assert.equal(s.journeyStats.newestStar, 'Fela Kuti');
    assert.equal(s.journeyStats.deepestHistory, '1970s');
    assert.equal(s.journeyStats.avgCaptureInterval, '2.6 minutes', '5 min 18 s over 2 intervals = 2.65, truncated like the seed');
    assert.equal(s.journeyStats.timeSpan, '5.3 minutes');
    assert.equal(s.journeyStats.decadesSpanned, 5);
    assert.equal(s.discoveryDepth, 2);
    assert.deepEqual(s.regionDistribution[0], { region: 'Lagos, Nigeria', count: 2, percentage: 67 });
    assert.equal(s.mostConnectedStar?.name, 'Wizkid'); // 2 lines, first captured among the tied
  });

  it('k-means over 3 stars uses k = 2; clusters "Modern Afrobeats" [Wizkid, Burna] at (60, 40, −25) and "Classic Afrobeat" [Fela]', () => {
    assert.equal(clusterCount(3), 2);
    assert.deepEqual([1, 2, 8, 50, 200].map((n) => clusterCount(n)), [1, 1, 2, 5, 8]);
    assert.deepEqual(journal.clusters, [
      { name: 'Modern Afrobeats', stars: ['star_001', 'star_002'], center: { x: 60, y: 40, z: -25 }, color: '#FF6B00' },
      { name: 'Classic Afrobeat', stars: ['star_003'], center: { x: 40, y: 180, z: -80 }, color: '#8B4513' },
    ]);
    assert.equal(clusterName([STARS[2]]), 'Classic Afrobeat');
  });

  it('draws connections as the seed: discovery paths blue 2.5 and 3.0, the genre link dashed purple 1.5', () => {
    assert.deepEqual(journal.connections.map((c) => [c.fromStarId, c.toStarId, c.color, c.thickness, c.style]), [
      ['star_001', 'star_002', '#4169E1', 2.5, 'solid'],
      ['star_002', 'star_003', '#4169E1', 3, 'solid'],
      ['star_001', 'star_003', '#9370DB', 1.5, 'dashed'],
    ]);
    assert.deepEqual(connectionStyle({ strength: 1, type: 'discovery_path' }), { color: '#4169E1', thickness: 3, style: 'solid' });
  });

  it('sizes the classic star 1.2 and writes the seed insights', () => {
    assert.deepEqual(journal.stars.map((s) => [s.id, s.size, s.artist.station, s.glowColor]), [['star_001', 1, 99.9, '#FFD700'], ['star_002', 1, 105.5, '#FF6B00'], ['star_003', 1.2, 102.7, '#8B4513']]);
    assert.deepEqual(journal.insights, ["You're exploring the evolution of Afrobeat", 'From the original Shrine to Lagos street corners', '3 stars captured, spanning 5 decades']);
  });

  it('handles an empty constellation and reads decades from era labels', () => {
    const empty = buildJournal({ stars: [], connections: [], clusterOf: [] });
    assert.deepEqual([empty.stars, empty.clusters, empty.statistics.totalStars, empty.insights], [[], [], 0, ['Capture a station to place your first star']]);
    assert.deepEqual(['2010s', '2000s–present', '1970s–1990s', 'timeless'].map(decadeOf), [2010, 2000, 1970, null]);
    assert.equal(journalStatistics(STARS.slice(0, 1), []).journeyStats.avgCaptureInterval, null);
  });
});
