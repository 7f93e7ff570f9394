/**
 * One sky for every view of a constellation (the /play mini-map, the journal, /shared, the share's preview
 * picture, the ops user page): the stars' 3-D positions through a perspective camera (seed 000 step 8.5:
 * from the stars' centre pulled back along +z, 45° field of view), turned by a yaw and a small pitch, then
 * scaled to fill the box; lines only for the connections that exist; names placed so that no two overlap
 * and none leaves the box. Pure: the caller measures text (DOM, canvas or the server's font table).
 */
import { layoutLabels, type Box } from './skyLabels.js';
import type { Point3 } from './constellation.js';

/** Room kept around the sky unless the view asks (more below, for the labels). */
const DEFAULT_MARGIN = { x: 12, y: 24 } as const;

export interface SkyStar {
  /** The id connections and labels refer to (an artist id on every page). */
  readonly id: string;
  readonly name: string;
  readonly position: Point3;
}

export interface SkyLink {
  readonly from: string;
  readonly to: string;
  readonly strength: number;
  readonly type?: string;
}

export interface SkyView {
  /** Box size in the caller's units (CSS px on pages, picture px in the preview). */
  readonly width: number;
  readonly height: number;
  /** Turn about the vertical axis (radians): a page turns it slowly ({@link skyYaw}), a picture keeps one. */
  readonly yaw?: number;
  /**
   * Every yaw the sky will be drawn at while this fit holds (a page's whole sway): the box is fitted to all
   * of them, so a turning sky keeps one size and centre instead of breathing.
   */
  readonly fitYaws?: readonly number[];
  /** Camera raised above the stars' plane (radians), so depth offsets show as height. */
  readonly pitch?: number;
  /** Room kept free at the left/right and top/bottom edges (a dot and its name must fit). */
  readonly marginX?: number;
  readonly marginY?: number;
  /** How far the spacing is evened out (default {@link SKY_EVEN}; 0 is a plain fit). */
  readonly even?: number;
}

export interface SkyPoint {
  x: number;
  y: number;
  /** Perspective size factor: > 1 nearer the camera, < 1 farther. */
  scale: number;
}

/** Seed 8.5: the camera's field of view and how far it stands back (at least) from the centre. */
export const SKY_FOV_DEG = 45;
export const SKY_PULL_BACK = 300;
/** The pitch every view uses unless told: enough to show depth, little enough to keep "up" up. */
export const SKY_PITCH = (18 * Math.PI) / 180;
export const SKY_YAW = (-24 * Math.PI) / 180;
/** The slow turn on the pages: a sway of ±18° about {@link SKY_YAW}, once a minute. */
export const SKY_SWAY = (18 * Math.PI) / 180;
export const SKY_SWAY_PERIOD_MS = 60_000;

/** The yaw of a turning sky at `nowMs` (any clock in ms); reduced motion keeps the still view. */
export function skyYaw(nowMs: number, still = false): number {
  return still ? SKY_YAW : SKY_YAW + SKY_SWAY * Math.sin((2 * Math.PI * nowMs) / SKY_SWAY_PERIOD_MS);
}

/** The yaws a turning sky passes through (the extremes and between), for {@link SkyView.fitYaws}. */
export const SKY_SWAY_YAWS: readonly number[] = Object.freeze([-1, -0.5, 0, 0.5, 1].map((k) => SKY_YAW + k * SKY_SWAY));

/** The box is filled by scaling each axis separately, but never stretched more than this. */
const MAX_STRETCH = 4;
/**
 * How far each axis's spacing is evened out, 0 (a plain fit: the seed's diagonal ancestor and influenced
 * offsets leave two corners empty and most stars in a dense middle) to 1 (stars at even steps). The map
 * is monotone, so what is above stays above (older artists) and left stays left.
 */
export const SKY_EVEN = 0.6;

/** A camera fitted to a set of stars: projects any point (a star in flight too) into the box. */
export interface SkyCamera {
  project(p: Point3): SkyPoint;
}

