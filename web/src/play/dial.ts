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
/** MHz visible across the strip. */
const SPAN_MHZ = 8;
/** Baselines of the station names' two rows, under the dots (y = 9) and above the MHz figures and ticks. */
const LABEL_ROWS = [24, 37] as const;

export class DialStrip {
  stations: StationMark[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /**
   * Station dots, and labels where they fit on two rows under them: the station under the needle first, then
   * outwards, each on the first row where it overlaps no other, so close stations (0.1–0.3 MHz apart) never
   * print on top of each other and a desktop names every dot. The canvas's `data-unnamed` counts the dots on
   * screen left without a name (a phone's 390 px cannot hold them all).
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
    const rows: Array<Array<[number, number]>> = LABEL_ROWS.map(() => []);
    let nearest: { x: number; label: string } | null = null;
    let unnamed = 0;
    const byDistance = [...visible].sort((a, b) => Math.abs(a.frequency - current) - Math.abs(b.frequency - current));
    for (const [i, s] of byDistance.entries()) {
      ctx.font = i === 0 ? '600 12px system-ui, sans-serif' : '11px system-ui, sans-serif';
      const half = ctx.measureText(s.label).width / 2 + 4;
      const x = xOf(s.frequency);
      const row = rows.findIndex((taken) => !taken.some(([l, r]) => x + half > l && x - half < r));
      if (row < 0) {
        if (x >= 0 && x <= width) unnamed++;
        continue;
      }
      rows[row].push([x - half, x + half]);
      ctx.fillStyle = i === 0 ? '#ffffff' : '#e0def4aa';
      ctx.fillText(s.label, x, LABEL_ROWS[row]);
      if (i === 0) nearest = { x, label: s.label };
    }
    if (this.canvas.dataset.unnamed !== String(unnamed)) this.canvas.dataset.unnamed = String(unnamed);
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
    const pxPerMhz = width / SPAN_MHZ;
    const centre = dragPreviewFrequency(frame.frequency, frame.dragPx, pxPerMhz);
    this.announce(centre);
    const xOf = (f: number) => width / 2 + (f - centre) * pxPerMhz;

    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#14121f';
    ctx.fillRect(0, 0, width, height);

    // Ticks every 0.1 MHz, taller every 0.5 and 1 MHz; whole MHz figures beside their tall tick, under the names' rows.
    ctx.textAlign = 'left';
    ctx.font = '10px ui-monospace, monospace';
    const from = Math.max(BAND_MIN, Math.floor((centre - SPAN_MHZ / 2) * 10) / 10);
    const to = Math.min(BAND_MAX, centre + SPAN_MHZ / 2);
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
