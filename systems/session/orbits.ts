/**
 * Influence-orb layout and orbital motion. Angles in degrees, orbit speed in RADIANS PER SECOND (0.2–0.5: one
 * revolution every 31 s down to 12.6 s, calm motion). Three rings ({@link RING_OF}): ancestors behind and above;
 * peers level (collaborators work alongside, and an `influence` orb sits at the peers' radius); contemporaries and
 * influenced in front and below (they come after the source, as in the constellation).
 */
import { vec3 } from 'gl-matrix';
import { AppError } from '../errors.js';

/** A relationship (target relative to source) → its ring; in the order RELATIONSHIP_TYPES lists them. */
export const RING_OF = Object.freeze({
  ancestor: 'ancestors',
  influence: 'peers',
  peer: 'peers',
  contemporary: 'contemporaries',
  collaborator: 'peers',
  influenced: 'contemporaries',
} as const);
export type RelationshipType = keyof typeof RING_OF;
export type OrbitRing = (typeof RING_OF)[RelationshipType];
export const RELATIONSHIP_TYPES = Object.freeze(Object.keys(RING_OF) as RelationshipType[]);

export class OrbitError extends AppError<'UNKNOWN_RELATIONSHIP' | 'INVALID_DT' | 'INVALID_ORBIT'> {}

export interface OrbInfluence {
  readonly id: string;
  readonly relationshipType: string;
}

export interface OrbConfig {
  readonly id: string;
  readonly relationshipType: RelationshipType;
  readonly ring: OrbitRing;
  readonly orbitRadius: number;
  /** Radians per second. */
  readonly orbitSpeed: number;
  /** Degrees in [0, 360). */
  readonly startAngle: number;
  /** Degrees; positive tilts the orbit up. */
  readonly inclination: number;
}

/** Deterministic on the server clock, so never streamed: angle = `startAngle + speed · elapsed` (docs/PROTOCOL.md). */
export interface Orbit {
  /** Degrees at elapsed = 0. */
  startAngle: number;
  radius: number;
  /** Degrees. */
  inclination: number;
  /** Radians per second (negative orbits backwards). */
  speed: number;
}

const DEG_PER_RAD = 180 / Math.PI;
const RAD_PER_DEG = Math.PI / 180;
export function isRelationshipType(type: string): type is RelationshipType {
  return Object.prototype.hasOwnProperty.call(RING_OF, type);
}

/** Throws UNKNOWN_RELATIONSHIP. */
export function ringOf(type: string): OrbitRing {
  if (!isRelationshipType(type))
    throw new OrbitError('UNKNOWN_RELATIONSHIP', `Unknown relationship type '${type}': expected one of ${RELATIONSHIP_TYPES.join(', ')}.`);
  return RING_OF[type];
}

/**
 * By ring, `i` within the ring in input order, `n` its size:
 * - ancestors: angle = i/n·180 + 90, radius = 150 + 20i, inclination 30, speed 0.2 + 0.05i;
 * - peers: angle = i/n·360, radius 120, inclination 0, speed 0.4;
 * - contemporaries: angle = i/n·120 + 30, radius 100, inclination −20, speed 0.5.
 */
export function layoutOrbs(influences: readonly OrbInfluence[]): OrbConfig[] {
  const counts: Record<OrbitRing, number> = { ancestors: 0, peers: 0, contemporaries: 0 };
  for (const inf of influences) counts[ringOf(inf.relationshipType)]++;
  const seen: Record<OrbitRing, number> = { ancestors: 0, peers: 0, contemporaries: 0 };
  return influences.map((inf) => {
    const relationshipType = inf.relationshipType as RelationshipType;
    const ring = RING_OF[relationshipType];
    return { id: inf.id, relationshipType, ring, ...ringSlot(ring, seen[ring]++, counts[ring]) };
  });
}

/** x = r·cos a, y = r·sin a·sin i, z = r·sin a·cos i, so |position| = r. Returns `out`. */
export function orbPosition(out: vec3, radius: number, angleDeg: number, inclinationDeg: number): vec3 {
  const a = angleDeg * RAD_PER_DEG;
  const inc = inclinationDeg * RAD_PER_DEG;
  const s = radius * Math.sin(a);
  return vec3.set(out, radius * Math.cos(a), s * Math.sin(inc), s * Math.cos(inc));
}

/** Degrees in [0, 360): wrap(startAngle + speed·elapsed·180/π). */
export function orbitAngleAt(orbit: Pick<Orbit, 'startAngle' | 'speed'>, elapsedSec: number): number {
  if (!(elapsedSec >= 0) || !Number.isFinite(elapsedSec))
    throw new OrbitError('INVALID_DT', `elapsed time must be a finite number of seconds ≥ 0, got ${elapsedSec}.`);
  return wrapDegrees(orbit.startAngle + orbit.speed * elapsedSec * DEG_PER_RAD);
}

/** Returns `out`. */
export function orbitPositionAt(out: vec3, orbit: Orbit, elapsedSec: number): vec3 {
  return orbPosition(out, orbit.radius, orbitAngleAt(orbit, elapsedSec), orbit.inclination);
}

export function wrapDegrees(angle: number): number {
  if (!Number.isFinite(angle)) throw new OrbitError('INVALID_ORBIT', `Angle must be a finite number of degrees, got ${angle}.`);
  const a = angle % 360;
  const wrapped = a < 0 ? a + 360 : a;
  // -1e-15 + 360 rounds to 360, outside the half-open range.
  return wrapped >= 360 ? 0 : wrapped;
}

function ringSlot(ring: OrbitRing, i: number, n: number): Pick<OrbConfig, 'orbitRadius' | 'orbitSpeed' | 'startAngle' | 'inclination'> {
  // i·180/n rather than (i/n)·180 (speeds in hundredths): no 1/3-style FP noise.
  switch (ring) {
    case 'ancestors':
      return { startAngle: (i * 180) / n + 90, orbitRadius: 150 + i * 20, inclination: 30, orbitSpeed: (20 + 5 * i) / 100 };
    case 'peers':
      return { startAngle: (i * 360) / n, orbitRadius: 120, inclination: 0, orbitSpeed: 0.4 };
    case 'contemporaries':
      return { startAngle: (i * 120) / n + 30, orbitRadius: 100, inclination: -20, orbitSpeed: 0.5 };
  }
}
