/** Catalog rules: video tier, relationship type, genre overlap, influence score, orb size and colour. */

import { z } from 'zod';
import { named } from '../shapes.js';
import type { RelationshipType } from '../session/orbits.js';

export type { RelationshipType };

export type VideoTier = 'high' | 'medium' | 'low';

const HIGH_TIER_MODELS = new Set(['iPhone17,1', 'iPhone17,2', 'iPhone17,3', 'iPhone17,4', 'iPhone16,1', 'iPhone16,2']);
const MEDIUM_TIER_MODELS = new Set(['iPhone13,1', 'iPhone13,2', 'iPhone13,3', 'iPhone13,4', 'iPhone14,2', 'iPhone14,3', 'iPhone15,2', 'iPhone15,3']);

/** Newest devices high, a known middle set medium, anything else low. */
export function videoTierFor(deviceModel: string | undefined): VideoTier {
  if (!deviceModel) return 'low';
  if (HIGH_TIER_MODELS.has(deviceModel)) return 'high';
  if (MEDIUM_TIER_MODELS.has(deviceModel)) return 'medium';
  return 'low';
}

/** 1958 → 1950. */
export function eraDecade(since: number): number {
  return Math.floor(since / 10) * 10;
}

/** Same era and closer than this on the dial is a peer, else a contemporary. */
export const PEER_MAX_DISTANCE_MHZ = 5;

/** By start year (or decade): earlier is an ancestor, later influenced; the same era by dial distance; unknown: contemporary. */
export function relationshipFor(sourceSince: number | null, targetSince: number | null, dialDistanceMhz: number): RelationshipType {
  if (sourceSince === null || targetSince === null) return 'contemporary';
  const source = eraDecade(sourceSince);
  const target = eraDecade(targetSince);
  if (target < source) return 'ancestor';
  if (target > source) return 'influenced';
  return dialDistanceMhz < PEER_MAX_DISTANCE_MHZ ? 'peer' : 'contemporary';
}

/** Clamped to [0, 1]; the station term is capped where stations coincide. */
export function influenceScore(confidence: number, genreSimilarity: number, stationDistance: number, sourceCount: number): number {
  const proximity = stationDistance > 0 ? Math.min(1, 1 / stationDistance) : 1;
  const score = confidence * 0.4 + genreSimilarity * 0.3 + proximity * 0.2 + Math.min(1, sourceCount / 3) * 0.1;
  return Math.max(0, Math.min(1, score));
}

/** 50–80 px by score. */
export function orbSize(score: number): number {
  return Math.round(50 + score * 30);
}

export const ORB_COLOURS: Readonly<Record<RelationshipType, string>> = {
  ancestor: '#FFD700',
  influence: '#9370DB',
  peer: '#00CED1',
  contemporary: '#32CD32',
  collaborator: '#FF8C00',
  influenced: '#FF69B4',
};

/** A tap (`transient`) or a buzz (`continuous`, with a duration). */
export const hapticEventSchema = named(
  z.object({
    type: z.enum(['transient', 'continuous']),
    /** Seconds from the pattern's start. */
    time: z.number().min(0),
    /** Seconds; `continuous` only. */
    duration: z.number().min(0).optional(),
    intensity: z.number().min(0).max(1),
    sharpness: z.number().min(0).max(1).optional(),
  }),
  'HapticEvent',
  'One Core Haptics event: time and duration in seconds, intensity and sharpness 0..1 (CHHapticEvent parameters).',
);
export const hapticPatternSchema = named(z.array(hapticEventSchema).max(32), 'HapticPattern', "The station scene's lock pattern, played when the dial locks.");
export type HapticEventRecord = z.infer<typeof hapticEventSchema>;
