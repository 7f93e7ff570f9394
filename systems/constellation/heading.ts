/**
 * Which way a relationship's offset points (seed 000 step 7.3). The seed fixes each offset's size and its
 * vertical part (ancestor up, peer level, influenced down) and says peers "move horizontally": it does not
 * fix the horizontal heading. Taking the seed's heading every time lays a run of peers (and any run of one
 * relationship) on a straight line, which the pages then draw as a row of stars. So the seed's offset is
 * kept unless its star would crowd another or extend a straight run; then its horizontal part turns about
 * the vertical axis to the clear heading nearest the sky's centre, which grows the sky as a cluster. An
 * ancestor or influenced keeps its 100 up or down, so a long run of them still climbs or descends.
 */
import type { Point3, Rng } from './constellation.js';

/** A turned star keeps at least this from every star (1.5 × the seed's collision distance of 60). */
export const COMFORT_DISTANCE = 90;
/** A new star within this angle of the line through two stars extends a straight run. */
export const RUN_ANGLE_DEG = 35;
/** Headings tried, one every 30° about the vertical axis. */
const STEP_DEG = 30;
/**
 * How far an ancestor's or influenced's heading may turn from the seed's: within 60° it still points
 * backward (into the past) or forward.
 */
const MAX_TURN_DEG: Readonly<Record<'level' | 'vertical', number>> = { level: 180, vertical: 60 };
/** Up to this much (in star units) of seeded noise breaks ties, so a grown sky is not a lattice. */
const TIE_NOISE = 14;

/** The offset turned `deg` degrees about the vertical (y) axis, rounded so integer skies stay integer. */
export function turnOffset(offset: Point3, deg: number): Point3 {
  if (deg === 0) return offset;
  const a = (deg * Math.PI) / 180;
  const [c, s] = [Math.cos(a), Math.sin(a)];
  return { x: Math.round(offset.x * c - offset.z * s), y: offset.y, z: Math.round(offset.x * s + offset.z * c) };
}

/** Turns tried in order: 0, then ±30°, ±60° … up to the relationship's limit. */
function turns(offset: Point3): number[] {
  const limit = offset.y === 0 ? MAX_TURN_DEG.level : MAX_TURN_DEG.vertical;
  const out = [0];
  // +180° and −180° are one heading.
  for (let d = STEP_DEG; d <= limit; d += STEP_DEG) out.push(...(d === 180 ? [d] : [d, -d]));
  return out;
}

const add = (a: Point3, b: Point3): Point3 => ({ x: a.x + b.x, y: a.y + b.y, z: a.z + b.z });
const sub = (a: Point3, b: Point3): Point3 => ({ x: a.x - b.x, y: a.y - b.y, z: a.z - b.z });
const len = (a: Point3): number => Math.hypot(a.x, a.y, a.z);

function clearance(p: Point3, stars: readonly Point3[]): number {
  let min = Infinity;
  for (const s of stars) min = Math.min(min, len(sub(p, s)));
  return min;
}

/**
 * How nearly base → p continues the line from another star through the base: the largest cosine between
 * the step and any star-to-base direction (1: straight on, −1 or no other star: straight back).
 */
export function runCosine(base: Point3, p: Point3, stars: readonly Point3[]): number {
  const step = sub(p, base);
  const stepLen = len(step);
  let max = -1;
  if (stepLen === 0) return max;
  for (const s of stars) {
    const back = sub(base, s);
    const backLen = len(back);
    if (backLen > 0) max = Math.max(max, (step.x * back.x + step.y * back.y + step.z * back.z) / (stepLen * backLen));
  }
  return max;
}

const RUN_COS = Math.cos((RUN_ANGLE_DEG * Math.PI) / 180);

export interface Heading {
  readonly offset: Point3;
  /** Degrees the seed's offset was turned about the vertical axis (0: the seed's own heading). */
  readonly turn: number;
}

/**
 * The offset to add to `base` (see the module comment). `stars` are all existing positions, the base's
 * included. Consumes the same number of `rng` draws whatever it decides, so replays stay deterministic.
 */
export function chooseHeading(base: Point3, seedOffset: Point3, stars: readonly Point3[], rng: Rng): Heading {
  const options = turns(seedOffset);
  const noise = options.map(() => rng() * TIE_NOISE);
  const seedSpot = add(base, seedOffset);
  if (clearance(seedSpot, stars) >= COMFORT_DISTANCE && runCosine(base, seedSpot, stars) <= RUN_COS) return { offset: seedOffset, turn: 0 };
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
    const score = tier === 0 ? len(sub(spot, centre)) + noise[i] : tier === 1 ? run : -room;
    return { heading: { offset, turn }, tier, score };
  });
  ranked.sort((a, b) => a.tier - b.tier || a.score - b.score);
  return ranked[0].heading;
}
