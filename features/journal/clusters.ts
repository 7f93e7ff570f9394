/** Journal clusters: k-means over star positions with a fixed kmeans++ seed, so a constellation always clusters the same. */
import { kmeans } from 'ml-kmeans';
import { clusterCount, type Vec3 } from '../../systems/journal/index.js';

/** kmeans++ seed: any constant works; a constant makes the journal (and its cache) stable. */
export const KMEANS_SEED = 13;

/** `assignment[i]` = cluster of `positions[i]`; k never exceeds the number of distinct positions. */
export function clusterAssignment(positions: readonly Vec3[]): number[] {
  const distinct = new Set(positions.map((p) => `${p.x},${p.y},${p.z}`)).size;
  const k = Math.min(clusterCount(positions.length), distinct);
  if (k <= 1) return positions.map(() => 0);
  const points = positions.map((p) => [p.x, p.y, p.z]);
  const result = kmeans(points, k, { initialization: 'kmeans++', seed: KMEANS_SEED, maxIterations: 100 });
  return result.clusters;
}
