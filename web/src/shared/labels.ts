/**
 * Labels that never overlap: a greedy layout of label boxes around their anchors (most important
 * first), and a DOM overlay that shows the result over a canvas. A label that finds no free spot is
 * hidden rather than drawn over another: a name half covered reads as a wrong name.
 */
import { el } from './dom.js';

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
 */
export function layoutLabels(requests: readonly LabelRequest[], width: number, height: number, obstacles: readonly Box[] = [], anchorRadius = 6): Map<string, Box | null> {
  const placed: Box[] = [];
  const result = new Map<string, Box | null>();
  const pad = (b: Box): Box => ({ x: b.x - GAP / 2, y: b.y - GAP / 2, w: b.w + GAP, h: b.h + GAP });
  for (const r of requests) {
    let chosen: Box | null = null;
    if (r.w + 2 * GAP <= width && r.h + 2 * GAP <= height) {
      for (const c of candidates(r, anchorRadius)) {
        const box = clampInto(c, width, height);
        const padded = pad(box);
        if (placed.some((p) => overlaps(padded, p)) || obstacles.some((o) => overlaps(padded, o))) continue;
        chosen = box;
        break;
      }
    }
    if (chosen) placed.push(pad(chosen));
    result.set(r.id, chosen);
  }
  return result;
}

export interface OverlayLabel {
  id: string;
  text: string;
  x: number;
  y: number;
  /** Shown as the label's colour (a cluster's), else the overlay's default. */
  color?: string;
}

/**
 * Names drawn as DOM text over a canvas (crisp at any pixel ratio, readable by a screen reader and
 * measurable by a test), laid out with layoutLabels. Only labels whose box moved are touched.
 */
export class LabelOverlay {
  readonly root: HTMLDivElement;
  private readonly spans = new Map<string, HTMLSpanElement>();
  private readonly widths = new Map<string, number>();
  private lastKey = '';
  private boxes = new Map<string, Box | null>();

  constructor(canvas: HTMLCanvasElement, className = 'sky-labels') {
    const wrap = el('div', { class: 'sky' });
    canvas.replaceWith(wrap);
    this.root = el('div', { class: className, 'aria-hidden': 'true' });
    wrap.append(canvas, this.root);
  }

  /** Lays the labels out, in order of importance (earlier wins a contested spot); returns the boxes. */
  update(labels: readonly OverlayLabel[], width: number, height: number, dots: readonly Box[], dotRadius: number): Map<string, Box | null> {
    const key = `${width}|${height}|${labels.map((l) => `${l.id}:${l.text}:${Math.round(l.x)}:${Math.round(l.y)}:${l.color ?? ''}`).join(',')}`;
    if (key === this.lastKey) return this.boxes;
    this.lastKey = key;
    const requests = labels.map((l) => ({ id: l.id, x: l.x, y: l.y, w: this.widthOf(l), h: LABEL_HEIGHT }));
    const boxes = layoutLabels(requests, width, height, dots, dotRadius);
    this.boxes = boxes;
    for (const [id, span] of this.spans) {
      if (boxes.has(id)) continue;
      span.remove();
      this.spans.delete(id);
    }
    for (const l of labels) {
      const span = this.spanOf(l);
      const box = boxes.get(l.id) ?? null;
      span.hidden = box === null;
      if (box) span.style.transform = `translate(${Math.round(box.x)}px, ${Math.round(box.y)}px)`;
      span.style.color = l.color ?? '';
    }
    return boxes;
  }

  private spanOf(l: OverlayLabel): HTMLSpanElement {
    let span = this.spans.get(l.id);
    if (!span) {
      span = el('span', { class: 'sky-label', 'data-id': l.id });
      this.root.append(span);
      this.spans.set(l.id, span);
    }
    if (span.textContent !== l.text) span.textContent = l.text;
    return span;
  }

  /** The label's rendered width (measured once per text; the font does not change). */
  private widthOf(l: OverlayLabel): number {
    let w = this.widths.get(l.text);
    if (w === undefined) {
      const span = this.spanOf(l);
      span.hidden = false;
      const measured = Math.ceil(span.getBoundingClientRect().width);
      // Inside a hidden panel nothing has a size yet: estimate, and measure again once shown.
      if (measured === 0) return l.text.length * 6.5;
      this.widths.set(l.text, (w = measured));
    }
    return w;
  }
}

/** Height of a label box: the 11 px font's line (see .sky-label in common.css). */
export const LABEL_HEIGHT = 14;
