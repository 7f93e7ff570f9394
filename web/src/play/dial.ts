/**
 * The tuner strip: a window of the FM band that scrolls under a fixed needle as `dial.frequency`
 * moves, with station markers, the predicted landing spot while moving, and a lock glow.
 */
import { fitCanvas } from '../shared/dom.js';
import { dragPreviewFrequency } from './gesture.js';

export interface StationMark {
  frequency: number;
  label: string;
}

export interface DialFrame {
  frequency: number;
  predicted: number;
  locked: boolean;
  /** Live drag offset in px (the strip follows the finger before the flick is sent). */
  dragPx: number;
}

const BAND_MIN = 87.5;
const BAND_MAX = 108;
/** MHz visible across the strip on a wide screen; a narrow one shows less of the band, larger (see {@link spanFor}). */
const SPAN_MHZ = 8;
/** Pixels per MHz a narrow strip keeps at least (stations 0.2 MHz apart stay 19 px apart). */
const MIN_PX_PER_MHZ = 95;
/** Baselines of the station names' rows, under the dots (y = 9) and above the MHz figures and ticks: four on a phone's taller strip. */
const LABEL_ROWS = [24, 37, 50, 63] as const;

/** MHz shown across a strip `width` px wide: 8 on a desktop, down to 4 on a phone, where 8 would crowd the names out. */
export function spanFor(width: number): number {
  return Math.min(SPAN_MHZ, Math.max(4, width / MIN_PX_PER_MHZ));
}

/**
 * A station's name and shorter forms for a crowded strip, longest first: "King Sunny Ade" → "K. S. Ade"
 * → "K. Ade"; any name also shortened to its first letters ("Ladysm…", "Lady…", "La…"). A tap names it whole.
 */
export function labelForms(label: string): string[] {
  const words = label.split(/\s+/).filter(Boolean);
  const forms = [label];
  if (words.length > 1) {
    const last = words[words.length - 1];
    const initials = words.slice(0, -1).map((w) => `${[...w][0]}.`);
    forms.push(`${initials.join(' ')} ${last}`, `${initials[0]} ${last}`);
  }
  for (const n of [7, 4, 2]) if ([...label].length > n + 2) forms.push(`${[...label].slice(0, n).join('').trimEnd()}…`);
  return [...new Set(forms)];
}

