/**
 * The listener's constellation as it grows, drawn on a canvas through the one sky every view shares
 * (systems/constellation/sky.ts: perspective camera, the box filled, lines only for existing connections,
 * names that never overlap). A new star flies in along `flyAway.path`.
 */
import { el, fitCanvas } from '../shared/dom.js';
import { readableOnDark } from '../shared/colour.js';
import { LabelOverlay, LABEL_HEIGHT, type Box } from '../shared/labels.js';
import { mulberry32 } from '../../../systems/constellation/constellation.js';
import { SKY_SWAY_YAWS, leaderLine, skyCamera, skyLines, skyYaw, type SkyPoint } from '../../../systems/constellation/sky.js';
import { starGlowColor } from '../../../systems/journal/style.js';
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

interface Placed extends SkyPoint {
  s: StarView;
}

const DOT_RADIUS = 3.5;

export interface ConstellationMapOptions {
  emptyText?: string;
}

export class ConstellationMap {
  readonly stars = new Map<string, StarView>();
  private connections: StarConnection[] = [];
  private readonly clusterColor = new Map<string, string>();
  private readonly labels: LabelOverlay;
  private readonly emptyText: string;
  /** A visitor who asked for less motion sees the sky still. */
  private readonly still = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  private animating = false;
  /** Where the last frame drew each star, for the pointer's name tip. */
  private placed: Placed[] = [];
  /** The star whose name the tip shows (pointed at or tapped), or null. */
  private tipped: string | null = null;
  private readonly tip: HTMLSpanElement;
  /** The stars' dot radius this frame (larger in a young sky). */
  private dot = DOT_RADIUS;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    options: ConstellationMapOptions = {},
  ) {
    this.labels = new LabelOverlay(canvas);
    this.emptyText = options.emptyText ?? 'Capture a station (C) to place a star';
    // Every star's name is a point or a tap away: a crowded sky cannot print them all beside their stars.
    this.tip = el('span', { class: 'sky-tip', role: 'tooltip', hidden: '' });
    this.labels.root.after(this.tip);
    const point = (e: PointerEvent, radius: number) => {
      const r = this.canvas.getBoundingClientRect();
      this.pointAt(e.clientX - r.left, e.clientY - r.top, radius);
    };
    canvas.addEventListener('pointermove', (e) => e.pointerType === 'mouse' && point(e, 14));
    canvas.addEventListener('pointerdown', (e) => e.pointerType !== 'mouse' && point(e, 24));
    canvas.addEventListener('pointerleave', (e) => e.pointerType === 'mouse' && this.pointAt(-1, -1, 0));
  }

  /** Shows the name of the star nearest (x, y) within `radius` px in the tip, or hides the tip. */
  private pointAt(x: number, y: number, radius: number): void {
    let best: Placed | null = null;
    for (const p of this.placed)
      if (Math.hypot(p.x - x, p.y - y) <= radius && (!best || Math.hypot(p.x - x, p.y - y) < Math.hypot(best.x - x, best.y - y))) best = p;
    this.tipped = best?.s.artistId ?? null;
    this.canvas.style.cursor = best ? 'help' : '';
    this.placeTip();
  }

  /** The tip above its star (below when there is no room above), kept inside the box. */
  private placeTip(): void {
    const p = this.tipped ? this.placed.find((q) => q.s.artistId === this.tipped) : undefined;
    if (!p) {
      this.tip.hidden = true;
      return;
    }
    if (this.tip.textContent !== p.s.name) this.tip.textContent = p.s.name;
    this.tip.hidden = false;
    const { width, height } = this.canvas.getBoundingClientRect();
    const w = this.tip.offsetWidth;
    const h = this.tip.offsetHeight;
    const x = Math.min(Math.max(2, p.x - w / 2), Math.max(2, width - w - 2));
    const y = p.y - h - 10 >= 2 ? p.y - h - 10 : Math.min(height - h - 2, p.y + 10);
    this.tip.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
    this.tip.dataset.id = p.s.artistId;
  }

  /** Forgets every star and line (the journal redraws from a fresh read). */
  reset(): void {
    this.stars.clear();
    this.connections = [];
  }

  /** Adds the star of a `captured` message (an already-captured artist only re-highlights it). */
  add(msg: CapturedMessage, nowMs: number): void {
    const { star } = msg;
    if (!this.stars.has(star.artistId)) {
      this.stars.set(star.artistId, {
        artistId: star.artistId,
        name: star.artistName,
        position: star.position,
        flyStart: nowMs,
        fly: msg.alreadyCaptured ? null : msg.flyAway,
      });
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
      if (!this.stars.has(s.artist.id))
        this.stars.set(s.artist.id, { artistId: s.artist.id, name: s.artist.name, position: s.position, flyStart: nowMs, fly: null });
    }
    for (const c of journal.connections) {
      const from = artistOfStar.get(c.fromStarId);
      const to = artistOfStar.get(c.toStarId);
      if (from && to && !this.connections.some((k) => k.from === from && k.to === to && k.type === c.type))
        this.connections.push({ from, to, strength: c.strength, type: c.type });
    }
  }

  /** Replaces the sky with settled stars and their lines (a page that reads a whole constellation at once). */
  show(stars: ReadonlyArray<{ artistId: string; name: string; position: Vec3 }>, connections: readonly StarConnection[], nowMs: number): void {
    this.reset();
    for (const s of stars) this.stars.set(s.artistId, { ...s, flyStart: nowMs, fly: null });
    this.connections = [...connections];
  }

  /**
   * The lines the sky draws (skyLines: each linked pair once, to each star's nearest linked stars), chosen by the
   * stars' places in space, so the choice, and a count shown beside the sky, never change as it turns.
   */
  private lines(at: ReadonlyMap<string, SkyPoint>) {
    const space = (a: string, b: string) => {
      const [p, q] = [this.stars.get(a)!.position, this.stars.get(b)!.position];
      return Math.hypot(p.x - q.x, p.y - q.y, p.z - q.z);
    };
    return skyLines(this.connections, at, space);
  }

  /** How many lines the sky draws: the figure a page prints as its "Lines". */
  get lineCount(): number {
    const origin = { x: 0, y: 0, scale: 1 };
    return this.lines(new Map([...this.stars.keys()].map((id) => [id, origin]))).length;
  }

  /** Colours per artist (their cluster's), drawn as the star's halo and its label's colour. */
  setClusters(clusters: ReadonlyArray<{ color: string; artistIds: readonly string[] }>): void {
    this.clusterColor.clear();
    for (const c of clusters) for (const id of c.artistIds) this.clusterColor.set(id, c.color);
  }

  /**
   * Keeps the sky turning on a page that otherwise draws once (/shared, the journal, the ops user page);
   * /play draws every frame anyway. Frames are skipped while the canvas is not on screen.
   */
  animate(): void {
    if (this.animating || this.still) return;
    this.animating = true;
    let last = 0;
    const frame = (now: number) => {
      // 20 frames a second is smooth for a turn this slow, and a third of the work of 60.
      if (now - last >= 50 && this.canvas.isConnected && this.canvas.offsetParent !== null && this.stars.size > 1) {
        last = now;
        this.render(now);
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  render(nowMs: number): void {
    const { ctx, width, height } = fitCanvas(this.canvas);
    ctx.fillStyle = '#0b0a14';
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(this.backdrop(width, height), 0, 0, width, height);
    if (!this.stars.size) {
      this.placed = [];
      this.placeTip();
      this.labels.update([], width, height, [], 0);
      ctx.fillStyle = '#908caa';
      ctx.font = '12px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText(this.emptyText, width / 2, height / 2);
      return;
    }
    // A young sky (one to three stars) is drawn larger, each star in orbit rings: its first stars are the picture.
    const youth = this.stars.size === 1 ? 2.4 : this.stars.size <= 3 ? 1.7 : 1;
    this.dot = DOT_RADIUS * youth;
    this.labels.root.classList.toggle('young', youth > 1);
    const placed = this.project([...this.stars.values()], nowMs, width, height);
    this.placed = placed;
    const at = new Map(placed.map((p) => [p.s.artistId, p]));
    if (youth > 1) this.drawRings(ctx, placed, Math.min(width, height) * (this.stars.size === 1 ? 0.17 : 0.1));
    this.drawHalos(ctx, placed, youth);
    ctx.lineWidth = 1;
    const lines = this.lines(at);
    this.canvas.dataset.lines = String(lines.length);
    for (const l of lines) {
      ctx.strokeStyle = l.type === 'discovery_path' ? `rgba(246,193,119,${0.25 + l.strength * 0.6})` : `rgba(156,207,216,${0.2 + l.strength * 0.5})`;
      ctx.setLineDash(l.type === 'genre_similarity' ? [4, 3] : []);
      ctx.beginPath();
      ctx.moveTo(l.a.x, l.a.y);
      ctx.lineTo(l.b.x, l.b.y);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    this.drawLeaders(ctx, placed, this.placeLabels(placed, width, height));
    for (const p of [...placed].sort((a, b) => a.scale - b.scale)) {
      // A star as a star: a four-pointed glint in its cluster's colour (else its artist's), a white-hot centre.
      const colour = this.clusterColor.get(p.s.artistId) ?? starGlowColor(p.s.artistId);
      const [r, w] = [this.dot * p.scale * 2.4, this.dot * p.scale * 0.5];
      ctx.shadowColor = colour;
      ctx.shadowBlur = 10 * p.scale;
      ctx.globalAlpha = Math.min(1, 0.55 + 0.45 * p.scale);
      ctx.fillStyle = readableOnDark(colour);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y - r);
      ctx.quadraticCurveTo(p.x + w, p.y - w, p.x + r, p.y);
      ctx.quadraticCurveTo(p.x + w, p.y + w, p.x, p.y + r);
      ctx.quadraticCurveTo(p.x - w, p.y + w, p.x - r, p.y);
      ctx.quadraticCurveTo(p.x - w, p.y - w, p.x, p.y - r);
      ctx.fill();
      ctx.fillStyle = '#fffaf0';
      ctx.beginPath();
      ctx.arc(p.x, p.y, this.dot * p.scale * 0.6, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.shadowBlur = 0;
    ctx.globalAlpha = 1;
    if (this.tipped) this.placeTip();
  }

  private field: { key: string; canvas: HTMLCanvasElement } | null = null;

  /**
   * Faint background stars (the same for a given box size), so a sky of one or two captures reads as a night
   * sky with its first bright stars rather than an empty panel. Drawn once per size.
   */
  private backdrop(width: number, height: number): HTMLCanvasElement {
    const ratio = window.devicePixelRatio || 1;
    const key = `${width}|${height}|${ratio}`;
    if (this.field?.key === key) return this.field.canvas;
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * ratio));
    canvas.height = Math.max(1, Math.round(height * ratio));
    const ctx = canvas.getContext('2d')!;
    ctx.scale(ratio, ratio);
    const rng = mulberry32(Math.round(width) * 7919 + Math.round(height));
    const glow = ctx.createRadialGradient(width * 0.5, height * 0.45, 0, width * 0.5, height * 0.45, Math.max(width, height) * 0.7);
    glow.addColorStop(0, '#1f1d3699');
    glow.addColorStop(1, '#0b0a1400');
    ctx.fillStyle = glow;
    ctx.fillRect(0, 0, width, height);
    for (let i = 0, n = Math.round((width * height) / 1800); i < n; i++) {
      ctx.globalAlpha = 0.12 + rng() * 0.3;
      ctx.fillStyle = rng() < 0.2 ? '#c4a7e7' : '#e0def4';
      ctx.beginPath();
      ctx.arc(rng() * width, rng() * height, 0.35 + rng() * 0.7, 0, Math.PI * 2);
      ctx.fill();
    }
    this.field = { key, canvas };
    return canvas;
  }

  /** A faint line from a star to its name when the name had to sit a row or more away. */
  private drawLeaders(ctx: CanvasRenderingContext2D, placed: Placed[], boxes: Map<string, Box | null>): void {
    ctx.strokeStyle = 'rgba(224,222,244,0.28)';
    ctx.lineWidth = 1;
    for (const p of placed) {
      const b = boxes.get(p.s.artistId);
      const line = b ? leaderLine(p, b, this.dot) : null;
      if (!line) continue;
      ctx.beginPath();
      ctx.moveTo(line.x1, line.y1);
      ctx.lineTo(line.x2, line.y2);
      ctx.stroke();
    }
  }

  /** Names beside their stars, the newest capture first (it wins a contested spot), never overlapping. */
  private placeLabels(placed: Placed[], width: number, height: number): Map<string, Box | null> {
    // Names in their cluster's colour, lightened: a deep blue or purple name is hard to read on the night sky.
    const colour = (id: string) => {
      const c = this.clusterColor.get(id);
      return c ? readableOnDark(c) : undefined;
    };
    // A name wider than ~half the sky is shortened there (the lists beside the sky have it whole): a long name
    // left out entirely would leave its star unnamed.
    const maxChars = Math.max(12, Math.floor((width * 0.5) / 6.5));
    const labels = [...placed].reverse().map((p) => ({ id: p.s.artistId, text: shortName(p.s.name, maxChars), x: p.x, y: p.y, color: colour(p.s.artistId) }));
    const r = this.dot;
    const dots = placed.map((p) => ({ x: p.x - r - 1, y: p.y - r - 1, w: 2 * r + 2, h: 2 * r + 2 }));
    return this.labels.update(labels, width, height, dots, r + 2);
  }

  /** A soft glow in each cluster's colour around its stars (a young sky's stars glow warm without one). */
  private drawHalos(ctx: CanvasRenderingContext2D, placed: Placed[], youth: number): void {
    for (const p of placed) {
      const color = this.clusterColor.get(p.s.artistId) ?? (youth > 1 ? '#f6c177' : undefined);
      if (!color) continue;
      const r = 22 * p.scale * youth;
      const g = ctx.createRadialGradient(p.x, p.y, 0, p.x, p.y, r);
      g.addColorStop(0, `${color}55`);
      g.addColorStop(1, `${color}00`);
      ctx.fillStyle = g;
      ctx.fillRect(p.x - r, p.y - r, 2 * r, 2 * r);
    }
  }

  /** Three faint orbit rings around each star of a young sky (the app's orbs), the outer one dashed. */
  private drawRings(ctx: CanvasRenderingContext2D, placed: Placed[], radius: number): void {
    ctx.lineWidth = 1;
    placed.forEach((p, i) => {
      [1, 1.6, 2.3].forEach((k, j) => {
        ctx.strokeStyle = `rgba(196,167,231,${0.3 - j * 0.08})`;
        ctx.setLineDash(j === 2 ? [3, 5] : []);
        ctx.beginPath();
        ctx.ellipse(p.x, p.y, radius * k, radius * k * 0.32, ((-12 + i * 9) * Math.PI) / 180, 0, Math.PI * 2);
        ctx.stroke();
      });
    });
    ctx.setLineDash([]);
  }

  /**
   * Screen positions through the shared sky camera, fitted to the settled stars (a star in flight moves
   * through the same camera, so the sky does not jump while it lands).
   */
  private project(stars: StarView[], nowMs: number, width: number, height: number): Placed[] {
    const camera = skyCamera(
      stars.map((s) => s.position),
      // A little air around the sky on a big screen, so the outermost stars do not sit on the border.
      {
        width,
        height,
        marginX: Math.max(DOT_RADIUS + 6, width * 0.05),
        marginY: Math.max(LABEL_HEIGHT + DOT_RADIUS + 8, height * 0.06),
        // The slow turn: fitted to the whole sway, so the sky turns without growing or shrinking.
        yaw: skyYaw(nowMs, this.still),
        fitYaws: this.still ? undefined : SKY_SWAY_YAWS,
      },
    );
    return stars.map((s) => ({ s, ...camera.project(this.currentPosition(s, nowMs)) }));
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

/** "Seun Kuti & Egypt 80 (Live at the New Afrika Shrine)" → "Seun Kuti & Egypt 80 (Live…" within `max` characters. */
export function shortName(name: string, max: number): string {
  if (name.length <= max) return name;
  const cut = name.slice(0, max - 1);
  // Cut at the last whole word (the cut may already end at one).
  const space = name[max - 1] === ' ' ? cut.length : cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s&,(–-]+$/, '')}…`;
}
