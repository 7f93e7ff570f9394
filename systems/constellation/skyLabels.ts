/**
 * Labels that never overlap: a greedy layout of label boxes around their anchors (most important first).
 * A label that finds no free spot is left out rather than drawn over another: a name half covered reads
 * as a wrong name. Pure, so the pages (web/) and the server's preview picture place names the same way.
 */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LabelRequest {
  id: string;
  /** The point the label names (a star's centre), in the container's px. */
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Room kept between a label and its anchor, other labels and the container's edge. */
const GAP = 3;

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * Where a label may sit, nearest first: above, below, right, left, the four corners; then rows farther
 * above and below, one label height apart (a crowded cluster stacks its names, drawn with a leader line,
 * instead of dropping them).
 */
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

/** Rows of candidates above and below a star before its label is left out. */
const ROWS = 4;

/** Moves a box inside the bounds (labels near an edge stay whole instead of being cut). */
function clampInto(b: Box, width: number, height: number): Box {
  return { ...b, x: Math.min(Math.max(GAP, b.x), width - GAP - b.w), y: Math.min(Math.max(GAP, b.y), height - GAP - b.h) };
}

/**
 * Greedy placement: each request in the given order takes the first candidate that, kept inside
 * width × height, touches neither an earlier label nor an obstacle (the dots themselves, a glow).
 * Returns the box per id, or null for a label left out. Boxes are padded by GAP when compared.
 *
 * `sticky` (id → candidate index) keeps a moving sky's names still: a label first tries the spot it had
 * in the previous frame, so a name does not hop from side to side as its star drifts. It is read and
 * updated in place by the caller's frames.
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
