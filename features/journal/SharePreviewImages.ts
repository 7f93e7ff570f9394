import { LRUCache } from 'lru-cache';
import { svgToPng } from '../assets/svgRaster.js';
import { sharePreviewSvg } from '../../systems/journal/sharePreview.js';
import { starColors } from '../../systems/journal/style.js';
import { clusterAssignment } from './clusters.js';
import type { SharePreview } from './Shares.js';

/** The share's 1200 × 630 preview PNG, drawn on first request and kept: crawlers ask once per share, cheaper than a job and a store. */
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
      colors: starColors(
        stars.map((s) => s.artistId),
        clusterAssignment(stars.map((s) => s.position)),
      ),
    });
    // Full colour: a palette dithers the gradient and halos into visible grain.
    const png = await svgToPng(svg, { compressionLevel: 9 });
    this.rendered.set(shareId, png);
    return png;
  }
}
