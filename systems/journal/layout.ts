/**
 * The journal's visual layout (seed 000 step 8.5) and cluster labels (8.6). The k-means itself runs in
 * features/journal (a library with its own randomness); here are the k rule and the labels, both pure.
 */
import { decadeOf, genreOf } from './statistics.js';
import type { JournalStarInput, Vec3 } from './types.js';

/** Seed 8.5: how far the suggested camera stands back from the centre, and its field of view. */
export const CAMERA_PULL_BACK = 300;
export const CAMERA_FOV_DEG = 45;
/** Seed 8.5: zoom = spread × 1.2 (20 % padding). */
export const ZOOM_PADDING = 1.2;

export interface JournalLayout {
  boundingBox: { min: Vec3; max: Vec3 };
  center: Vec3;
  /** Largest extent over the three axes. */
  spread: number;
  camera: { position: Vec3; lookAt: Vec3; fieldOfView: number; suggestedZoom: number };
}

/** Bounding box, centre and suggested camera for the stars (an empty sky frames the origin). */
export function journalLayout(positions: readonly Vec3[]): JournalLayout {
  const axis = (k: keyof Vec3) => (positions.length ? [Math.min(...positions.map((p) => p[k])), Math.max(...positions.map((p) => p[k]))] : [0, 0]);
  const [minX, maxX] = axis('x');
  const [minY, maxY] = axis('y');
  const [minZ, maxZ] = axis('z');
  const center = { x: (minX + maxX) / 2, y: (minY + maxY) / 2, z: (minZ + maxZ) / 2 };
  const spread = Math.max(maxX - minX, maxY - minY, maxZ - minZ);
  return {
    boundingBox: { min: { x: minX, y: minY, z: minZ }, max: { x: maxX, y: maxY, z: maxZ } },
    center,
    spread,
    camera: { position: { x: center.x, y: center.y, z: center.z + CAMERA_PULL_BACK }, lookAt: center, fieldOfView: CAMERA_FOV_DEG, suggestedZoom: round2(spread * ZOOM_PADDING) },
  };
}

/**
 * How many clusters for n stars: the rule of thumb k = ⌈√(n/2)⌉, at most n. It gives the seed's k = 2
 * for 3 stars, 1 for one or two stars, 10 for 200.
 */
export function clusterCount(n: number): number {
  if (n <= 0) return 0;
  return Math.min(n, Math.ceil(Math.sqrt(n / 2)));
}

export interface JournalCluster {
  name: string;
  /** Star ids, in capture order. */
  stars: string[];
  center: Vec3;
}

/** Music from this decade on is "Modern"; older is "Classic" (seed: 2010s Modern, 1970s Classic). */
export const MODERN_FROM_DECADE = 2000;

/**
 * A cluster's label: "Modern"/"Classic" by its members' median decade, then their most common primary
 * genre (ties: the earliest capture's). Seed: Wizkid + Burna Boy → "Modern Afrobeats"; Fela → "Classic Afrobeat".
 */
export function clusterLabel(members: readonly JournalStarInput[]): string {
  const counts = new Map<string, number>();
  for (const s of members) counts.set(genreOf(s), (counts.get(genreOf(s)) ?? 0) + 1);
  let genre = '';
  for (const [g, n] of counts) if (n > (counts.get(genre) ?? 0)) genre = g;
  const decades = members.map((s) => decadeOf(s.artist.era)).filter((d): d is number => d !== null).sort((a, b) => a - b);
  if (!decades.length) return genre;
  const median = decades[Math.floor((decades.length - 1) / 2)];
  return `${median >= MODERN_FROM_DECADE ? 'Modern' : 'Classic'} ${genre}`;
}

/**
 * Clusters from a k-means assignment (`assignment[i]` = cluster of `stars[i]`), labelled, in order of
 * their first star's capture; a label two clusters share gets " 2", " 3"… so each name is distinct.
 */
export function labelClusters(stars: readonly JournalStarInput[], assignment: readonly number[]): JournalCluster[] {
  const groups = new Map<number, JournalStarInput[]>();
  stars.forEach((s, i) => {
    const g = groups.get(assignment[i]) ?? [];
    g.push(s);
    groups.set(assignment[i], g);
  });
  const seen = new Map<string, number>();
  return [...groups.values()].map((members) => {
    const base = clusterLabel(members);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const mean = (k: keyof Vec3) => round2(members.reduce((sum, s) => sum + s.position[k], 0) / members.length);
    return { name: n === 1 ? base : `${base} ${n}`, stars: members.map((s) => s.id), center: { x: mean('x'), y: mean('y'), z: mean('z') } };
  });
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;
