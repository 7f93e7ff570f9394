/**
 * Influence-orb layout and orbital motion (seed 000 step 2.6 positions, step 11.e layout).
 *
 * Units: angles and inclinations in degrees; radii in scene units; orbit speed in RADIANS PER
 * SECOND (the seed's 0.2–0.5 give one revolution every 31 s down to 12.6 s: visible, calm motion).
 *
 * Relationship types map to the seed's three rings ({@link RING_OF}):
 * - ancestor → ancestors (behind and above);
 * - peer, collaborator, influence → peers (level ring): collaborators work alongside the artist, and
 *   the seed's only `influence` orb (Wizkid → Sade) sits at the peers' radius 120;
 * - contemporary, influenced → contemporaries (front and below): artists the source influenced
 *   come after it, like the constellation's "influenced = forward and down".
 */
import { vec3 } from 'gl-matrix';
import { AppError } from '../errors.js';

/** Relationship types of `influence_orbs.relationship_type` (target relative to source). */
export type RelationshipType = 'ancestor' | 'influence' | 'peer' | 'contemporary' | 'collaborator' | 'influenced';

/** All relationship types, in catalog order. */
export const RELATIONSHIP_TYPES: readonly RelationshipType[] = Object.freeze(['ancestor', 'influence', 'peer', 'contemporary', 'collaborator', 'influenced']);

/** The three orbit rings of seed step 11.e. */
export type OrbitRing = 'ancestors' | 'peers' | 'contemporaries';

/** Ring each relationship type is laid out on (see the module comment for the reasoning). */
export const RING_OF: Readonly<Record<RelationshipType, OrbitRing>> = Object.freeze({
  ancestor: 'ancestors',
  influence: 'peers',
  peer: 'peers',
  collaborator: 'peers',
  contemporary: 'contemporaries',
  influenced: 'contemporaries',
});

/** Codes of {@link OrbitError}. */
export type OrbitErrorCode = 'UNKNOWN_RELATIONSHIP' | 'INVALID_DT' | 'INVALID_ORBIT';

/** Invalid relationship type, orbit or time step. */
export class OrbitError extends AppError<OrbitErrorCode> {
  override readonly name = 'OrbitError';
}

/** An influence to lay out: orb id plus its relationship type. */
export interface OrbInfluence {
  readonly id: string;
  readonly relationshipType: string;
}

/** Initial orbit of one orb. */
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

/**
 * An orbit in motion: deterministic on the server clock, so it is never streamed. The angle at a time
 * is `startAngle + speed · elapsed` (speed in rad/s, shown in degrees); docs/PROTOCOL.md gives clients
 * the same formula and how to sync their clock.
 */
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
/** True when `type` is a known relationship type. */
export function isRelationshipType(type: string): type is RelationshipType {
  return Object.prototype.hasOwnProperty.call(RING_OF, type);
}

/**
 * Ring for a relationship type.
 * @throws OrbitError `UNKNOWN_RELATIONSHIP`.
 */
export function ringOf(type: string): OrbitRing {
  if (!isRelationshipType(type)) {
    throw new OrbitError('UNKNOWN_RELATIONSHIP', `Unknown relationship type '${type}': expected one of ${RELATIONSHIP_TYPES.join(', ')}.`);
  }
  return RING_OF[type];
}

/**
 * Initial layout by ring (seed 11.e), `i` counting within the ring in input order, `n` its size:
 * - ancestors: angle = i/n·180 + 90, radius = 150 + 20i, inclination 30, speed 0.2 + 0.05i;
 * - peers: angle = i/n·360, radius 120, inclination 0, speed 0.4;
 * - contemporaries: angle = i/n·120 + 30, radius 100, inclination −20, speed 0.5.
 * @returns one config per influence, in input order.
 * @throws OrbitError `UNKNOWN_RELATIONSHIP`.
 */
