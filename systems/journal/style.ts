/**
 * How the journal draws (seed 000 step 8's response): each star's glow colour and size, each line's
 * colour and thickness, each cluster's colour. Pure; the rules are stated where they are made.
 */
import { artworkPalette } from '../assets/demoArtwork.js';
import { decadeOf } from './statistics.js';
import type { JournalConnectionInput, JournalStarInput } from './types.js';

/** Seed 8: discovery paths royal blue, genre similarities medium purple. */
export const CONNECTION_COLORS: Readonly<Record<JournalConnectionInput['type'], string>> = { discovery_path: '#4169E1', genre_similarity: '#9370DB' };

/** Seed 8: a star is 1.0; an influential one (see starSize) 1.2. */
export const BASE_STAR_SIZE = 1;
export const INFLUENTIAL_STAR_SIZE = 1.2;
/** A star counts as an influence on a connected star that began at least this many years later. */
export const INFLUENCE_GAP_YEARS = 20;

/**
 * A star's glow: the orb colour of the artist's palette, the same hue as its generated artwork
 * (systems/assets/demoArtwork), so a star and its station picture match.
 */
export function starGlowColor(artistId: string): string {
  return artworkPalette({ id: artistId, name: '' }).orb;
}

/**
 * Seed 8 makes Fela Kuti 1.2 "(influential artist)" beside Wizkid and Burna Boy at 1.0: a star is
 * influential when it is connected to a star whose era began {@link INFLUENCE_GAP_YEARS} or more later.
 */
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

/**
 * A line's thickness in points from its strength: linear through the seed's two discovery paths
 * (0.88 → 2.5, 0.95 → 3.0), rounded to the half point, between 0.5 and 4. The seed's 0.72 genre line
 * comes out 1.5 as in the seed.
 */
export function connectionThickness(strength: number): number {
  const raw = 2.5 + ((strength - 0.88) / 0.07) * 0.5;
  return Math.min(4, Math.max(0.5, Math.round(raw * 2) / 2));
}

/** A cluster's colour: its newest member's glow (seed 8: Wizkid + Burna Boy take Burna Boy's #FF6B00). */
export function clusterColor(memberArtistIdsInCaptureOrder: readonly string[]): string {
  const newest = memberArtistIdsInCaptureOrder[memberArtistIdsInCaptureOrder.length - 1];
  return newest ? starGlowColor(newest) : '#FFFFFF';
}
