import { defineEntity, p } from '@mikro-orm/postgresql';

/** A visual scene an artist's station plays in (seed 000 step 2). */
export const SceneSchema = defineEntity({
  name: 'Scene',
  tableName: 'scenes',
  properties: {
    id: p.string().primary(),
    name: p.string(),
    sceneType: p.string(),
    videoUrlHigh: p.string(),
    videoUrlMedium: p.string(),
    videoUrlLow: p.string(),
    loopPoint: p.double().default(0),
    particles: p.json<Record<string, unknown>>(),
    lighting: p.json<Record<string, unknown>>(),
    ambientSound: p.string().nullable(),
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
    id: p.string().primary(),
    name: p.string(),
    // Null for artists reached only through orbs: the band holds 199 stations, a catalog far more.
    stationFrequency: p.decimal('number').precision(4).scale(1).unique().nullable(),
    genres: p.array(),
    era: p.string(),
    origin: p.string(),
    bio: p.text(),
    heroImage: p.string(),
    deepEtchedImage: p.string(),
    thumbnail: p.string(),
    scene: () => p.manyToOne(Scene).fieldName('scene_id'),
  },
});
export class Artist extends ArtistSchema.class {}
ArtistSchema.setClass(Artist);

/** A related artist orbiting a source artist (seed 000 steps 2 and 11.e). */
export const InfluenceOrbSchema = defineEntity({
  name: 'InfluenceOrb',
  tableName: 'influence_orbs',
  properties: {
    id: p.string().primary(),
    source: () => p.manyToOne(Artist).fieldName('source_artist_id'),
    target: () => p.manyToOne(Artist).fieldName('target_artist_id'),
    relationshipType: p.string(),
    orbitRadius: p.double(),
    orbitSpeed: p.double(),
    startAngle: p.double(),
    inclination: p.double(),
    size: p.double(),
    glowColor: p.string(),
    influenceScore: p.double(),
    description: p.text(),
  },
});
export class InfluenceOrb extends InfluenceOrbSchema.class {}
InfluenceOrbSchema.setClass(InfluenceOrb);
