import assert from 'node:assert/strict';
import { buildDemoCatalog } from '../../persistence/catalog/buildCatalog.js';
import { DEMO_ARTISTS, SEED_RELATIONSHIPS } from '../../persistence/catalog/demoArtists.js';
import { DEFAULT_MAX_ORBS } from '../../systems/influence/influence.js';
import { decadeOf } from '../../systems/discovery/search.js';
import { useServer } from '../support/serverProcess.js';
import { useTestDatabase } from '../support/db.js';
import { CatalogRepository, DEMO_REVISION } from '../../persistence/catalog/CatalogRepository.js';
import { nextMessage } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

/**
 * The demo catalog as an audit found it: 45 stations, so Galaxy Master (50 stars) could never be earned;
 * Fela Kuti's era "1950s–present" (seed 000: "1970s-1990s", the journal's "1970s"); Nina Simone's
 * "1950s–present" (seed 13: "1960s") with orbs guessed from genres (Femi Kuti and Tony Allen "influenced"
 * by her); Burna Boy in Fela's Shrine look instead of the seed's own (smoke 500, rise 1.2, #808080→#404040).
 */
describe('issue: the demo catalog reaches every badge and says true things', () => {
  const catalog = buildDemoCatalog();
  const artist = (id: string) => catalog.artists.find((a) => a.id === id)!;
  const scene = (artistId: string) => catalog.scenes.find((s) => s.id === artist(artistId).scene_id)!;
  const orbsOf = (id: string) => catalog.orbs.filter((o) => o.source_artist_id === id);

  it('more than 50 stations, each frequency once, in the band, the seed 3 stretch 104.2–105.4 empty and Wizkid between 98.9 and 100.9', () => {
    const frequencies = catalog.artists.map((a) => a.station_frequency).filter((f): f is number => f !== null);
    assert.ok(frequencies.length > 50, `${frequencies.length} stations`);
    assert.equal(frequencies.length, DEMO_ARTISTS.length);
    assert.equal(new Set(frequencies).size, frequencies.length);
    assert.ok(frequencies.every((f) => f >= 87.5 && f <= 108 && Math.round(f * 10) === f * 10));
    assert.deepEqual(
      frequencies.filter((f) => f >= 104.2 && f <= 105.4),
      [],
    );
    const sorted = [...frequencies].sort((a, b) => a - b);
    const wizkid = sorted.indexOf(99.9);
    assert.deepEqual([sorted[wizkid - 1], sorted[wizkid + 1]], [98.9, 100.9], "seed 2.7's preload_adjacent");
  });

  it('eras as the seed writes them: Fela Kuti 1970s–1990s, Nina Simone 1960s, Wizkid and Burna Boy 2010s', () => {
    assert.equal(artist('artist_fela_kuti').era, '1970s–1990s');
    assert.equal(artist('artist_nina_simone').era, '1960s');
    assert.equal(decadeOf(artist('artist_wizkid').era), '2010s');
    assert.equal(decadeOf(artist('artist_burna_boy').era), '2010s');
    for (const a of catalog.artists) assert.match(a.era, /^\d{3}0s(–(\d{3}0s|present))?$/, a.name);
    for (const a of DEMO_ARTISTS)
      assert.ok(Number(decadeOf(a.era).slice(0, 4)) >= Math.floor(a.since / 10) * 10, `${a.name}: an era starts no earlier than the career`);
  });

  it("Burna Boy's scene is the seed's Shrine (smoke 500, rise 1.2, #808080 → #404040); Fela Kuti's the original Shrine", () => {
    assert.deepEqual(scene('artist_burna_boy').particles, { type: 'smoke', count: 500, rise_speed: 1.2, color_start: '#808080', color_end: '#404040' });
    assert.equal(scene('artist_burna_boy').scene_type, 'shrine');
    assert.deepEqual(scene('artist_fela_kuti').particles, {
      type: 'smoke',
      count: 800,
      rise_speed: 0.8,
      turbulence: 1.5,
      color_start: '#696969',
      color_end: '#2F4F4F',
    });
    assert.deepEqual(scene('artist_fela_kuti').lighting, { ambient_color: '#8B4513', intensity: 0.7, spotlight_angle: 45 });
    assert.equal(scene('artist_fela_kuti').scene_type, 'shrine_original');
    assert.equal(scene('artist_nina_simone').scene_type, 'jazz_club', 'seed 13: scene_preview jazz_club_low.mp4');
  });

  it("Nina Simone's orbs are her documented relations, the strongest eight of twelve", () => {
    const documented = SEED_RELATIONSHIPS.filter(([source]) => source === 'Nina Simone').map(
      ([, target]) =>
        `artist_${target
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '_')
          .replace(/_$/, '')}`,
    );
    assert.equal(documented.length, 12);
    const orbs = orbsOf('artist_nina_simone');
    assert.equal(orbs.length, DEFAULT_MAX_ORBS);
    for (const o of orbs) assert.ok(documented.includes(o.target_artist_id), `${o.target_artist_id} is documented`);
    assert.ok(
      orbs.every((o) => o.description.length > 0 && !/pushing/.test(o.description)),
      'curated descriptions',
    );
    assert.ok(!orbs.some((o) => ['artist_femi_kuti', 'artist_tony_allen'].includes(o.target_artist_id)));
    const billie = orbs.find((o) => o.target_artist_id === 'artist_billie_holiday');
    assert.equal(billie?.relationship_type, 'ancestor');
  });

  it('every curated relation names two catalog artists; no artist has more than the orb cap', () => {
    const names = new Set(DEMO_ARTISTS.map((a) => a.name));
    for (const [source, target] of SEED_RELATIONSHIPS) assert.ok(names.has(source) && names.has(target), `${source} → ${target}`);
    for (const a of catalog.artists) assert.ok(orbsOf(a.id).length <= DEFAULT_MAX_ORBS, a.name);
  });
});

