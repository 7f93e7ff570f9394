/**
 * The catalog through the EntityManager: the demo catalog loads this way; synthetic 2,000-artist chunks stay on
 * CatalogRepository.upsertRows (BENCHMARKS.md "ORM or SQL").
 */
import { raw, type EntityManager } from '@mikro-orm/postgresql';
import { Artist, CatalogMeta, InfluenceOrb, Scene } from '../entities/catalog.js';
import type { CatalogRows } from './buildCatalog.js';

/** Scenes, then artists, then orbs (foreign keys), inside the caller's unit of work; no flush (it turns on promise hooks). */
export async function insertCatalogRows(em: EntityManager, rows: CatalogRows): Promise<void> {
  if (rows.scenes.length) await em.insertMany(Scene, rows.scenes.map(sceneData));
  if (rows.artists.length) await em.insertMany(Artist, rows.artists.map(artistData));
  if (rows.orbs.length) await em.insertMany(InfluenceOrb, rows.orbs.map(orbData));
}

type Row<K extends keyof CatalogRows> = CatalogRows[K][number];

const sceneData = (s: Row<'scenes'>) => ({
  id: s.id,
  name: s.name,
  sceneType: s.scene_type,
  videoUrlHigh: s.video_url_high,
  videoUrlMedium: s.video_url_medium,
  videoUrlLow: s.video_url_low,
  loopPoint: s.loop_point,
  particles: s.particles,
  lighting: s.lighting,
  ambientSound: s.ambient_sound,
  hapticPattern: s.haptic_pattern,
});

const artistData = (a: Row<'artists'>) => ({
  id: a.id,
  name: a.name,
  stationFrequency: a.station_frequency,
  genres: a.genres,
  era: a.era,
  origin: a.origin,
  bio: a.bio,
  heroImage: a.hero_image,
  deepEtchedImage: a.deep_etched_image,
  thumbnail: a.thumbnail,
  scene: a.scene_id,
});

const orbData = (o: Row<'orbs'>) => ({
  id: o.id,
  source: o.source_artist_id,
  target: o.target_artist_id,
  relationshipType: o.relationship_type,
  orbitRadius: o.orbit_radius,
  orbitSpeed: o.orbit_speed,
  startAngle: o.start_angle,
  inclination: o.inclination,
  size: o.size,
  glowColor: o.glow_color,
  influenceScore: o.influence_score,
  description: o.description,
});

/** `version` 1 on the first catalog write, +1 on every later one; atomic, so concurrent writers never lose a bump. */
export async function bumpCatalogVersion(em: EntityManager): Promise<void> {
  await em
    .createQueryBuilder(CatalogMeta)
    .insert({ key: 'version', value: '1' })
    .onConflict('key')
    .merge({ value: raw('(catalog_meta.value::bigint + 1)::text'), updatedAt: raw('now()') })
    .execute();
}
