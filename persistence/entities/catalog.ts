import { defineEntity, p } from '@mikro-orm/postgresql';

/** A visual scene an artist's station plays in (seed 000 step 2). */
export const SceneSchema = defineEntity({
  name: 'Scene',
  tableName: 'scenes',
  properties: {
    id: p.text().primary(),
    name: p.text(),
    sceneType: p.text(),
    videoUrlHigh: p.text(),
    videoUrlMedium: p.text(),
    videoUrlLow: p.text(),
    loopPoint: p.double().$type<number>().default(0),
    particles: p.json<Record<string, unknown>>(),
    lighting: p.json<Record<string, unknown>>(),
    ambientSound: p.text().nullable(),
    hapticPattern: p.json<Array<Record<string, unknown>>>(),
  },
});
export class Scene extends SceneSchema.class {}
SceneSchema.setClass(Scene);

/** An artist and its station on the 88.1–107.9 MHz dial. */
export const ArtistSchema = defineEntity({
  name: 'Artist',
  tableName: 'artists',
  properties: {
    id: p.text().primary(),
    name: p.text(),
    // Null for artists reached only through orbs: the band holds 199 stations, a catalog far more.
    stationFrequency: p.decimal('number').precision(4).scale(1).unique().nullable(),
    genres: p.array(),
    era: p.text(),
    origin: p.text(),
    bio: p.text(),
    heroImage: p.text(),
    deepEtchedImage: p.text(),
    thumbnail: p.text(),
    scene: () => p.manyToOne(Scene).fieldName('scene_id'),
    // Step 9.4 and step 11: written by the popularity and influence jobs (SQL), read by their next runs.
    popularityScore: p.double().$type<number>().default(0),
    popularityUpdatedAt: p.datetime().nullable(),
    influenceGraphUpdatedAt: p.datetime().nullable(),
    totalInfluences: p.integer().default(0),
    // Step 14.4 "new artists": set by the database (default now()); null for artists older than the column.
    createdAt: p.datetime().nullable(),
  },
});
export class Artist extends ArtistSchema.class {}
ArtistSchema.setClass(Artist);

/** A related artist orbiting a source artist (seed 000 steps 2 and 11.e). */
export const InfluenceOrbSchema = defineEntity({
  name: 'InfluenceOrb',
  tableName: 'influence_orbs',
  properties: {
    id: p.text().primary(),
    source: () => p.manyToOne(Artist).fieldName('source_artist_id'),
    target: () => p.manyToOne(Artist).fieldName('target_artist_id'),
    relationshipType: p.text(),
    orbitRadius: p.double().$type<number>(),
    orbitSpeed: p.double().$type<number>(),
    startAngle: p.double().$type<number>(),
    inclination: p.double().$type<number>(),
    size: p.double().$type<number>(),
    glowColor: p.text(),
    influenceScore: p.double().$type<number>(),
    description: p.text(),
    // Step 11: how many sources named this relationship, and when the influence builder last wrote it.
    sourceCount: p.integer().default(1),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export class InfluenceOrb extends InfluenceOrbSchema.class {}
InfluenceOrbSchema.setClass(InfluenceOrb);

/** Catalog bookkeeping: `version` (bumped by every catalog write) and load markers such as `demo_catalog`. */
export const CatalogMetaSchema = defineEntity({
  name: 'CatalogMeta',
  tableName: 'catalog_meta',
  properties: {
    key: p.text().primary(),
    value: p.text(),
    // The database clock, like every catalog write.
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export class CatalogMeta extends CatalogMetaSchema.class {}
CatalogMetaSchema.setClass(CatalogMeta);
