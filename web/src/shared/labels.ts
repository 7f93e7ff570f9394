/**
 * A DOM overlay that shows non-overlapping labels over a canvas; the layout itself is pure and shared
 * with the server's pictures (systems/constellation/skyLabels.ts).
 */
import { el } from './dom.js';
import { layoutLabels, type Box } from '../../../systems/constellation/skyLabels.js';

export { layoutLabels, overlaps, type Box, type LabelRequest } from '../../../systems/constellation/skyLabels.js';

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
  /** Each label's spot in the last layout, tried first next time (a turning sky's names stay put). */
  private readonly sticky = new Map<string, number>();
  /** The labels' font size the widths were measured in. */
  private fontSize = '';

  constructor(canvas: HTMLCanvasElement, className = 'sky-labels') {
    const wrap = el('div', { class: 'sky' });
    canvas.replaceWith(wrap);
    this.root = el('div', { class: className, 'aria-hidden': 'true' });
    wrap.append(canvas, this.root);
  }

  /** Lays the labels out, in order of importance (earlier wins a contested spot); returns the boxes. */
  update(labels: readonly OverlayLabel[], width: number, height: number, dots: readonly Box[], dotRadius: number): Map<string, Box | null> {
    // The page may set a larger size (a desktop's share page): a box is as tall as the font's line, and widths
    // measured in another size are measured again.
    const style = getComputedStyle(this.root);
    const lineHeight = parseFloat(style.getPropertyValue('--sky-label-line')) || LABEL_HEIGHT;
    if (style.fontSize !== this.fontSize) {
      this.fontSize = style.fontSize;
      this.widths.clear();
    }
    const key = `${width}|${height}|${lineHeight}|${labels.map((l) => `${l.id}:${l.text}:${Math.round(l.x)}:${Math.round(l.y)}:${l.color ?? ''}`).join(',')}`;
    if (key === this.lastKey) return this.boxes;
    // A new box size starts afresh: spots kept from another size would hold names where they no longer fit best.
    if (!this.lastKey.startsWith(`${width}|${height}|`)) this.sticky.clear();
    this.lastKey = key;
    const requests = labels.map((l) => ({ id: l.id, x: l.x, y: l.y, w: this.widthOf(l), h: lineHeight }));
    const boxes = layoutLabels(requests, width, height, dots, dotRadius, this.sticky);
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
      // A name left out says where its star is: the page shows it on a point or a tap there (and a test finds it).
      const at = box ? '' : `${Math.round(l.x)},${Math.round(l.y)}`;
      if (span.dataset.at !== at) span.dataset.at = at;
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

/** Height of a label box: the 11 px font's line (see .sky-label in common.css), unless the page sets `--sky-label-line`. */
export const LABEL_HEIGHT = 14;
