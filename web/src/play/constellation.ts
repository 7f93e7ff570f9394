/**
 * The listener's constellation as it grows: a mini-map (top view, x→right, z→down) of captured
 * stars with their connections, and the list beside it. A new star flies in along `flyAway.path`.
 */
import { fitCanvas } from '../shared/dom.js';
import type { CapturedMessage, StarConnection, Vec3 } from './protocol.js';

interface StarView {
  artistId: string;
  name: string;
  position: Vec3;
  /** performance.now() the fly-away started, and its duration (s); the star settles when done. */
  flyStart: number;
  fly: CapturedMessage['flyAway'];
}

/** The part of GET /api/constellations/me the map draws. */
export interface SavedConstellation {
  stars: Array<{ id: string; artist: { id: string; name: string }; position: Vec3 }>;
  connections: Array<{ fromStarId: string; toStarId: string; strength: number; type: StarConnection['type'] }>;
}

export class ConstellationMap {
  readonly stars = new Map<string, StarView>();
  private connections: StarConnection[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** Adds the star of a `captured` message (an already-captured artist only re-highlights it). */
  add(msg: CapturedMessage, nowMs: number): void {
    const { star } = msg;
    if (!this.stars.has(star.artistId)) {
      this.stars.set(star.artistId, { artistId: star.artistId, name: star.artistName, position: star.position, flyStart: nowMs, fly: msg.alreadyCaptured ? null : msg.flyAway });
    }
    for (const c of msg.connections) {
      if (!this.connections.some((k) => k.from === c.from && k.to === c.to && k.type === c.type)) this.connections.push(c);
    }
  }

  /**
   * Puts back the stars and lines already captured (GET /api/constellations/me), settled, no fly-in:
   * a reload shows the constellation the header counts.
   */
  restore(journal: SavedConstellation, nowMs: number): void {
    const artistOfStar = new Map(journal.stars.map((s) => [s.id, s.artist.id]));
    for (const s of journal.stars) {
      if (!this.stars.has(s.artist.id)) this.stars.set(s.artist.id, { artistId: s.artist.id, name: s.artist.name, position: s.position, flyStart: nowMs, fly: null });
    }
    for (const c of journal.connections) {
      const from = artistOfStar.get(c.fromStarId);
      const to = artistOfStar.get(c.toStarId);
      if (from && to && !this.connections.some((k) => k.from === from && k.to === to && k.type === c.type)) this.connections.push({ from, to, strength: c.strength, type: c.type });
    }
  }

  render(nowMs: number): void {
    const { ctx, width, height } = fitCanvas(this.canvas);
    ctx.fillStyle = '#0b0a14';
    ctx.fillRect(0, 0, width, height);
    if (!this.stars.size) {
      ctx.fillStyle = '#908caa';
      ctx.font = '12px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText('Capture a station (C) to place a star', width / 2, height / 2);
      return;
    }
    const placed = [...this.stars.values()].map((s) => ({ s, pos: this.currentPosition(s, nowMs) }));
    const extent = Math.max(120, ...placed.map(({ pos }) => Math.max(Math.abs(pos.x), Math.abs(pos.z)))) * 1.15;
    const k = Math.min(width, height) / 2 / extent;
    const at = (p: Vec3) => ({ x: width / 2 + p.x * k, y: height / 2 + p.z * k });

    ctx.lineWidth = 1;
    for (const c of this.connections) {
      const a = this.stars.get(c.from);
      const b = this.stars.get(c.to);
      if (!a || !b) continue;
      const pa = at(a.position);
      const pb = at(b.position);
      ctx.strokeStyle = c.type === 'discovery_path' ? `rgba(246,193,119,${0.25 + c.strength * 0.6})` : `rgba(156,207,216,${0.2 + c.strength * 0.5})`;
      ctx.beginPath();
      ctx.moveTo(pa.x, pa.y);
      ctx.lineTo(pb.x, pb.y);
      ctx.stroke();
    }
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (const { s, pos } of placed) {
      const p = at(pos);
      ctx.shadowColor = '#fff4e0';
      ctx.shadowBlur = 10;
      ctx.fillStyle = '#fff4e0';
      ctx.beginPath();
      ctx.arc(p.x, p.y, 3.5, 0, Math.PI * 2);
      ctx.fill();
      ctx.shadowBlur = 0;
      ctx.fillStyle = '#e0def4bb';
      ctx.fillText(s.name, p.x, p.y - 8);
    }
  }

  /** Along the fly-away path while it runs (the path starts at the origin, where the capture happened). */
  private currentPosition(s: StarView, nowMs: number): Vec3 {
    const fly = s.fly;
    if (!fly || !fly.path.length) return s.position;
    const u = (nowMs - s.flyStart) / 1000 / fly.duration;
    if (u >= 1) return s.position;
    const i = Math.min(fly.path.length - 1, Math.max(0, Math.floor(u * (fly.path.length - 1))));
    return fly.path[i].pos;
  }
}
