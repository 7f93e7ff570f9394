/**
 * Artists' pictures for the stage: the asset pipeline's image when the station payload says it has one
 * (`/api/artists/:id/image/@2x` for the artist on air, the thumbnail for an orb), else the same generated
 * poster the server would draw (systems/assets/demoArtwork.ts, drawn here from the artist's id and name), so
 * every station has a cover even before the pipeline has run. Images are kept per artist once decoded, and
 * each drawn size is cut into a rounded square or a disc once, not every frame.
 */
import { artworkPalette, demoArtworkSvg } from '../../../systems/assets/demoArtwork.js';

export interface ArtSubject {
  id: string;
  name: string;
  /** "1970s–present": the first year picks the poster's warmer palette for older artists. */
  era?: string;
}

type Shape = 'square' | 'disc';

/** The station payload's parts this reads (GET /api/stations/:frequency). */
export interface StationPictures {
  artist?: { id?: string; hero_image?: string };
  influence_orbs?: Array<{ artist_id?: string; thumbnail?: string }>;
}

const POSTER_PX = 512;
/** Cut images kept (sizes × artists); a long session visits many stations. */
const MAX_CUTS = 64;

export class ArtworkCache {
  /** Processed picture per artist, or null when the pipeline has none (the poster then). */
  private readonly sources = new Map<string, string | null>();
  private readonly images = new Map<string, HTMLImageElement | 'loading' | 'failed'>();
  private readonly cuts = new Map<string, HTMLCanvasElement>();

  /** Records what a station payload says about its artist's and its orbs' pictures. */
  learn(station: StationPictures): void {
    const processed = (url: string | undefined) => (url?.startsWith('/api/artists/') ? url : null);
    const id = station.artist?.id;
    if (id) this.setSource(id, processed(station.artist?.hero_image));
    for (const orb of station.influence_orbs ?? []) if (orb.artist_id) this.setSource(orb.artist_id, processed(orb.thumbnail));
  }

  /** The picture this artist is drawn with (null: the generated poster), once known. */
  setSource(artistId: string, url: string | null): void {
    if (this.sources.has(artistId) && this.sources.get(artistId) === url) return;
    this.sources.set(artistId, url);
    this.images.delete(artistId);
  }

  /** Whether the source of this artist's picture is known yet (before, nothing is drawn, so no poster flashes first). */
  known(artistId: string): boolean {
    return this.sources.has(artistId);
  }

  /** The URL the artist's picture comes from: the pipeline's, or "poster". */
  sourceOf(artistId: string): string | undefined {
    const s = this.sources.get(artistId);
    return s === undefined ? undefined : (s ?? 'poster');
  }

  /** The artist's picture cut to `shape` at `px` CSS px (× the pixel ratio), or null while it loads. */
  cut(subject: ArtSubject, px: number, shape: Shape): HTMLCanvasElement | null {
    const image = this.image(subject);
    if (!image) return null;
    const ratio = window.devicePixelRatio || 1;
    const side = Math.max(8, Math.round(px * ratio));
    // Sizes in steps of 8 device px: a fly-in zoom reuses cuts instead of making one per frame.
    const step = Math.ceil(side / 8) * 8;
    const key = `${subject.id}|${shape}|${step}|${this.sourceOf(subject.id)}`;
    let canvas = this.cuts.get(key);
    if (!canvas) {
      canvas = document.createElement('canvas');
      canvas.width = canvas.height = step;
      const ctx = canvas.getContext('2d')!;
      ctx.beginPath();
      if (shape === 'disc') ctx.arc(step / 2, step / 2, step / 2, 0, Math.PI * 2);
      else ctx.roundRect(0, 0, step, step, step * 0.06);
      ctx.clip();
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(image, 0, 0, step, step);
      this.cuts.set(key, canvas);
      if (this.cuts.size > MAX_CUTS) this.cuts.delete(this.cuts.keys().next().value!);
    }
    return canvas;
  }

  /** The palette the poster uses (the stage's backdrop takes its colours, pipeline image or not). */
  palette(subject: ArtSubject): ReturnType<typeof artworkPalette> {
    return artworkPalette({ id: subject.id, name: subject.name, since: sinceOf(subject.era) });
  }

  private image(subject: ArtSubject): HTMLImageElement | null {
    if (!this.sources.has(subject.id)) return null;
    const state = this.images.get(subject.id);
    if (state instanceof HTMLImageElement) return state;
    if (state === 'loading') return null;
    const url = state === 'failed' ? null : this.sources.get(subject.id);
    const img = new Image();
    img.decoding = 'async';
    this.images.set(subject.id, 'loading');
    img.onload = () => this.images.set(subject.id, img);
    // A picture that cannot be read falls back to the poster.
    img.onerror = () => {
      if (url) {
        this.sources.set(subject.id, null);
        this.images.set(subject.id, 'failed');
      }
    };
    img.src = url ?? posterUrl(subject);
    return null;
  }
}

function sinceOf(era: string | undefined): number | undefined {
  const year = /\d{4}/.exec(era ?? '')?.[0];
  return year ? Number(year) : undefined;
}

/** The generated poster as an SVG data URL (the same picture the server's artwork job renders). */
function posterUrl(subject: ArtSubject): string {
  const svg = demoArtworkSvg({ id: subject.id, name: subject.name, since: sinceOf(subject.era) }, POSTER_PX);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