interface Raw {
  x: number;
  y: number;
  depth: number;
}

/**
 * A monotone map of one axis onto [0, 1]: between the plain linear fit and the values' ranks (`even`),
 * piecewise linear between the values, so a star moving continuously (the sway, a fly-in) moves
 * continuously. Outside the values' range it continues the linear fit. A single value maps to ½.
 */
function evenAxis(values: readonly number[], even: number): (v: number) => number {
  const s = [...values].sort((a, b) => a - b);
  const lo = s[0] ?? 0;
  const hi = s[s.length - 1] ?? 0;
  if (!(hi - lo > 1e-6)) return () => 0.5;
  // Each distinct value with its mean rank (a star drawn at several fit yaws counts each time).
  const knots: Array<[number, number]> = [];
  for (let i = 0; i < s.length;) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] - s[i] < 1e-9) j++;
    knots.push([s[i], (i + j) / 2 / (s.length - 1)]);
    i = j + 1;
  }
  knots[0][1] = 0;
  knots[knots.length - 1][1] = 1;
  return (v) => {
    const linear = (v - lo) / (hi - lo);
    if (v <= lo || v >= hi) return linear;
    let [a, b] = [0, knots.length - 1];
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (knots[m][0] <= v) a = m;
      else b = m;
    }
    const [[va, ra], [vb, rb]] = [knots[a], knots[b]];
    const rank = ra + ((v - va) / (vb - va)) * (rb - ra);
    return even * rank + (1 - even) * linear;
  };
}

/**
 * The camera for `positions` in a `view`: centred on the stars' bounding box, pulled back by the larger of
 * the seed's 300 and 1.6 × the spread (a wide sky would otherwise have stars behind the lens). The projected
 * stars are then framed to fill the box less its margins: sheared sideways so that height no longer predicts
 * left or right (the seed's ancestor offset goes up and left, influenced down and right: a diagonal band),
 * each axis evened out by {@link SKY_EVEN}, and each axis scaled to its side of the box (at most
 * {@link MAX_STRETCH} times the other). Up stays up. One star sits in the middle.
 */
