import { artworkPalette } from '../assets/demoArtwork.js';
import { decadeOf } from './statistics.js';
import type { JournalConnectionInput, JournalStarInput } from './types.js';

export const CONNECTION_COLORS: Readonly<Record<JournalConnectionInput['type'], string>> = { discovery_path: '#4169E1', genre_similarity: '#9370DB' };

/** An influential star (starSizes) is 1.2. */
export const BASE_STAR_SIZE = 1;
export const INFLUENTIAL_STAR_SIZE = 1.2;
/** Influences a connected star that began at least this many years later. */
export const INFLUENCE_GAP_YEARS = 20;

/** The artwork palette's orb colour, so a star and its station picture match. */
export function starGlowColor(artistId: string): string {
  return artworkPalette({ id: artistId, name: '' }).orb;
}

/** Influential: connected to a star whose era began {@link INFLUENCE_GAP_YEARS} or more later. */
export function starSizes(stars: readonly JournalStarInput[], connections: readonly JournalConnectionInput[]): Map<string, number> {
  const decade = new Map(stars.map((s) => [s.artist.id, decadeOf(s.artist.era)]));
  const influential = new Set<string>();
  for (const c of connections) {
    const [a, b] = [decade.get(c.from), decade.get(c.to)];
    if (a == null || b == null) continue;
    if (b - a >= INFLUENCE_GAP_YEARS) influential.add(c.from);
    if (a - b >= INFLUENCE_GAP_YEARS) influential.add(c.to);
  }
  return new Map(stars.map((s) => [s.artist.id, influential.has(s.artist.id) ? INFLUENTIAL_STAR_SIZE : BASE_STAR_SIZE]));
}

/** Linear in strength (0.88 → 2.5, 0.95 → 3.0), to the half point, within 0.5..4. */
export function connectionThickness(strength: number): number {
  const raw = 2.5 + ((strength - 0.88) / 0.07) * 0.5;
  return Math.min(4, Math.max(0.5, Math.round(raw * 2) / 2));
}

/** Its newest member's glow. */
export function clusterColor(memberArtistIdsInCaptureOrder: readonly string[]): string {
  const newest = memberArtistIdsInCaptureOrder[memberArtistIdsInCaptureOrder.length - 1];
  return newest ? starGlowColor(newest) : '#FFFFFF';
}

/** Each star's cluster colour by artist id (`assignment[i]`: the cluster of the i-th capture), as the journal paints its stars. */
export function starColors(artistIdsInCaptureOrder: readonly string[], assignment: readonly number[]): Map<string, string> {
  const members = new Map<number, string[]>();
  artistIdsInCaptureOrder.forEach((id, i) => members.set(assignment[i], [...(members.get(assignment[i]) ?? []), id]));
  return new Map(artistIdsInCaptureOrder.map((id, i) => [id, clusterColor(members.get(assignment[i])!)]));
}