export function layoutOrbs(influences: readonly OrbInfluence[]): OrbConfig[] {
  const counts: Record<OrbitRing, number> = { ancestors: 0, peers: 0, contemporaries: 0 };
  for (const inf of influences) counts[ringOf(inf.relationshipType)]++;
  const seen: Record<OrbitRing, number> = { ancestors: 0, peers: 0, contemporaries: 0 };
  return influences.map((inf) => {
    const relationshipType = inf.relationshipType as RelationshipType;
    const ring = RING_OF[relationshipType];
    const ringOrbit = ringSlot(ring, seen[ring]++, counts[ring]);
    return { id: inf.id, relationshipType, ring, ...ringOrbit };
  });
}

/**
 * Orb position on its orbit (seed 2.6): x = r·cos a, y = r·sin a·sin i, z = r·sin a·cos i,
 * so |position| = r for every angle.
 * @returns `out`.
 */
export function orbPosition(out: vec3, radius: number, angleDeg: number, inclinationDeg: number): vec3 {
  const a = angleDeg * RAD_PER_DEG;
  const inc = inclinationDeg * RAD_PER_DEG;
  const s = radius * Math.sin(a);
  return vec3.set(out, radius * Math.cos(a), s * Math.sin(inc), s * Math.cos(inc));
}

/** The orbit an orb config starts on. */
export function orbitOf(config: OrbConfig): Orbit {
  return { startAngle: wrapDegrees(config.startAngle), radius: config.orbitRadius, inclination: config.inclination, speed: config.orbitSpeed };
}

/**
 * Degrees in [0, 360) after `elapsedSec` seconds: wrap(startAngle + speed·elapsed·180/π).
 * @throws OrbitError `INVALID_DT` for a negative or non-finite elapsed time.
 */
export function orbitAngleAt(orbit: Pick<Orbit, 'startAngle' | 'speed'>, elapsedSec: number): number {
  if (!(elapsedSec >= 0) || !Number.isFinite(elapsedSec)) {
    throw new OrbitError('INVALID_DT', `elapsed time must be a finite number of seconds ≥ 0, got ${elapsedSec}.`);
  }
  return wrapDegrees(orbit.startAngle + orbit.speed * elapsedSec * DEG_PER_RAD);
}

/** Position after `elapsedSec` seconds on the orbit (seed 2.6 formula at {@link orbitAngleAt}). @returns `out`. */
export function orbitPositionAt(out: vec3, orbit: Orbit, elapsedSec: number): vec3 {
  return orbPosition(out, orbit.radius, orbitAngleAt(orbit, elapsedSec), orbit.inclination);
}

/** Wraps an angle in degrees into [0, 360). */
export function wrapDegrees(angle: number): number {
  if (!Number.isFinite(angle)) {
    throw new OrbitError('INVALID_ORBIT', `Angle must be a finite number of degrees, got ${angle}.`);
  }
  const a = angle % 360;
  const wrapped = a < 0 ? a + 360 : a;
  // -1e-15 + 360 rounds to 360, which is outside the half-open range.
  return wrapped >= 360 ? 0 : wrapped;
}

function ringSlot(ring: OrbitRing, i: number, n: number): Pick<OrbConfig, 'orbitRadius' | 'orbitSpeed' | 'startAngle' | 'inclination'> {
  // i·180/n rather than (i/n)·180 (and speeds in hundredths): same values without 1/3-style FP noise.
  switch (ring) {
    case 'ancestors':
      return { startAngle: (i * 180) / n + 90, orbitRadius: 150 + i * 20, inclination: 30, orbitSpeed: (20 + 5 * i) / 100 };
    case 'peers':
      return { startAngle: (i * 360) / n, orbitRadius: 120, inclination: 0, orbitSpeed: 0.4 };
    case 'contemporaries':
      return { startAngle: (i * 120) / n + 30, orbitRadius: 100, inclination: -20, orbitSpeed: 0.5 };
  }
}
