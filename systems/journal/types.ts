/** A journal's input stars and lines, and the journal's shape as the room and the API answer it. */
import { z } from 'zod';
import { named, vec3Schema, type Vec3 } from '../shapes.js';
import type { StarConnection } from '../constellation/constellation.js';

export type { Vec3 };

const lineType = z.enum(['discovery_path', 'genre_similarity']);
const direction = z.enum(['Modern → Classic', 'Classic → Modern', 'Same era']);
export type Direction = z.infer<typeof direction>;

export interface JournalArtist {
  id: string;
  name: string;
  genres: readonly string[];
  /** "1970s–present"; the journal groups by decade. */
  era: string;
  /** "City, Country". */
  origin: string;
  /** MHz; null off air. */
  frequency: number | null;
  thumbnail: string;
}

export interface JournalStarInput {
  id: string;
  artist: JournalArtist;
  position: Vec3;
  capturedAt: string;
}

/** By artist id. */
export type JournalConnectionInput = StarConnection;

const shareFields = { count: z.number().int().min(0), percentage: z.number().int().min(0).max(100) };
const SHARE = 'Whole percent of all stars, rounded.';

export const journalStarSchema = named(
  z.object({
    id: z.string(),
    order: z.number().int().min(1),
    artist: named(
      z.object({
        id: z.string(),
        name: z.string(),
        thumbnail: z.string(),
        genre: z.string(),
        genres: z.array(z.string()),
        era: z.string(),
        region: z.string(),
        station: z.number().nullable(),
      }),
      'JournalArtist',
    ),
    position: vec3Schema,
    capturedAt: z.string(),
    glowColor: z
      .string()
      .regex(/^#[0-9A-F]{6}$/)
      .describe("The star's glow: its artist palette's orb colour."),
    size: z.number().positive().describe('1.0; 1.2 for an influence of a connected star whose career began 20+ years later.'),
  }),
  'JournalStar',
);

export const journalConnectionSchema = named(
  z.object({
    id: z.string(),
    fromStarId: z.string(),
    toStarId: z.string(),
    fromPosition: vec3Schema,
    toPosition: vec3Schema,
    strength: z.number(),
    type: lineType,
    style: z.enum(['solid', 'dashed']),
    color: z.string(),
    thickness: z.number().positive(),
  }),
  'JournalConnection',
  'A line between two stars: discovery paths are solid royal blue, genre similarities dashed purple; thickness in points from the strength (0.88 → 2.5, 0.95 → 3.0).',
);

export const journalLayoutSchema = named(
  z.object({
    boundingBox: named(z.object({ min: vec3Schema, max: vec3Schema }), 'BoundingBox'),
    center: vec3Schema,
    spread: z.number(),
    camera: named(z.object({ position: vec3Schema, lookAt: vec3Schema, fieldOfView: z.number(), suggestedZoom: z.number() }), 'JournalCamera'),
  }),
  'JournalLayout',
);

export const journalClusterSchema = named(
  z.object({ name: z.string(), stars: z.array(z.string()), center: vec3Schema, color: z.string() }),
  'JournalCluster',
  'Star ids in capture order, labelled "Modern Afrobeats" / "Classic Afrobeat" (distinct; docs/FEATURES.md "Constellation journal"); colour = the newest member\'s glow.',
);

export const journalRecommendationSchema = named(
  z.object({ artistId: z.string(), name: z.string(), reason: z.string(), station: z.number().nullable(), thumbnail: z.string() }),
  'JournalRecommendation',
  'An artist on the dial who shares genres with the constellation and is not in it.',
);

export const journalStatisticsSchema = named(
  z.object({
    totalStars: z.number().int().min(0),
    totalConnections: z.number().int().min(0),
    genreDistribution: z.array(named(z.object({ genre: z.string(), ...shareFields }), 'GenreShare', SHARE)),
    eraDistribution: z.array(named(z.object({ era: z.string(), ...shareFields }), 'EraShare', SHARE)),
    regionDistribution: z.array(named(z.object({ region: z.string(), ...shareFields }), 'RegionShare', SHARE)),
    discovery: named(
      z.object({
        /** Along connection lines; ties: toward older eras. */
        mostCommonDirection: direction.nullable(),
        transitions: z.number().int().min(0),
        /** "1970s"; null when no star has a known era. */
        deepestHistory: z.string().nullable(),
        /** Both counted (1970s…2010s → 5). */
        decadesSpanned: z.number().int().min(0),
      }),
      'DiscoveryStatistics',
    ),
    mostConnectedStar: named(z.object({ starId: z.string(), artistName: z.string(), connections: z.number().int().min(0) }), 'MostConnectedStar').nullable(),
    journey: named(
      z.object({
        firstStar: z.string().nullable(),
        newestStar: z.string().nullable(),
        firstCapturedAt: z.string().nullable(),
        latestCapturedAt: z.string().nullable(),
        /** One decimal, truncated. */
        timeSpanMinutes: z.number(),
        /** One decimal, truncated (159 s → 2.6). */
        avgCaptureIntervalMinutes: z.number(),
      }),
      'JourneyStatistics',
    ),
  }),
  'JournalStatistics',
);

export const journalSchema = named(
  z.object({
    stars: z.array(journalStarSchema),
    connections: z.array(journalConnectionSchema),
    layout: journalLayoutSchema,
    clusters: z.array(journalClusterSchema),
    statistics: journalStatisticsSchema,
    insights: z.array(z.string()),
    recommendations: z.array(journalRecommendationSchema),
  }),
  'JournalMessage',
);

export type JournalLayout = z.infer<typeof journalLayoutSchema>;
export type JournalCluster = z.infer<typeof journalClusterSchema>;
export type JournalStatistics = z.infer<typeof journalStatisticsSchema>;
export type JournalRecommendation = z.infer<typeof journalRecommendationSchema>;
export type Journal = z.infer<typeof journalSchema>;
