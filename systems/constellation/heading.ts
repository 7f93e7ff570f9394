/**
 * Which way a relationship's offset points. The product fixes each offset's size and vertical part, not its
 * horizontal heading; always taking the same heading lays a run of one relationship on a straight line. So the
 * offset is kept unless its star would crowd another or extend a run; then it turns about the vertical axis to
 * the clear heading nearest the sky's centre, growing the sky as a cluster.
 */
import type { Point3, Rng } from './constellation.js';

/** 1.5 × the collision distance. */
export const COMFORT_DISTANCE = 90;
/** A new star within this angle of the line through two stars extends a straight run. */
export const RUN_ANGLE_DEG = 35;
const STEP_DEG = 30;
/** Within 60° an ancestor still points backward (into the past), an influenced forward. */
const MAX_TURN_DEG: Readonly<Record<'level' | 'vertical', number>> = { level: 180, vertical: 60 };
/** Seeded noise breaking ties (star units), so a grown sky is not a lattice. */
const TIE_NOISE = 14;

/** Rounded so integer skies stay integer. */
export function turnOffset(offset: Point3, deg: number): Point3 {
  if (deg === 0) return offset;
  const a = (deg * Math.PI) / 180;
  const [c, s] = [Math.cos(a), Math.sin(a)];
  return { x: Math.round(offset.x * c - offset.z * s), y: offset.y, z: Math.round(offset.x * s + offset.z * c) };
}

/** 0, then ±30°, ±60° … up to the relationship's limit. */
function turns(offset: Point3): number[] {
  const limit = offset.y === 0 ? MAX_TURN_DEG.level : MAX_TURN_DEG.vertical;
  const out = [0];
  for (let d = STEP_DEG; d <= limit; d += STEP_DEG) out.push(...(d === 180 ? [d] : [d, -d]));
  return out;
}

const add = (a: Point3, b: Point3): Point3 => ({ x: a.x + b.x, y: a.y + b.y, z: a.z + b.z });

/** Math.hypot allocates per call; a capture measures every star of the sky against every turn. */
export const dist = (x: number, y: number, z: number): number => Math.sqrt(x * x + y * y + z * z);

function clearance(p: Point3, stars: readonly Point3[]): number {
  let min = Infinity;
  for (const s of stars) min = Math.min(min, dist(p.x - s.x, p.y - s.y, p.z - s.z));
  return min;
}

/** The largest cosine between base → p and any star-to-base direction (1: straight on). */
export function runCosine(base: Point3, p: Point3, stars: readonly Point3[]): number {
  const dx = p.x - base.x;
  const dy = p.y - base.y;
  const dz = p.z - base.z;
  const stepLen = dist(dx, dy, dz);
  let max = -1;
  if (stepLen === 0) return max;
  for (const s of stars) {
    const bx = base.x - s.x;
    const by = base.y - s.y;
    const bz = base.z - s.z;
    const backLen = dist(bx, by, bz);
    if (backLen > 0) max = Math.max(max, (dx * bx + dy * by + dz * bz) / (stepLen * backLen));
  }
  return max;
}

const RUN_COS = Math.cos((RUN_ANGLE_DEG * Math.PI) / 180);

/** `stars` include the base. Draws the same number of `rng` values whatever it decides, so replays stay deterministic. */
export function chooseHeading(base: Point3, seedOffset: Point3, stars: readonly Point3[], rng: Rng): Point3 {
  const options = turns(seedOffset);
  const noise = options.map(() => rng() * TIE_NOISE);
  const seedSpot = add(base, seedOffset);
  if (clearance(seedSpot, stars) >= COMFORT_DISTANCE && runCosine(base, seedSpot, stars) <= RUN_COS) return seedOffset;
  const centre = stars.reduce((c, s) => ({ x: c.x + s.x / stars.length, y: c.y + s.y / stars.length, z: c.z + s.z / stars.length }), { x: 0, y: 0, z: 0 });
  // Ranked: clear and off every run, nearest the centre; else clear and least in line; else the roomiest
  // (the collision jitter takes it from there).
  const ranked = options.map((turn, i) => {
    const offset = turnOffset(seedOffset, turn);
    const spot = add(base, offset);
    const room = clearance(spot, stars);
    const run = runCosine(base, spot, stars);
    const clear = room >= COMFORT_DISTANCE;
    const tier = clear && run <= RUN_COS ? 0 : clear ? 1 : 2;
    const score = tier === 0 ? dist(spot.x - centre.x, spot.y - centre.y, spot.z - centre.z) + noise[i] : tier === 1 ? run : -room;
    return { offset, tier, score };
  });
  ranked.sort((a, b) => a.tier - b.tier || a.score - b.score);
  return ranked[0].offset;
}
