import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { svgToPng } from '../assets/svgRaster.js';
import { leaderboardSvg, type ImageBoard } from '../../systems/leaderboard/leaderboardImage.js';

/**
 * Leaderboard pages as PNG (`?format=png`, the jumbotron's picture export): the SVG of
 * systems/leaderboard/leaderboardImage.ts rasterised by sharp, at most `maxRows` rows. A render costs tens of
 * milliseconds of a libvips thread, so identical pictures (same board, rows and minute) come from a bounded
 * LRU of `cacheEntries`, and at most `maxConcurrent` renders run at once; beyond that the caller is told to
 * retry (a public route must not queue unbounded work).
 */
export class LeaderboardImages {
  private readonly rendered: LRUCache<string, Buffer>;
  private running = 0;

  constructor(private readonly options: { cacheEntries: number; maxRows: number; maxConcurrent: number }) {
    this.rendered = new LRUCache({ max: options.cacheEntries });
  }

  /** The PNG, or null when `maxConcurrent` renders are already running (answer 503 with Retry-After). */
  async png(board: ImageBoard): Promise<Buffer | null> {
    // Read to the minute: a board refreshed within the same minute with the same rows is the same picture.
    const svg = leaderboardSvg({ ...board, generatedAt: board.generatedAt.slice(0, 16), entries: board.entries.slice(0, this.options.maxRows) });
    const key = createHash('sha256').update(svg).digest('base64url');
    const cached = this.rendered.get(key);
    if (cached) return cached;
    if (this.running >= this.options.maxConcurrent) return null;
    this.running++;
    try {
      const png = await svgToPng(svg, { compressionLevel: 9, palette: true, quality: 90 });
      this.rendered.set(key, png);
      return png;
    } finally {
      this.running--;
    }
  }
}
