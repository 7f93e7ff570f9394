/**
 * Greedy non-overlapping labels, most important first. A label with no free spot is left out: a name half
 * covered reads as a wrong name. Shared by the pages and the server's preview picture.
 */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LabelRequest {
  id: string;
  /** A star's centre, container px. */
  x: number;
  y: number;
  w: number;
  h: number;
}

const GAP = 3;

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Nearest first: around the anchor, then rows farther above and below (a crowded cluster stacks its names). */
function candidates(r: LabelRequest, radius: number): Box[] {
  const out: Box[] = [];
  const centreX = r.x - r.w / 2;
  const right = r.x + radius;
  const left = r.x - radius - r.w;
  for (let row = 0; row < ROWS; row++) {
    const d = radius + row * (r.h + GAP);
    const above = r.y - d - r.h;
    const below = r.y + d;
    out.push({ x: centreX, y: above, w: r.w, h: r.h }, { x: centreX, y: below, w: r.w, h: r.h });
    if (row === 0) out.push({ x: right, y: r.y - r.h / 2, w: r.w, h: r.h }, { x: left, y: r.y - r.h / 2, w: r.w, h: r.h });
    for (const x of [right, left]) out.push({ x, y: above, w: r.w, h: r.h }, { x, y: below, w: r.w, h: r.h });
  }
  return out;
}

const ROWS = 4;

/** Labels near an edge stay whole. */
function clampInto(b: Box, width: number, height: number): Box {
  return { ...b, x: Math.min(Math.max(GAP, b.x), width - GAP - b.w), y: Math.min(Math.max(GAP, b.y), height - GAP - b.h) };
}

/**
 * Each request takes the first candidate, inside the box, touching no earlier label or obstacle (padded by GAP);
 * null for a label left out. `sticky` (id → candidate index, updated in place) tries last frame's spot first, so
 * a name does not hop as its star drifts.
 */
export function layoutLabels(
  requests: readonly LabelRequest[],
  width: number,
  height: number,
  obstacles: readonly Box[] = [],
  anchorRadius = 6,
  sticky?: Map<string, number>,
): Map<string, Box | null> {
  const placed: Box[] = [];
  const result = new Map<string, Box | null>();
  const pad = (b: Box): Box => ({ x: b.x - GAP / 2, y: b.y - GAP / 2, w: b.w + GAP, h: b.h + GAP });
  for (const r of requests) {
    let chosen: Box | null = null;
    let chosenIndex = -1;
    if (r.w + 2 * GAP <= width && r.h + 2 * GAP <= height) {
      const spots = candidates(r, anchorRadius);
      const previous = sticky?.get(r.id);
      const order = previous !== undefined && previous < spots.length ? [previous, ...spots.keys()] : [...spots.keys()];
      for (const i of order) {
        const box = clampInto(spots[i], width, height);
        const padded = pad(box);
        if (placed.some((p) => overlaps(padded, p)) || obstacles.some((o) => overlaps(padded, o))) continue;
        [chosen, chosenIndex] = [box, i];
        break;
      }
    }
    if (chosen) placed.push(pad(chosen));
    if (sticky) {
      if (chosenIndex >= 0) sticky.set(r.id, chosenIndex);
      else sticky.delete(r.id);
    }
    result.set(r.id, chosen);
  }
  return result;
}
