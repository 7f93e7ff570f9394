/**
 * One sky for every view of a constellation (/play, the journal, /shared, the preview picture, ops): the stars
 * through a perspective camera, turned by a yaw and a small pitch, scaled to fill the box; lines only for links
 * that exist; names that never overlap or leave the box. The caller measures text.
 */
import { layoutLabels, type Box } from './skyLabels.js';
import { distance as spaceDistance, type Point3, type StarConnection } from './constellation.js';

/** More below, for the labels. */
const DEFAULT_MARGIN = { x: 12, y: 24 } as const;

export interface SkyStar {
  readonly id: string;
  readonly name: string;
  readonly position: Point3;
}

export type SkyLink = Omit<StarConnection, 'type'> & { readonly type?: string };

export interface SkyView {
  /** Caller's units (CSS px on pages, px in the preview). */
  readonly width: number;
  readonly height: number;
  /** Radians about the vertical axis: a page turns it slowly ({@link skyYaw}). */
  readonly yaw?: number;
  /** Every yaw of a page's sway: fitted to all of them, a turning sky keeps one size instead of breathing. */
  readonly fitYaws?: readonly number[];
  /** Radians above the stars' plane, so depth shows as height. */
  readonly pitch?: number;
  /** A dot and its name must fit. */
  readonly marginX?: number;
  readonly marginY?: number;
  /** Default {@link SKY_EVEN}; 0 is a plain fit. */
  readonly even?: number;
}

export interface SkyPoint {
  x: number;
  y: number;
  /** > 1 nearer the camera. */
  scale: number;
}

/** Field of view, and how far the camera stands back (at least) from the centre. */
export const SKY_FOV_DEG = 45;
export const SKY_PULL_BACK = 300;
/** Enough to show depth, little enough to keep "up" up. */
export const SKY_PITCH = (18 * Math.PI) / 180;
export const SKY_YAW = (-24 * Math.PI) / 180;
/** ±18° about {@link SKY_YAW}, once a minute. */
export const SKY_SWAY = (18 * Math.PI) / 180;
export const SKY_SWAY_PERIOD_MS = 60_000;

/** Reduced motion keeps the still view. */
export function skyYaw(nowMs: number, still = false): number {
  return still ? SKY_YAW : SKY_YAW + SKY_SWAY * Math.sin((2 * Math.PI * nowMs) / SKY_SWAY_PERIOD_MS);
}

export const SKY_SWAY_YAWS: readonly number[] = Object.freeze([-1, -0.5, 0, 0.5, 1].map((k) => SKY_YAW + k * SKY_SWAY));

/** Axes scale separately, never stretched more than this. */
const MAX_STRETCH = 4;
/**
 * 0 is a plain fit (the diagonal ancestor and influenced offsets leave two corners empty and a dense middle),
 * 1 even steps. Monotone: older artists stay above, left stays left.
 */
export const SKY_EVEN = 0.6;

/**
 * Between the linear fit and the values' ranks (`even`), piecewise linear so a moving star moves continuously;
 * linear outside the range; a single value maps to ½.
 */