export function skyCamera(positions: readonly Point3[], view: SkyView): SkyCamera {
  const { width, height } = view;
  const axis = (k: keyof Point3) => (positions.length ? [Math.min(...positions.map((p) => p[k])), Math.max(...positions.map((p) => p[k]))] : [0, 0]);
  const [minX, maxX] = axis('x');
  const [minY, maxY] = axis('y');
  const [minZ, maxZ] = axis('z');
  const centre = { x: (minX + maxX) / 2, y: (minY + maxY) / 2, z: (minZ + maxZ) / 2 };
  const spread = Math.max(maxX - minX, maxY - minY, maxZ - minZ);
  const distance = Math.max(SKY_PULL_BACK, spread * 1.6);
  const focal = 1 / Math.tan((SKY_FOV_DEG * Math.PI) / 360);
  const yaw = view.yaw ?? SKY_YAW;
  const pitch = view.pitch ?? SKY_PITCH;
  const [cp, sp] = [Math.cos(pitch), Math.sin(pitch)];
  const rawAt = (p: Point3, turn: number): Raw => {
    const [cy, sy] = [Math.cos(turn), Math.sin(turn)];
    const dx = p.x - centre.x;
    const dy = p.y - centre.y;
    const dz = p.z - centre.z;
    const x1 = dx * cy + dz * sy;
    const z1 = -dx * sy + dz * cy;
    const y2 = dy * cp - z1 * sp;
    const z2 = dy * sp + z1 * cp;
    const w = Math.max(distance * 0.2, distance - z2);
    return { x: (x1 * focal * distance) / w, y: (-y2 * focal * distance) / w, depth: z2 };
  };
  const pts = (view.fitYaws?.length ? view.fitYaws : [yaw]).flatMap((turn) => positions.map((p) => rawAt(p, turn)));
  // The shear: x less its linear trend in y (bounded, so a near-vertical line of stars is not flung sideways).
  const mean = (vals: number[]) => vals.reduce((a, v) => a + v, 0) / Math.max(1, vals.length);
  const [meanX, meanY] = [mean(pts.map((p) => p.x)), mean(pts.map((p) => p.y))];
  const varY = pts.reduce((a, p) => a + (p.y - meanY) ** 2, 0);
  const covXY = pts.reduce((a, p) => a + (p.x - meanX) * (p.y - meanY), 0);
  const shear = varY > 1e-6 ? Math.max(-1.5, Math.min(1.5, covXY / varY)) : 0;
  const sheared = (r: Raw) => ({ x: r.x - shear * (r.y - meanY), y: r.y, depth: r.depth });
  const framed = pts.map(sheared);
  const even = view.even ?? SKY_EVEN;
  const fx = evenAxis(
    framed.map((p) => p.x),
    even,
  );
  const fy = evenAxis(
    framed.map((p) => p.y),
    even,
  );
  const mx = view.marginX ?? DEFAULT_MARGIN.x;
  const my = view.marginY ?? DEFAULT_MARGIN.y;
  const range = (vals: number[]) => (vals.length ? Math.max(...vals) - Math.min(...vals) : 0);
  const availX = Math.max(1, width - 2 * mx);
  const availY = Math.max(1, height - 2 * my);
  // How much of its side each axis spans: all of it, unless that stretches it past MAX_STRETCH × the other's scale
  // (a flat row of peers stays a row, not a band across the whole height).
  const [rx, ry] = [range(framed.map((p) => p.x)), range(framed.map((p) => p.y))];
  const k = Math.min(rx > 1e-6 ? availX / rx : Infinity, ry > 1e-6 ? availY / ry : Infinity);
  const spanX = Number.isFinite(k) ? Math.min(1, (k * MAX_STRETCH * rx) / availX) : 1;
  const spanY = Number.isFinite(k) ? Math.min(1, (k * MAX_STRETCH * ry) / availY) : 1;
  return {
    project: (p) => {
      const r = rawAt(p, yaw);
      const f = sheared(r);
      return {
        x: width / 2 + (fx(f.x) - 0.5) * availX * spanX,
        y: height / 2 + (fy(f.y) - 0.5) * availY * spanY,
        scale: Math.max(0.6, Math.min(1.6, distance / Math.max(1, distance - r.depth))),
      };
    },
  };
}

export interface SkyLine {
  from: string;
  to: string;
  a: SkyPoint;
  b: SkyPoint;
  strength: number;
  type?: string;
}

/** Lines kept per star: to its nearest linked stars (every line it keeps is drawn, so a star may show more). */
export const LINES_PER_STAR = 2;

/**
 * The connections to draw: each existing link once (a pair linked twice, either way round, keeps its
 * strongest), and only between stars in the sky. Lines are never invented for pairs without a link.
 * With `distance` (the stars' 3-D distance, so the choice does not change as the sky turns) a link is drawn
 * when it joins a star to one of that star's {@link LINES_PER_STAR} nearest linked stars, a path link first
 * at equal distance. The seed links a capture to every star of the session's path and to every star of a
 * similar genre: a listener who captures along the dial gets every pair joined (16 stars, 120 lines), a
 * hairball that hides the figure. The nearest links trace the walk (each capture is placed next to the last).
 */
export function skyLines(links: readonly SkyLink[], at: ReadonlyMap<string, SkyPoint>, distance?: (a: string, b: string) => number): SkyLine[] {
  const best = new Map<string, SkyLink>();
  for (const l of links) {
    if (l.from === l.to || !at.has(l.from) || !at.has(l.to)) continue;
    const key = l.from < l.to ? `${l.from}\u0000${l.to}` : `${l.to}\u0000${l.from}`;
    const seen = best.get(key);
    if (!seen || l.strength > seen.strength || (l.type === 'discovery_path' && seen.type !== 'discovery_path' && l.strength === seen.strength))
      best.set(key, l);
  }
  const kept = distance ? nearestLinks([...best.values()], distance) : [...best.values()];
  return kept.map((l) => ({ from: l.from, to: l.to, a: at.get(l.from)!, b: at.get(l.to)!, strength: l.strength, type: l.type }));
}

