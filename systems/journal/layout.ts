/** The journal's layout and cluster labels. The k-means runs in features/journal (a library with its own randomness). */
import { decadeOf, regionOf } from './statistics.js';
import { clusterColor } from './style.js';
import type { JournalStarInput, Vec3 } from './types.js';

/** How far the suggested camera stands back, and its field of view. */
export const CAMERA_PULL_BACK = 300;
export const CAMERA_FOV_DEG = 45;
/** zoom = spread × 1.2 (20 % padding). */
export const ZOOM_PADDING = 1.2;

export interface JournalLayout {
  boundingBox: { min: Vec3; max: Vec3 };
  center: Vec3;
  spread: number;
  camera: { position: Vec3; lookAt: Vec3; fieldOfView: number; suggestedZoom: number };
}

/** An empty sky frames the origin. */
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
    camera: {
      position: { x: center.x, y: center.y, z: center.z + CAMERA_PULL_BACK },
      lookAt: center,
      fieldOfView: CAMERA_FOV_DEG,
      suggestedZoom: round2(spread * ZOOM_PADDING),
    },
  };
}

/** k = ⌈√(n/2)⌉, at most n: 2 for 3 stars, 10 for 200. */
export function clusterCount(n: number): number {
  if (n <= 0) return 0;
  return Math.min(n, Math.ceil(Math.sqrt(n / 2)));
}

export interface JournalCluster {
  name: string;
  /** In capture order. */
  stars: string[];
  center: Vec3;
  /** Its newest member's glow. */
  color: string;
}

/** From this decade on "Modern", older "Classic". */
export const MODERN_FROM_DECADE = 2000;

/**
 * The genre most members have (ties: the earliest capture's), alone when at least half have it; else with the one
 * covering most of the rest ("Afrobeats & Jùjú") when together they cover half; else "Eclectic". So "Modern Jùjú"
 * cannot name two artists without Jùjú.
 */
export function clusterGenres(members: readonly JournalStarInput[]): { genres: string; covered: readonly JournalStarInput[] } {
  const best = (pool: readonly JournalStarInput[], skip: string | null): { genre: string; covered: JournalStarInput[] } => {
    let top = { genre: '', covered: [] as JournalStarInput[] };
    for (const m of pool)
      for (const g of m.artist.genres) {
        if (g === skip) continue;
        const covered = pool.filter((s) => s.artist.genres.includes(g));
        if (covered.length > top.covered.length) top = { genre: g, covered };
      }
    return top;
  };
  const first = best(members, null);
  if (!first.genre) return { genres: 'Unknown', covered: members };
  if (first.covered.length * 2 >= members.length) return { genres: first.genre, covered: first.covered };
  const rest = members.filter((m) => !first.covered.includes(m));
  const second = best(rest, first.genre);
  if (second.genre && (first.covered.length + second.covered.length) * 2 >= members.length)
    return { genres: `${first.genre} & ${second.genre}`, covered: [...first.covered, ...second.covered] };
  return { genres: 'Eclectic', covered: members };
}

function medianDecade(members: readonly JournalStarInput[]): number | null {
  const decades = members
    .map((s) => decadeOf(s.artist.era))
    .filter((d): d is number => d !== null)
    .sort((a, b) => a - b);
  return decades.length ? decades[Math.floor((decades.length - 1) / 2)] : null;
}

/** "Modern"/"Classic" by the median decade of the members the genre words describe, so "Classic Afropop" cannot join a 1960s artist to a modern Afropop one. */
export function clusterLabel(members: readonly JournalStarInput[]): string {
  const { genres, covered } = clusterGenres(members);
  const median = medianDecade(covered);
  if (median === null) return genres;
  return `${median >= MODERN_FROM_DECADE ? 'Modern' : 'Classic'} ${genres}`;
}

/**
 * Tried in order until the values differ across all equal labels: region ("· Nigeria"), median decade ("· 1970s"),
 * first-captured member ("around Fela Kuti", always differs). Never a number. Each reads the members the genre
 * words describe.
 */
const QUALIFIERS: ReadonlyArray<(members: readonly JournalStarInput[]) => string> = [
  (members) => `· ${mostCommon(members.map((m) => regionOf(m.artist.origin)))}`,
  (members) => {
    const decade = medianDecade(members);
    return `· ${decade === null ? 'undated' : `${decade}s`}`;
  },
  (members) => `around ${members[0].artist.name}`,
];

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let top = values[0] ?? '';
  for (const [v, n] of counts) if (n > (counts.get(top) ?? 0)) top = v;
  return top;
}

/** All distinct: equal base labels get the first qualifier that separates them. */
export function distinctLabels(groups: ReadonlyArray<readonly JournalStarInput[]>): string[] {
  const labels = groups.map(clusterLabel);
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => byLabel.set(l, [...(byLabel.get(l) ?? []), i]));
  for (const [base, indices] of byLabel) {
    if (indices.length < 2) continue;
    const described = new Map(indices.map((i) => [i, clusterGenres(groups[i]).covered]));
    const qualify = QUALIFIERS.find((q) => new Set(indices.map((i) => q(described.get(i)!))).size === indices.length) ?? QUALIFIERS[QUALIFIERS.length - 1];
    for (const i of indices) labels[i] = `${base} ${qualify(described.get(i)!)}`;
  }
  return labels;
}

/** In order of their first star's capture. */
export function labelClusters(stars: readonly JournalStarInput[], assignment: readonly number[]): JournalCluster[] {
  const groups = new Map<number, JournalStarInput[]>();
  stars.forEach((s, i) => {
    const g = groups.get(assignment[i]) ?? [];
    g.push(s);
    groups.set(assignment[i], g);
  });
  const members = [...groups.values()];
  const names = distinctLabels(members);
  return members.map((m, i) => {
    const mean = (k: keyof Vec3) => round2(m.reduce((sum, s) => sum + s.position[k], 0) / m.length);
    return { name: names[i], stars: m.map((s) => s.id), center: { x: mean('x'), y: mean('y'), z: mean('z') }, color: clusterColor(m.map((s) => s.artist.id)) };
  });
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;