export class DialStrip {
  stations: StationMark[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** Where each station's dot was drawn in the last frame (CSS px), for a tap or a pointer on the strip. */
  private dots: Array<{ x: number; station: StationMark }> = [];

  /** The station whose dot is nearest `x` (CSS px) within `radius`, or null. */
  stationAt(x: number, radius = 16): StationMark | null {
    let best: { x: number; station: StationMark } | null = null;
    for (const d of this.dots) if (Math.abs(d.x - x) <= radius && (!best || Math.abs(d.x - x) < Math.abs(best.x - x))) best = d;
    return best?.station ?? null;
  }

  /**
   * Station dots, and labels where they fit on the rows under them: the station under the needle first, then
   * outwards, each on the first row where it overlaps no other, so close stations (0.1–0.3 MHz apart) never
   * print on top of each other. A name with no room is tried in shorter forms ({@link labelForms}) before it
   * is left out. The canvas's `data-unnamed` counts the dots on screen left without any name,
   * `data-shortened` those named in short.
   */
  private drawStations(ctx: CanvasRenderingContext2D, xOf: (f: number) => number, width: number, current: number): { x: number; label: string } | null {
    const visible = this.stations.filter((s) => {
      const x = xOf(s.frequency);
      return x > -80 && x < width + 80;
    });
    for (const s of visible) {
      ctx.fillStyle = '#f6c177';
      ctx.beginPath();
      ctx.arc(xOf(s.frequency), 9, 3.5, 0, Math.PI * 2);
      ctx.fill();
    }
    this.dots = visible.map((s) => ({ x: xOf(s.frequency), station: s }));
    // A strip too short for three rows (a desktop's 64 px) uses two.
    const rowsHere = LABEL_ROWS.filter((y) => y <= this.canvas.clientHeight - 22);
    const rows: Array<Array<[number, number]>> = rowsHere.map(() => []);
    let nearest: { x: number; label: string } | null = null;
    let unnamed = 0;
    let shortened = 0;
    const byDistance = [...visible].sort((a, b) => Math.abs(a.frequency - current) - Math.abs(b.frequency - current));
    for (const [i, s] of byDistance.entries()) {
      ctx.font = i === 0 ? '600 12px system-ui, sans-serif' : '11px system-ui, sans-serif';
      const dot = xOf(s.frequency);
      // A dot past the strip's edge prints no name (it showed as a stray fragment: "Lagb", "Z").
      if (dot < 0 || dot > width) continue;
      // The station under the needle keeps its whole name (drawn again over the needle below).
      const forms = i === 0 ? [s.label] : labelForms(s.label);
      let placed: { row: number; text: string; half: number; x: number } | null = null;
      for (const text of forms) {
        const half = ctx.measureText(text).width / 2 + 3;
        // A name near an edge moves inward to stay whole (its dot stays where it is); one next to the needle may
        // move off it to its dot's side, as long as it still spans its dot.
        const at = Math.min(Math.max(dot, half), width - half);
        const aside = dot >= width / 2 ? width / 2 + 4 + half : width / 2 - 4 - half;
        for (const x of Math.abs(aside - dot) <= half - 3 ? [at, aside] : [at]) {
          const row = rows.findIndex((taken) => !taken.some(([l, r]) => x + half > l && x - half < r));
          if (row >= 0) {
            placed = { row, text, half, x };
            break;
          }
        }
        if (placed) break;
      }
      if (!placed) {
        unnamed++;
        continue;
      }
      const x = placed.x;
      if (placed.text !== s.label) shortened++;
      rows[placed.row].push([x - placed.half, x + placed.half]);
      ctx.fillStyle = i === 0 ? '#ffffff' : '#e0def4aa';
      ctx.fillText(placed.text, x, rowsHere[placed.row]);
      if (i === 0) {
        nearest = { x, label: s.label };
        // No other name across the needle (it would read split: "Roy|Ayers").
        for (const taken of rows) taken.push([width / 2 - 3, width / 2 + 3]);
      }
    }
    if (this.canvas.dataset.unnamed !== String(unnamed)) this.canvas.dataset.unnamed = String(unnamed);
    if (this.canvas.dataset.shortened !== String(shortened)) this.canvas.dataset.shortened = String(shortened);
    return nearest;
  }

  /** The station nearest the needle, written again over it on a dark pill: the needle never splits its name ("Wiz|kid"). */
  private drawNearestOverNeedle(ctx: CanvasRenderingContext2D, width: number, nearest: { x: number; label: string } | null): void {
    if (!nearest) return;
    ctx.font = '600 12px system-ui, sans-serif';
    const w = ctx.measureText(nearest.label).width + 10;
    if (Math.abs(nearest.x - width / 2) > w / 2 + 2) return;
    ctx.fillStyle = '#14121fe6';
    ctx.beginPath();
    ctx.roundRect(nearest.x - w / 2, LABEL_ROWS[0] - 12, w, 16, 4);
    ctx.fill();
    ctx.fillStyle = '#ffffff';
    ctx.fillText(nearest.label, nearest.x, LABEL_ROWS[0]);
  }

  private announced = '';

  /** The frequency under the needle, for assistive technology (role="slider"; also what the browser tests read). */
  private announce(centre: number): void {
    const value = centre.toFixed(2);
    if (value === this.announced) return;
    this.announced = value;
    this.canvas.setAttribute('aria-valuenow', value);
    this.canvas.setAttribute('aria-valuetext', `${centre.toFixed(1)} MHz`);
  }

  render(frame: DialFrame): void {
    const { ctx, width, height } = fitCanvas(this.canvas);
    const span = spanFor(width);
    const pxPerMhz = width / span;
    const centre = dragPreviewFrequency(frame.frequency, frame.dragPx, pxPerMhz);
    this.announce(centre);
    const xOf = (f: number) => width / 2 + (f - centre) * pxPerMhz;

    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#14121f';
    ctx.fillRect(0, 0, width, height);

    // Ticks every 0.1 MHz, taller every 0.5 and 1 MHz; whole MHz figures beside their tall tick, under the names' rows.
    ctx.textAlign = 'left';
    ctx.font = '10px ui-monospace, monospace';
    const from = Math.max(BAND_MIN, Math.floor((centre - span / 2) * 10) / 10);
    const to = Math.min(BAND_MAX, centre + span / 2);
    for (let tenth = Math.round(from * 10); tenth <= Math.round(to * 10); tenth++) {
      const f = tenth / 10;
      const x = xOf(f);
      const tall = tenth % 10 === 0 ? 18 : tenth % 5 === 0 ? 11 : 6;
      ctx.fillStyle = '#6e6a86';
      ctx.fillRect(x, height - tall, 1, tall);
      if (tenth % 10 === 0) ctx.fillText(f.toFixed(0), x + 4, height - 7);
    }
    ctx.textAlign = 'center';

    const nearest = this.drawStations(ctx, xOf, width, frame.frequency);

    if (!frame.locked) {
      const px = xOf(frame.predicted);
      ctx.strokeStyle = '#9ccfd8aa';
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      ctx.moveTo(px, 4);
      ctx.lineTo(px, height - 4);
      ctx.stroke();
      ctx.setLineDash([]);
    }

    // The needle stays in the middle: the band moves, like a real tuner.
    ctx.shadowColor = frame.locked ? '#a6e3a1' : '#eb6f92';
    ctx.shadowBlur = frame.locked ? 14 : 6;
    ctx.fillStyle = frame.locked ? '#a6e3a1' : '#eb6f92';
    ctx.fillRect(width / 2 - 1.5, 0, 3, height);
    ctx.shadowBlur = 0;
    this.drawNearestOverNeedle(ctx, width, nearest);
  }
}

/** "artist_burna_boy" → "Burna Boy", "artist_2baba" → "2Baba" (the station list carries ids only). */
export function labelFromArtistId(artistId: string): string {
  return (
    artistId
      .replace(/^artist_/, '')
      .split('_')
      .filter(Boolean)
      // The first letter, not the first character: "2baba" is the catalog's "2Baba".
      .map((w) => w.replace(/\p{L}/u, (c) => c.toUpperCase()))
      .join(' ')
  );
}
