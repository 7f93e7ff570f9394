import { LRUCache } from 'lru-cache';
import { svgToPng } from '../assets/svgRaster.js';
import { sharePreviewSvg } from '../../systems/journal/sharePreview.js';
import type { SharePreview } from './Shares.js';

/**
 * The share's 1200 × 630 preview picture (seed 000 step 16) as PNG: drawn on the first request and kept
 * (a snapshot never changes), at most `cacheEntries` per process. Link-preview crawlers ask for it once
 * per share, so rendering on demand costs less than a background job and a store.
 */
export class SharePreviewImages {
  private readonly rendered: LRUCache<string, Buffer>;

  constructor(options: { cacheEntries: number }) {
    this.rendered = new LRUCache({ max: options.cacheEntries });
  }

  async png(shareId: string, preview: Extract<SharePreview, { status: 'ok' }>): Promise<Buffer> {
    const cached = this.rendered.get(shareId);
    if (cached) return cached;
    const { stars, connections } = preview.snapshot;
    const times = stars.map((s) => Date.parse(s.capturedAt)).filter(Number.isFinite);
    const svg = sharePreviewSvg({
      owner: preview.ownerName,
      message: preview.message,
      days: times.length ? Math.floor((Math.max(...times) - Math.min(...times)) / 86_400_000) + 1 : 1,
      stars: stars.map((s) => ({ id: s.id, artistId: s.artistId, name: s.artistName, position: s.position })),
      connections,
    });
    // Full colour: a palette picture dithers the background's gradient and the stars' halos into visible grain
    // (~55 KB for one star and ~110 KB for fifty instead of ~30 KB, drawn once per share).
    const png = await svgToPng(svg, { compressionLevel: 9 });
    this.rendered.set(shareId, png);
    return png;
  }
}