function evenAxis(values: readonly number[], even: number): (v: number) => number {
  const s = [...values].sort((a, b) => a - b);
  const lo = s[0] ?? 0;
  const hi = s[s.length - 1] ?? 0;
  if (!(hi - lo > 1e-6)) return () => 0.5;
  // Mean rank per distinct value (a star drawn at several fit yaws counts each time).
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

/** The axis-aligned box, its centre and longest side; an empty sky is the origin. */
export function skyBounds(positions: readonly Point3[]) {
  const axis = (k: keyof Point3) => (positions.length ? [Math.min(...positions.map((p) => p[k])), Math.max(...positions.map((p) => p[k]))] : [0, 0]);
  const [[minX, maxX], [minY, maxY], [minZ, maxZ]] = [axis('x'), axis('y'), axis('z')];
  return {
    min: { x: minX, y: minY, z: minZ },
    max: { x: maxX, y: maxY, z: maxZ },
    center: { x: (minX + maxX) / 2, y: (minY + maxY) / 2, z: (minZ + maxZ) / 2 },
    spread: Math.max(maxX - minX, maxY - minY, maxZ - minZ),
  };
}

/**
 * Projects any point (a star in flight too) into the box. Pulled back by the larger of 300 and 1.6 × the spread (else
 * a wide sky has stars behind the lens). Then sheared so height no longer predicts left or right (ancestors go
 * up-left, influenced down-right: a diagonal band), evened by {@link SKY_EVEN}, each axis scaled to its side
 * (≤ {@link MAX_STRETCH} × the other). One star sits in the middle.
 */
export function skyCamera(positions: readonly Point3[], view: SkyView) {
  const { width, height } = view;
  const { center: centre, spread } = skyBounds(positions);
  const distance = Math.max(SKY_PULL_BACK, spread * 1.6);
  const focal = 1 / Math.tan((SKY_FOV_DEG * Math.PI) / 360);
  const yaw = view.yaw ?? SKY_YAW;
  const pitch = view.pitch ?? SKY_PITCH;
  const [cp, sp] = [Math.cos(pitch), Math.sin(pitch)];
  const rawAt = (p: Point3, turn: number) => {
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
  // Bounded, so a near-vertical line of stars is not flung sideways.
  const mean = (vals: number[]) => vals.reduce((a, v) => a + v, 0) / Math.max(1, vals.length);
  const [meanX, meanY] = [mean(pts.map((p) => p.x)), mean(pts.map((p) => p.y))];
  const varY = pts.reduce((a, p) => a + (p.y - meanY) ** 2, 0);
  const covXY = pts.reduce((a, p) => a + (p.x - meanX) * (p.y - meanY), 0);
  const shear = varY > 1e-6 ? Math.max(-1.5, Math.min(1.5, covXY / varY)) : 0;
  const sheared = (r: ReturnType<typeof rawAt>) => ({ x: r.x - shear * (r.y - meanY), y: r.y, depth: r.depth });
  const framed = pts.map(sheared);
  const xs = framed.map((p) => p.x);
  const ys = framed.map((p) => p.y);
  const [fx, fy] = [evenAxis(xs, view.even ?? SKY_EVEN), evenAxis(ys, view.even ?? SKY_EVEN)];
  const range = (vals: number[]) => (vals.length ? Math.max(...vals) - Math.min(...vals) : 0);
  const availX = Math.max(1, width - 2 * (view.marginX ?? DEFAULT_MARGIN.x));
  const availY = Math.max(1, height - 2 * (view.marginY ?? DEFAULT_MARGIN.y));
  // A flat row of peers stays a row, not a band across the whole height.
  const [rx, ry] = [range(xs), range(ys)];
  const k = Math.min(rx > 1e-6 ? availX / rx : Infinity, ry > 1e-6 ? availY / ry : Infinity);
  const spanX = Number.isFinite(k) ? Math.min(1, (k * MAX_STRETCH * rx) / availX) : 1;
  const spanY = Number.isFinite(k) ? Math.min(1, (k * MAX_STRETCH * ry) / availY) : 1;
  return {
    project: (p: Point3): SkyPoint => {
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

/** Every line a star keeps is drawn, so a star may show more. */
export const LINES_PER_STAR = 2;

/**
 * Each existing link once (the strongest of a pair), between stars in the sky; never invented. With `distance`
 * (3-D, so the choice holds as the sky turns) a link is drawn when it joins a star to one of its
 * {@link LINES_PER_STAR} nearest linked stars, path links first at equal distance: capturing along the dial links
 * every pair (16 stars, 120 lines), a hairball; the nearest links trace the walk.
 */
export function skyLines(links: readonly SkyLink[], at: ReadonlyMap<string, SkyPoint>, distance?: (a: string, b: string) => number) {
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
  measure(text: string): number;
  labelHeight: number;
  dotRadius: number;
}

/** When the name had to sit a row or more away: star centre to the box's nearest point; else null. */
export function leaderLine(p: SkyPoint, b: Box, dotRadius: number): { x1: number; y1: number; x2: number; y2: number } | null {
  const x = Math.min(Math.max(p.x, b.x), b.x + b.w);
  const y = Math.min(Math.max(p.y, b.y), b.y + b.h);
  return Math.hypot(x - p.x, y - p.y) < dotRadius + 8 ? null : { x1: p.x, y1: p.y, x2: x, y2: y };
}

/** The preview picture and tests use this. Names, newest first, never overlap another, a dot, or leave the box. */
export function layoutSky(stars: readonly SkyStar[], links: readonly SkyLink[], view: SkyView, o: SkyLabelOptions) {
  const positions = stars.map((s) => s.position);
  const camera = skyCamera(positions, { marginX: o.dotRadius + 6, marginY: o.labelHeight + o.dotRadius + 8, ...view });
  const points = new Map(stars.map((s) => [s.id, camera.project(s.position)]));
  const byId = new Map(stars.map((s) => [s.id, s.position]));
  const distance = (a: string, b: string) => spaceDistance(byId.get(a)!, byId.get(b)!);
  const requests = [...stars].reverse().map((s) => ({ id: s.id, x: points.get(s.id)!.x, y: points.get(s.id)!.y, w: o.measure(s.name), h: o.labelHeight }));
  const r = o.dotRadius + 1;
  const dots = [...points.values()].map((p) => ({ x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r }));
  return { points, lines: skyLines(links, points, distance), labels: layoutLabels(requests, view.width, view.height, dots, o.dotRadius + 2) };
}
