/** The journal's layout and cluster labels. The k-means runs in features/journal (a library with its own randomness). */
import { decadesOf, regionOf } from './statistics.js';
import { clusterColor } from './style.js';
import { round } from '../numbers.js';
import { SKY_FOV_DEG, SKY_PULL_BACK, skyBounds } from '../constellation/sky.js';
import type { JournalCluster, JournalLayout, JournalStarInput, Vec3 } from './types.js';

export function journalLayout(positions: readonly Vec3[]): JournalLayout {
  const { min, max, center, spread } = skyBounds(positions);
  return {
    boundingBox: { min, max },
    center,
    spread,
    camera: {
      position: { x: center.x, y: center.y, z: center.z + SKY_PULL_BACK },
      lookAt: center,
      fieldOfView: SKY_FOV_DEG,
      // 20 % padding.
      suggestedZoom: round(spread * 1.2, 2),
    },
  };
}

/** k = ⌈√(n/2)⌉, at most n: 2 for 3 stars, 10 for 200. */
export function clusterCount(n: number): number {
  if (n <= 0) return 0;
  return Math.min(n, Math.ceil(Math.sqrt(n / 2)));
}

/**
 * From this decade on "Modern"; "Classic" only before CLASSIC_BEFORE_DECADE. The 1990s are neither: 2Baba or Lauryn Hill
 * (1990s–present) read wrong beside Fela Kuti as "Classic" and beside Rema as "Modern".
 */
export const MODERN_FROM_DECADE = 2000;
export const CLASSIC_BEFORE_DECADE = 1990;

/**
 * Genre words true of every member, from the catalog's genres: the one all share ("Afrobeats"), else the first pair
 * that covers everyone, most-shared first ("Afrobeats & House"), else "Eclectic". A member never contradicts its label.
 */
export function clusterGenres(members: readonly JournalStarInput[]): string {
  const genres = [...new Set(members.flatMap((m) => m.artist.genres))];
  const holders = new Map(genres.map((g) => [g, members.filter((m) => m.artist.genres.includes(g))]));
  genres.sort((a, b) => holders.get(b)!.length - holders.get(a)!.length);
  if (!genres.length) return 'Unknown';
  if (holders.get(genres[0])!.length === members.length) return genres[0];
  for (let i = 0; i < genres.length; i++)
    for (let j = i + 1; j < genres.length; j++)
      if (members.every((m) => m.artist.genres.includes(genres[i]) || m.artist.genres.includes(genres[j]))) return `${genres[i]} & ${genres[j]}`;
  return 'Eclectic';
}

/** "Modern" when every dated member started in 2000 or later, "Classic" when every one before 1990, else no era word. */
export function clusterLabel(members: readonly JournalStarInput[]): string {
  const genres = clusterGenres(members);
  const d = decadesOf(members);
  if (!d.length) return genres;
  if (d[0] >= MODERN_FROM_DECADE) return `Modern ${genres}`;
  if (d[d.length - 1] < CLASSIC_BEFORE_DECADE) return `Classic ${genres}`;
  return genres;
}

/**
 * Tried in order until one is true of every member of each equal label and the values differ: countries
 * ("· Nigeria", "· Nigeria & South Africa"), decades ("· 2010s", "· 1970s–2010s"), first-captured member
 * ("around Fela Kuti", always true and distinct). Never a number.
 */
const QUALIFIERS: ReadonlyArray<(members: readonly JournalStarInput[]) => string | null> = [
  (members) => {
    const regions = [...new Set(members.map((m) => regionOf(m.artist.origin)))];
    return regions.length <= 2 ? `· ${regions.join(' & ')}` : null;
  },
  (members) => {
    const d = decadesOf(members);
    return d.length ? `· ${d[0]}s${d[d.length - 1] > d[0] ? `–${d[d.length - 1]}s` : ''}` : null;
  },
  (members) => `around ${members[0].artist.name}`,
];

/** All distinct: equal base labels get the first qualifier that separates them. */
export function distinctLabels(groups: ReadonlyArray<readonly JournalStarInput[]>): string[] {
  const labels = groups.map(clusterLabel);
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => byLabel.set(l, [...(byLabel.get(l) ?? []), i]));
  for (const [base, indices] of byLabel) {
    if (indices.length < 2) continue;
    const fits = (q: (typeof QUALIFIERS)[number]) =>
      indices.every((i) => q(groups[i]) !== null) && new Set(indices.map((i) => q(groups[i]))).size === indices.length;
    const qualify = QUALIFIERS.find(fits) ?? QUALIFIERS[QUALIFIERS.length - 1];
    for (const i of indices) labels[i] = `${base} ${qualify(groups[i])}`;
  }
  return labels;
}

/** In order of their first star's capture. */
export function labelClusters(stars: readonly JournalStarInput[], assignment: readonly number[]): JournalCluster[] {
  const groups = new Map<number, JournalStarInput[]>();
  stars.forEach((s, i) => (groups.get(assignment[i]) ?? groups.set(assignment[i], []).get(assignment[i])!).push(s));
  const members = [...groups.values()];
  const names = distinctLabels(members);
  return members.map((m, i) => {
    const mean = (k: keyof Vec3) => round(m.reduce((sum, s) => sum + s.position[k], 0) / m.length, 2);
    return { name: names[i], stars: m.map((s) => s.id), center: { x: mean('x'), y: mean('y'), z: mean('z') }, color: clusterColor(m.map((s) => s.artist.id)) };
  });
}