describe('issue: Galaxy Master (50 stars) can be earned in the demo catalog', function () {
  this.timeout(60_000);
  const running = useServer({ CLIENT_MESSAGE_RATE: '200', PASSPORT_FLUSH_MS: '10' });

  it('capturing 50 stations in a row earns Constellation Builder at 10 and Galaxy Master at 50', async () => {
    const { room } = await joinSession(running().server.baseUrl);
    const ids = [...DEMO_ARTISTS]
      .sort((a, b) => a.frequency - b.frequency)
      .map(
        (a) =>
          `artist_${a.name
            .normalize('NFD')
            .replace(/[\u0300-\u036f]/g, '')
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '_')
            .replace(/^_|_$/g, '')}`,
      );
    const earned = new Map<number, string[]>();
    for (const artistId of ids.slice(0, 50)) {
      const captured = nextMessage(room, 'captured');
      room.send('capture', { artistId });
      const reply = await captured;
      assert.equal(reply.alreadyCaptured, false, artistId);
      if (reply.badgesEarned.length) earned.set(reply.totalStars, reply.badgesEarned);
      if (reply.totalStars === 50) assert.equal(reply.nextMilestone, null);
    }
    assert.deepEqual(
      [...earned],
      [
        [1, ['First Star']],
        [10, ['Constellation Builder']],
        [50, ['Galaxy Master']],
      ],
    );
    const [row] = await running().db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM user_badges WHERE badge = 'Galaxy Master'`);
    assert.equal(row.n, 1);
    await leaveQuietly(room);
  });
});

describe('issue: a database loaded with the older demo catalog is brought up to date at boot', function () {
  this.timeout(30_000);
  const database = useTestDatabase();

  it('adds the new stations, rewrites facts and looks, keeps images, replaces demo orbs; once', async () => {
    const { sql, orm } = database();
    assert.equal((await new CatalogRepository(orm).ensureDemoCatalog()).loaded, true);
    // Make it the revision-1 catalog as far as the audit saw it.
    await sql.query(`UPDATE catalog_meta SET value = '1' WHERE key = 'demo_catalog'`);
    await sql.query(`DELETE FROM artists WHERE id IN ('artist_billie_holiday', 'artist_jay_z')`);
    await sql.query(
      `UPDATE artists SET era = '1950s–present', hero_image = '/api/artists/artist_fela_kuti/image?size=hero', influence_graph_updated_at = now() WHERE id = 'artist_fela_kuti'`,
    );
    await sql.query(`UPDATE scenes SET particles = '{"type":"smoke","count":800}' WHERE id = 'scene_burna_boy'`);
    await sql.query(`INSERT INTO influence_orbs (id, source_artist_id, target_artist_id, relationship_type, orbit_radius, orbit_speed, start_angle, inclination, size, glow_color, influence_score, description)
                     VALUES ('orb_nina_simone__femi_kuti', 'artist_nina_simone', 'artist_femi_kuti', 'influenced', 100, 0.5, 0, -20, 60, '#fff', 0.6, 'a genre guess')`);
    const version = async () => (await sql.query<{ value: string }>(`SELECT value FROM catalog_meta WHERE key = 'version'`))[0].value;
    const before = await version();

    const upgraded = await new CatalogRepository(orm).ensureDemoCatalog();
    assert.equal(upgraded.loaded, true);
    assert.equal(upgraded.artists, 2, 'Billie Holiday and Jay-Z are back');
    const [fela] = await sql.query<{ era: string; hero: string; due: boolean }>(
      `SELECT era, hero_image AS hero, influence_graph_updated_at IS NULL AS due FROM artists WHERE id = 'artist_fela_kuti'`,
    );
    assert.deepEqual(fela, { era: '1970s–1990s', hero: '/api/artists/artist_fela_kuti/image?size=hero', due: true });
    const [burna] = await sql.query<{ particles: unknown }>(`SELECT particles FROM scenes WHERE id = 'scene_burna_boy'`);
    assert.deepEqual(burna.particles, { type: 'smoke', count: 500, rise_speed: 1.2, color_start: '#808080', color_end: '#404040' });
    const nina = await sql.query<{ target: string }>(
      `SELECT target_artist_id AS target FROM influence_orbs WHERE source_artist_id = 'artist_nina_simone' ORDER BY 1`,
    );
    assert.deepEqual(
      nina.map((o) => o.target),
      buildDemoCatalog()
        .orbs.filter((o) => o.source_artist_id === 'artist_nina_simone')
        .map((o) => o.target_artist_id)
        .sort(),
    );
    const [{ n }] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM artists`);
    assert.equal(n, DEMO_ARTISTS.length);
    assert.notEqual(await version(), before, 'station caches see a new catalog version');
    assert.equal((await sql.query<{ value: string }>(`SELECT value FROM catalog_meta WHERE key = 'demo_catalog'`))[0].value, DEMO_REVISION);
    assert.deepEqual(await new CatalogRepository(orm).ensureDemoCatalog(), { loaded: false, artists: 0, orbs: 0 }, 'once');
  });
});
