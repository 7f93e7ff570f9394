/**
 * Where the /play stage puts things (pure, unit-tested): the artist's cover in the middle of the space above its
 * caption, each orbit a ring around the cover, from just clear of it out to the stage's edges, and the caption
 * (name and genres) under the rings. Nothing that moves ever crosses the cover or the name: the rings are sized
 * around the cover with an orb's radius to spare, and the caption sits below the outermost ring.
 * The server's orbit gives the ring's order (its radius) and where on it the orb is (its angle on the server clock);
 * the ring's shape is the stage's: wide on a landscape screen, round on a phone.
 */
import type { Box } from '../shared/labels.js';

export interface StageInput {
  width: number;
  height: number;
  /** The controls' height along the stage's foot. */
  controls: number;
  /** The caption's measured height (its name may wrap to two lines). */
  captionHeight: number;
  /** The orbits' radii (scene units): the order of the rings. */
  radii: readonly number[];
}

/** One ring: an ellipse about (cx, cy) with half-axes a (across) and b (down). */
export interface Ring {
  a: number;
  b: number;
}

export interface StageLayout {
  cx: number;
  cy: number;
  /** The cover's side and box. */
  art: number;
  cover: Box;
  /** Where the caption's top goes (stage px). */
  captionTop: number;
  /** Orb radius and label size, CSS px. */
  orbPx: number;
  labelPx: number;
  /** The ring of each radius. */
  rings: Map<number, Ring>;
}

/** How much larger an orb on the near half is drawn (and the far half smaller): the rings read as orbits. */
export const NEAR_SCALE = 0.15;
/** How much larger the orb under the pointer or being flown to is drawn. */
export const LIT_SCALE = 1.3;
/** The innermost ring's size as a share of the outermost's: the rest of the band spreads the rings. */
const INNER_SHARE = 0.8;

export function stageLayout(input: StageInput): StageLayout {
  const { width, height } = input;
  const phone = width < 560;
  const pad = phone ? 8 : 24;
  const orbPx = phone ? 13 : Math.max(14, Math.min(22, Math.round(Math.min(width, height) / 42)));
  // An orb's disc at its largest (near and lit), plus its ring of colour.
  const clear = orbPx * LIT_SCALE * (1 + NEAR_SCALE) + 3;
  const gap = phone ? 6 : 12;
  const top = pad + (phone ? 8 : 12);
  const captionTop = Math.max(top + 4 * clear, height - input.controls - (phone ? 14 : 24) - input.captionHeight);
  const bottom = captionTop - gap;
  const cx = width / 2;
  const cy = (top + bottom) / 2;
  // The outermost ring touches the space's edges with an orb's room to spare; no rounder than a circle's 1.15.
  let aOut = Math.max(clear, width / 2 - pad - clear);
  let bOut = Math.max(clear, (bottom - top) / 2 - clear);
  bOut = Math.min(bOut, aOut * 1.15);
  aOut = Math.min(aOut, bOut * 3);
  // The innermost ring, the outer one scaled down, holds the largest square its ellipse can: the cover and an orb.
  const single = new Set(input.radii).size <= 1;
  const share = single ? 0.85 : INNER_SHARE;
  const [aIn, bIn] = [aOut * share, bOut * share];
  const half = (aIn * bIn) / Math.hypot(aIn, bIn);
  const art = Math.max(48, Math.min(2 * (half - clear), 560));
  const rings = new Map<number, Ring>();
  const sorted = [...new Set(input.radii)].sort((x, y) => x - y);
  sorted.forEach((r, i) => {
    const t = sorted.length === 1 ? 0 : i / (sorted.length - 1);
    rings.set(r, { a: aIn + (aOut - aIn) * t, b: bIn + (bOut - bIn) * t });
  });
  return {
    cx,
    cy,
    art,
    cover: { x: cx - art / 2, y: cy - art / 2, w: art, h: art },
    captionTop,
    orbPx,
    labelPx: phone ? 12 : Math.max(13, Math.min(16, Math.round(width / 95))),
    rings,
  };
}

/** An orb on its ring at `angleDeg`: the near half (lower on screen) a little larger, the far half smaller. */
export function ringPoint(layout: Pick<StageLayout, 'cx' | 'cy'>, ring: Ring, angleDeg: number): { x: number; y: number; depth: number; scale: number } {
  const a = (angleDeg * Math.PI) / 180;
  const depth = Math.sin(a);
  return { x: layout.cx + ring.a * Math.cos(a), y: layout.cy + ring.b * depth, depth, scale: 1 + NEAR_SCALE * depth };
}