function nearestLinks(links: SkyLink[], distance: (a: string, b: string) => number): SkyLink[] {
  const near = new Map<string, SkyLink[]>();
  for (const l of links) for (const id of [l.from, l.to]) near.set(id, [...(near.get(id) ?? []), l]);
  const keep = new Set<SkyLink>();
  const path = (l: SkyLink) => (l.type === 'discovery_path' ? 0 : 1);
  for (const [id, list] of near) {
    const other = (l: SkyLink) => (l.from === id ? l.to : l.from);
    list.sort((a, b) => distance(id, other(a)) - distance(id, other(b)) || path(a) - path(b) || b.strength - a.strength);
    for (const l of list.slice(0, LINES_PER_STAR)) keep.add(l);
  }
  return links.filter((l) => keep.has(l));
}

export interface SkyLabelOptions {
  /** Width of a name in the box's units. */
  measure(text: string): number;
  labelHeight: number;
  dotRadius: number;
  /** Ids in order of importance (earlier wins a contested spot); default: the stars' order reversed (newest first). */
  order?: readonly string[];
}

/** Name boxes for the stars at their projected points: none overlaps another, a dot, or leaves the box. */
export function skyLabels(
  stars: readonly SkyStar[],
  at: ReadonlyMap<string, SkyPoint>,
  width: number,
  height: number,
  o: SkyLabelOptions,
): Map<string, Box | null> {
  const byId = new Map(stars.map((s) => [s.id, s]));
  const ids = o.order ?? [...stars].reverse().map((s) => s.id);
  const requests = ids
    .filter((id) => at.has(id) && byId.has(id))
    .map((id) => ({ id, x: at.get(id)!.x, y: at.get(id)!.y, w: o.measure(byId.get(id)!.name), h: o.labelHeight }));
  const r = o.dotRadius + 1;
  const dots = [...at.values()].map((p) => ({ x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r }));
  return layoutLabels(requests, width, height, dots, o.dotRadius + 2);
}

/**
 * A faint line from a star to its name when the name had to sit a row or more away (else null): the
 * segment from the star's centre to the nearest point of the box.
 */
export function leaderLine(p: SkyPoint, b: Box, dotRadius: number): { x1: number; y1: number; x2: number; y2: number } | null {
  const x = Math.min(Math.max(p.x, b.x), b.x + b.w);
  const y = Math.min(Math.max(p.y, b.y), b.y + b.h);
  return Math.hypot(x - p.x, y - p.y) < dotRadius + 8 ? null : { x1: p.x, y1: p.y, x2: x, y2: y };
}

export interface SkyLayout {
  points: Map<string, SkyPoint>;
  lines: SkyLine[];
  labels: Map<string, Box | null>;
}

const spaceDistance = (a: Point3, b: Point3): number => Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);

/** The whole static sky: camera, points, lines and labels (the preview picture and tests use this). */
export function layoutSky(stars: readonly SkyStar[], links: readonly SkyLink[], view: SkyView, labels: SkyLabelOptions): SkyLayout {
  const camera = skyCamera(
    stars.map((s) => s.position),
    { marginX: labels.dotRadius + 6, marginY: labels.labelHeight + labels.dotRadius + 8, ...view },
  );
  const points = new Map(stars.map((s) => [s.id, camera.project(s.position)]));
  const byId = new Map(stars.map((s) => [s.id, s.position]));
  const distance = (a: string, b: string) => spaceDistance(byId.get(a)!, byId.get(b)!);
  return { points, lines: skyLines(links, points, distance), labels: skyLabels(stars, points, view.width, view.height, labels) };
}
