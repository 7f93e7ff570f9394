import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { sqlFor, unitOfWork, type Sql } from '../db.js';
import type { Orm } from '../orm.js';
import { Artist, CatalogMeta, type Scene } from '../entities/catalog.js';
import type { Stored } from '../entities/index.js';
import { buildDemoCatalog, type CatalogRows } from './buildCatalog.js';
import { BUMP_CATALOG_VERSION, bumpCatalogVersion, insertCatalogRows } from './catalogEntities.js';

const DEMO_MARKER = 'demo_catalog';
/** The demo catalog's revision; a database at an older one is upgraded at boot (upgradeDemo). */
export const DEMO_REVISION = '3';

export interface StationListing {
  frequency: number;
  artistId: string;
}

export type ArtistRecord = Pick<Stored<Artist>, 'id' | 'name' | 'genres' | 'era' | 'origin' | 'bio' | 'heroImage' | 'deepEtchedImage' | 'thumbnail'> & {
  frequency: number | null;
  sceneId: string;
};

export type SceneRecord = Pick<Stored<Scene>, 'id' | 'name' | 'sceneType' | 'loopPoint' | 'particles' | 'lighting' | 'ambientSound' | 'hapticPattern'> & {
  videoUrls: { high: string; medium: string; low: string };
};

export interface OrbRecord {
  id: string;
  sourceArtistId: string;
  targetArtistId: string;
  targetName: string;
  targetFrequency: number | null;
  targetGenres: string[];
  thumbnail: string;
  relationship: string;
  radius: number;
  speed: number;
  startAngle: number;
  inclination: number;
  size: number;
  glowColor: string;
  influenceScore: number;
  description: string;
}

/** Everything a station shows: artist, scene, orbs, neighbours. Cached whole by {@link StationCache}. */
export interface StationRecord {
  artist: ArtistRecord;
  scene: SceneRecord;
  orbs: OrbRecord[];
  adjacent: { below: StationListing | null; above: StationListing | null };
}

const ARTIST_COLUMNS = `a.id, a.name, a.station_frequency::float8 AS frequency, a.genres, a.era, a.origin, a.bio,
  a.hero_image AS "heroImage", a.deep_etched_image AS "deepEtchedImage", a.thumbnail, a.scene_id AS "sceneId"`;

/**
 * Low-rate work through the EntityManager; station snapshots, capture-planner reads and bulk loads are SQL hot
 * paths, with lists as one JSON parameter (the driver expands JS arrays). Writes bump `catalog_meta.version`.
 */
export class CatalogRepository {
  private readonly sql: Sql;

  constructor(private readonly orm: Orm) {
    this.sql = sqlFor(orm);
  }

  /** Loads the demo catalog once; of two first boots, one loads and the other waits on the marker row. */
  async ensureDemoCatalog(): Promise<{ loaded: boolean; artists: number; orbs: number }> {
    const notLoaded = { loaded: false, artists: 0, orbs: 0 };
    const marker = await this.orm.em.fork().findOne(CatalogMeta, { key: DEMO_MARKER });
    if (marker) return marker.value === DEMO_REVISION ? notLoaded : this.upgradeDemo();
    const rows = buildDemoCatalog();
    try {
      await unitOfWork(this.orm, async (em) => {
        await em.insert(CatalogMeta, { key: DEMO_MARKER, value: DEMO_REVISION });
        await insertCatalogRows(em, rows);
        await bumpCatalogVersion(em);
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException && /catalog_meta_pkey/.test(err.message)) return notLoaded;
      throw err;
    }
    return { loaded: true, artists: rows.artists.length, orbs: rows.orbs.length };
  }

  /**
   * Upgrades an older demo catalog in one transaction under the marker row's lock: demo facts and looks rewritten,
   * images kept, orbs replaced and artists marked due so the influence builder redoes them.
   */
  private async upgradeDemo(): Promise<{ loaded: boolean; artists: number; orbs: number }> {
    const rows = buildDemoCatalog();
    return this.sql.transaction(async (tx) => {
      const [marker] = await tx.query<{ value: string }>(`SELECT value FROM catalog_meta WHERE key = ? FOR UPDATE`, [DEMO_MARKER]);
      if (marker?.value === DEMO_REVISION) return { loaded: false, artists: 0, orbs: 0 };
      const ids = JSON.stringify(rows.artists.map((a) => a.id));
      await tx.query(`DELETE FROM influence_orbs WHERE source_artist_id IN (SELECT jsonb_array_elements_text(?::jsonb))`, [ids]);
      const added = await insertRows(tx, rows);
      await tx.query(
        `UPDATE scenes s SET name = x.name, scene_type = x.scene_type, particles = x.particles, lighting = x.lighting, ambient_sound = x.ambient_sound, haptic_pattern = x.haptic_pattern
           FROM jsonb_to_recordset(?::jsonb) AS x(id text, name text, scene_type text, particles jsonb, lighting jsonb, ambient_sound text, haptic_pattern jsonb)
          WHERE s.id = x.id`,
        [JSON.stringify(rows.scenes)],
      );
      await tx.query(
        `UPDATE artists a SET genres = ARRAY(SELECT jsonb_array_elements_text(x.genres)), era = x.era, origin = x.origin, bio = x.bio, influence_graph_updated_at = NULL
           FROM jsonb_to_recordset(?::jsonb) AS x(id text, genres jsonb, era text, origin text, bio text)
          WHERE a.id = x.id`,
        [JSON.stringify(rows.artists)],
      );
      await tx.query(`UPDATE catalog_meta SET value = ?, updated_at = now() WHERE key = ?`, [DEMO_REVISION, DEMO_MARKER]);
      return { loaded: true, artists: added.artists, orbs: added.orbs };
    });
  }

  /** Inserts rows (existing ids are kept) and bumps the catalog version in one transaction: one statement per table (bulk loads). */
  async upsertRows(rows: CatalogRows): Promise<{ artists: number; orbs: number }> {
    return this.sql.transaction((tx) => insertRows(tx, rows));
  }

  /** All stations on the dial in ascending frequency: what momentum and lock-in snap to (read once per process). */
  async listStations(): Promise<StationListing[]> {
    const onAir = await this.orm.em
      .fork()
      .find(Artist, { stationFrequency: { $ne: null } }, { fields: ['id', 'stationFrequency'], orderBy: { stationFrequency: 'asc' } });
    return onAir.map((a) => ({ frequency: a.stationFrequency!, artistId: a.id }));
  }

  async artistById(id: string): Promise<ArtistRecord | null> {
    const [row] = await this.sql.query<ArtistRecord>(`SELECT ${ARTIST_COLUMNS} FROM artists a WHERE a.id = ?`, [id]);
    return row ?? null;
  }

  /** The given artists' current rows in one round trip (journal stars, share enrichment); unknown ids are absent. */
  async artistsByIds(ids: readonly string[]): Promise<Map<string, ArtistRecord>> {
    if (!ids.length) return new Map();
    const rows = await this.sql.query<ArtistRecord>(`SELECT ${ARTIST_COLUMNS} FROM artists a WHERE a.id IN (SELECT jsonb_array_elements_text(?::jsonb))`, [
      JSON.stringify(ids),
    ]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Artists on the dial with any of `genres` but not `except`, most popular first, at most `limit`: the journal's recommendation candidates. */
  async popularWithGenres(genres: readonly string[], except: readonly string[], limit: number): Promise<Array<ArtistRecord & { popularity: number }>> {
    if (!genres.length) return [];
    return this.sql.query(
      `SELECT ${ARTIST_COLUMNS}, a.popularity_score AS popularity FROM artists a
        WHERE a.station_frequency IS NOT NULL AND a.genres && ARRAY(SELECT jsonb_array_elements_text(?::jsonb))
          AND a.id NOT IN (SELECT jsonb_array_elements_text(?::jsonb))
        ORDER BY a.popularity_score DESC, a.station_frequency LIMIT ?::int`,
      [JSON.stringify(genres), JSON.stringify(except), limit],
    );
  }

  /** Genres of the given artists, for star connections. */
  genresOf(ids: string[]): Promise<Map<string, string[]>> {
    return genresOf(this.sql, ids);
  }

  /** Every orb pointing at `targetId`: source artist → relationship (StationService keeps them per target). */
  async incomingOrbs(targetId: string): Promise<Map<string, string>> {
    const rows = await this.sql.query<{ source: string; type: string }>(
      `SELECT source_artist_id AS source, relationship_type AS type FROM influence_orbs WHERE target_artist_id = ?`,
      [targetId],
    );
    return new Map(rows.map((r) => [r.source, r.type]));
  }

  /** Station snapshot by artist id (orb zooms land on artists that may have no station). */
  async stationForArtist(id: string): Promise<StationRecord | null> {
    const artist = await this.artistById(id);
    return artist ? this.assemble(artist) : null;
  }

  /** Station snapshot at a frequency, or null when no artist broadcasts there. */
  async stationAt(frequency: number): Promise<StationRecord | null> {
    const [artist] = await this.sql.query<ArtistRecord>(`SELECT ${ARTIST_COLUMNS} FROM artists a WHERE a.station_frequency = ?::numeric`, [
      frequency.toFixed(1),
    ]);
    return artist ? this.assemble(artist) : null;
  }

  private async assemble(artist: ArtistRecord): Promise<StationRecord> {
    const [scene] = await this.sql.query<SceneRecord & { high: string; medium: string; low: string }>(
      `SELECT id, name, scene_type AS "sceneType", video_url_high AS high, video_url_medium AS medium, video_url_low AS low,
        loop_point AS "loopPoint", particles, lighting, ambient_sound AS "ambientSound", haptic_pattern AS "hapticPattern"
       FROM scenes WHERE id = ?`,
      [artist.sceneId],
    );
    const orbs = await this.sql.query<OrbRecord>(
      `SELECT o.id, o.source_artist_id AS "sourceArtistId", o.target_artist_id AS "targetArtistId", t.name AS "targetName",
        t.station_frequency::float8 AS "targetFrequency", t.genres AS "targetGenres", t.thumbnail, o.relationship_type AS relationship,
        o.orbit_radius AS radius, o.orbit_speed AS speed, o.start_angle AS "startAngle", o.inclination, o.size,
        o.glow_color AS "glowColor", o.influence_score AS "influenceScore", o.description
       FROM influence_orbs o JOIN artists t ON t.id = o.target_artist_id
       WHERE o.source_artist_id = ? ORDER BY o.orbit_radius, o.id`,
      [artist.id],
    );
    const adjacent = artist.frequency === null ? { below: null, above: null } : await this.adjacent(artist.frequency);
    const { high, medium, low, ...rest } = scene;
    return { artist, scene: { ...rest, videoUrls: { high, medium, low } }, orbs, adjacent };
  }

  private async adjacent(frequency: number): Promise<StationRecord['adjacent']> {
    const next = async (op: '<' | '>', order: 'DESC' | 'ASC') => {
      const [row] = await this.sql.query<StationListing>(
        `SELECT station_frequency::float8 AS frequency, id AS "artistId" FROM artists WHERE station_frequency ${op} ?::numeric ORDER BY station_frequency ${order} LIMIT 1`,
        [frequency.toFixed(1)],
      );
      return row ?? null;
    };
    return { below: await next('<', 'DESC'), above: await next('>', 'ASC') };
  }
}

/** Artists' catalog genres; artists the catalog lacks are absent. */
export async function genresOf(sql: Sql, ids: readonly string[]): Promise<Map<string, string[]>> {
  if (!ids.length) return new Map();
  const rows = await sql.query<{ id: string; genres: string[] }>(`SELECT id, genres FROM artists WHERE id IN (SELECT jsonb_array_elements_text(?::jsonb))`, [
    JSON.stringify(ids),
  ]);
  return new Map(rows.map((r) => [r.id, r.genres]));
}

/** Bulk insert through jsonb_to_recordset: one statement per table whatever the row count. */
async function insertRows(tx: Sql, rows: CatalogRows): Promise<{ artists: number; orbs: number }> {
  await tx.query(
    `INSERT INTO scenes (id, name, scene_type, video_url_high, video_url_medium, video_url_low, loop_point, particles, lighting, ambient_sound, haptic_pattern)
     SELECT id, name, scene_type, video_url_high, video_url_medium, video_url_low, loop_point, particles, lighting, ambient_sound, haptic_pattern
     FROM jsonb_to_recordset(?::jsonb) AS x(id text, name text, scene_type text, video_url_high text, video_url_medium text, video_url_low text,
       loop_point float8, particles jsonb, lighting jsonb, ambient_sound text, haptic_pattern jsonb)
     ON CONFLICT (id) DO NOTHING`,
    [JSON.stringify(rows.scenes)],
  );
  const artists = await tx.query(
    `INSERT INTO artists (id, name, station_frequency, genres, era, origin, bio, hero_image, deep_etched_image, thumbnail, scene_id)
     SELECT id, name, station_frequency, ARRAY(SELECT jsonb_array_elements_text(genres)), era, origin, bio, hero_image, deep_etched_image, thumbnail, scene_id
     FROM jsonb_to_recordset(?::jsonb) AS x(id text, name text, station_frequency numeric, genres jsonb, era text, origin text, bio text,
       hero_image text, deep_etched_image text, thumbnail text, scene_id text)
     ON CONFLICT DO NOTHING RETURNING id`,
    [JSON.stringify(rows.artists)],
  );
  const orbs = await tx.query(
    `INSERT INTO influence_orbs (id, source_artist_id, target_artist_id, relationship_type, orbit_radius, orbit_speed, start_angle, inclination, size, glow_color, influence_score, description)
     SELECT id, source_artist_id, target_artist_id, relationship_type, orbit_radius, orbit_speed, start_angle, inclination, size, glow_color, influence_score, description
     FROM jsonb_to_recordset(?::jsonb) AS x(id text, source_artist_id text, target_artist_id text, relationship_type text, orbit_radius float8,
       orbit_speed float8, start_angle float8, inclination float8, size float8, glow_color text, influence_score float8, description text)
     ON CONFLICT DO NOTHING RETURNING id`,
    [JSON.stringify(rows.orbs)],
  );
  await tx.query(BUMP_CATALOG_VERSION);
  return { artists: artists.length, orbs: orbs.length };
}
