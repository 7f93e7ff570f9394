/**
 * The stage of /play as a now-playing screen: the artist on air as a large cover in the middle, their
 * influence orbs on rings around it (each with its artist's picture), the artist's name under the rings, on a
 * backdrop in the cover's colours (stageRings.ts: nothing that moves crosses the cover or the name). Orbs move
 * on the server clock (orbits.ts), are drawn far-to-near and are hit-testable; an orb flight pans and zooms
 * the stage toward its orb along the transition's camera path.
 */
import { fitCanvas } from '../shared/dom.js';
import { layoutLabels, type Box } from '../shared/labels.js';
import type { ArtworkCache } from './artwork.js';
import { orbAngleAt } from './orbits.js';
import type { OrbView, SessionStateView, Vec3 } from './protocol.js';
import { LIT_SCALE, ringPoint, stageLayout, type StageLayout } from './stageRings.js';

export const RELATIONSHIP_COLORS: Record<string, string> = {
  ancestor: '#f6c177',
  influence: '#eb6f92',
  peer: '#9ccfd8',
  collaborator: '#c4a7e7',
  contemporary: '#3e8fb0',
  influenced: '#ebbcba',
};

interface HitCircle {
  id: string;
  x: number;
  y: number;
  r: number;
}

export interface SceneFrame {
  state: SessionStateView;
  /** Server time (ms) of this frame: orbs are drawn where the server has them (orbits.ts). */
  serverNowMs: number;
  camera: { position: Vec3; fov: number };
  /** The orb the camera is flying to, highlighted. */
  targetOrbId: string | null;
  hoverOrbId: string | null;
}

interface OrbDraw {
  id: string;
  artistId: string;
  color: string;
  name: string;
  /** Where it is drawn (the flight's pan and zoom applied) and its radius there. */
  x: number;
  y: number;
  r: number;
  depth: number;
}

export class OrbitScene {
  private hits: HitCircle[] = [];
  private layoutKey = '';
  private layout: StageLayout | null = null;
  private captionBoxes: Box[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly art: ArtworkCache,
    /** The artist's name and genres, under the rings (HTML: crisp, selectable, read by screen readers). */
    private readonly caption: HTMLElement,
    /** The controls along the stage's foot: the rings stay above them. */
    private readonly controls: HTMLElement,
  ) {}

  /** The orb under a point in CSS pixels (nearest first), or null. */
  hitTest(x: number, y: number): string | null {
    for (let i = this.hits.length - 1; i >= 0; i--) {
      const h = this.hits[i];
      if (Math.hypot(x - h.x, y - h.y) <= Math.max(h.r, 16)) return h.id;
    }
    return null;
  }

  render(frame: SceneFrame): void {
    const { ctx, width, height } = fitCanvas(this.canvas);
    const radii: number[] = [];
    frame.state.orbs.forEach((o) => radii.push(o.radius));
    const station = frame.state.station;
    const layout = this.fit(width, height, radii, station.artistName);
    const subject = { id: station.artistId, name: station.artistName, era: station.era };
    this.drawBackdrop(ctx, width, height, layout, station.artistId ? this.art.palette(subject).skyBottom : '#1f1d36');

    // Where each orb is on its ring now.
    const placed: Array<{ id: string; orb: OrbView; p: ReturnType<typeof ringPoint> }> = [];
    frame.state.orbs.forEach((orb, id) => {
      const ring = layout.rings.get(orb.radius);
      if (ring) placed.push({ id, orb, p: ringPoint(layout, ring, orbAngleAt(orb.startAngle, orb.speed, frame.serverNowMs - frame.state.orbEpoch)) });
    });
    // An orb flight: the stage pans toward the orb as the camera nears it (the camera's distance over the orb's) and
    // zooms by the fov (60 at rest, 30 twice as close).
    const target = placed.find((o) => o.id === frame.targetOrbId);
    const { x: fx, y: fy, z: fz } = frame.camera.position;
    const near = target ? Math.min(1, Math.hypot(fx, fy, fz) / Math.max(1, target.orb.radius)) : 0;
    const zoom = Math.tan(Math.PI / 6) / Math.tan(((frame.camera.fov || 60) * Math.PI) / 360);
    const tx = layout.cx * (1 - zoom) - zoom * near * ((target?.p.x ?? layout.cx) - layout.cx);
    const ty = layout.cy * (1 - zoom) - zoom * near * ((target?.p.y ?? layout.cy) - layout.cy);
    const at = (x: number, y: number) => ({ x: tx + zoom * x, y: ty + zoom * y });

    ctx.save();
    ctx.translate(tx, ty);
    ctx.scale(zoom, zoom);
    const drawn = new Set<number>();
    frame.state.orbs.forEach((orb) => {
      const ring = layout.rings.get(orb.radius);
      if (!ring || drawn.has(orb.radius)) return;
      drawn.add(orb.radius);
      ctx.strokeStyle = `${RELATIONSHIP_COLORS[orb.relationship] ?? '#e0def4'}44`;
      ctx.lineWidth = 1.25 / zoom;
      ctx.beginPath();
      ctx.ellipse(layout.cx, layout.cy, ring.a, ring.b, 0, 0, Math.PI * 2);
      ctx.stroke();
    });
    const coverBox = this.drawCover(ctx, layout, subject);
    ctx.restore();

    const orbs: OrbDraw[] = placed
      .map(({ id, orb, p }) => {
        const lit = id === frame.targetOrbId || id === frame.hoverOrbId;
        const c = at(p.x, p.y);
        const r = layout.orbPx * p.scale * (lit ? LIT_SCALE : 1) * zoom;
        return { id, artistId: orb.artistId, color: RELATIONSHIP_COLORS[orb.relationship] ?? '#e0def4', name: orb.name, x: c.x, y: c.y, r, depth: p.depth };
      })
      .sort((a, b) => a.depth - b.depth);
    this.hits = [];
    for (const orb of orbs) this.drawOrb(ctx, orb, frame);
    const cover = { ...at(coverBox.x, coverBox.y), w: coverBox.w * zoom, h: coverBox.h * zoom };
    this.drawOrbLabels(ctx, orbs, frame, layout, { width, height, obstacles: [cover, ...this.captionBoxes] });
  }

  /** The stage's layout (stageRings.ts), computed again only when the size, the caption or the orbits change. */
  private fit(width: number, height: number, radii: number[], name: string): StageLayout {
    const captionHeight = this.caption.offsetHeight;
    const controls = this.controls.offsetHeight;
    const key = `${width}|${height}|${captionHeight}|${controls}|${name}|${radii.join(',')}`;
    if (key === this.layoutKey && this.layout) return this.layout;
    this.layoutKey = key;
    this.layout = stageLayout({ width, height, controls, captionHeight, radii });
    this.caption.style.top = `${Math.round(this.layout.captionTop)}px`;
    // The caption's text, measured where it now sits: orb names keep clear of it.
    const stage = this.canvas.getBoundingClientRect();
    this.captionBoxes = Array.from(this.caption.children)
      .map((c) => c.getBoundingClientRect())
      .filter((r) => r.width > 0)
      .map((r) => ({ x: r.left - stage.left, y: r.top - stage.top, w: r.width, h: r.height }));
    this.canvas.dataset.artPx = String(Math.round(this.layout.art));
    return this.layout;
  }

  /**
   * Orb names last, on top, laid out so that none covers another, an orb, the cover or its caption
   * (shared/labels.ts); nearer and highlighted orbs choose first, a name with no free spot is left out.
   */
  private drawOrbLabels(
    ctx: CanvasRenderingContext2D,
    orbs: OrbDraw[],
    frame: SceneFrame,
    layout: StageLayout,
    area: { width: number; height: number; obstacles: Box[] },
  ): void {
    const isLit = (o: OrbDraw) => o.id === frame.targetOrbId || o.id === frame.hoverOrbId;
    const order = [...orbs].sort((a, b) => Number(isLit(b)) - Number(isLit(a)) || b.depth - a.depth);
    const size = layout.labelPx;
    ctx.font = `${size}px system-ui, sans-serif`;
    const requests = order.map((o) => ({ id: o.id, x: o.x, y: o.y, w: Math.ceil(ctx.measureText(o.name).width), h: size + 4 }));
    const discs = orbs.map((o) => ({ x: o.x - o.r, y: o.y - o.r, w: 2 * o.r, h: 2 * o.r }));
    const boxes = layoutLabels(requests, area.width, area.height, [...area.obstacles, ...discs], layout.orbPx * 1.4 + 2);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.shadowColor = '#0b0a14';
    ctx.shadowBlur = 4;
    for (const o of order) {
      const b = boxes.get(o.id);
      if (!b) continue;
      ctx.font = `${isLit(o) ? 600 : 400} ${size}px system-ui, sans-serif`;
      ctx.fillStyle = isLit(o) ? '#ffffff' : '#e6e2f8dd';
      ctx.fillText(o.name, b.x, b.y + 2);
    }
    ctx.shadowBlur = 0;
    ctx.textBaseline = 'alphabetic';
  }

  /** The backdrop: the cover's colour glowing out of the night around it. */
  private drawBackdrop(ctx: CanvasRenderingContext2D, width: number, height: number, layout: StageLayout, tint: string): void {
    ctx.fillStyle = '#0b0a14';
    ctx.fillRect(0, 0, width, height);
    const g = ctx.createRadialGradient(layout.cx, layout.cy, layout.art * 0.2, layout.cx, layout.cy, Math.max(width, height) * 0.75);
    g.addColorStop(0, `${tint}99`);
    g.addColorStop(0.5, `${tint}33`);
    g.addColorStop(1, '#0b0a1400');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, width, height);
  }

  /**
   * The artist on air: their cover (the pipeline's picture or the generated poster) with a glow in its colours;
   * a sun until the picture has loaded. Returns the box orb names keep clear of.
   */
  private drawCover(ctx: CanvasRenderingContext2D, layout: StageLayout, subject: { id: string; name: string; era: string }): Box {
    const [side, x, y] = [layout.art, layout.cx, layout.cy];
    const palette = subject.id ? this.art.palette(subject) : null;
    const glow = ctx.createRadialGradient(x, y, side * 0.3, x, y, side * 1.05);
    glow.addColorStop(0, `${palette?.glow ?? '#ffd58a'}88`);
    glow.addColorStop(1, `${palette?.glow ?? '#ffd58a'}00`);
    ctx.fillStyle = glow;
    ctx.fillRect(x - side * 1.05, y - side * 1.05, side * 2.1, side * 2.1);
    const cover = subject.id ? this.art.cut(subject, side, 'square') : null;
    const box = layout.cover;
    this.canvas.dataset.art = cover ? (this.art.sourceOf(subject.id) ?? '') : '';
    if (cover) {
      ctx.fillStyle = '#00000066';
      ctx.beginPath();
      ctx.roundRect(box.x + 4, box.y + 10, side, side, side * 0.06);
      ctx.fill();
      ctx.drawImage(cover, box.x, box.y, side, side);
      ctx.strokeStyle = '#ffffff22';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.roundRect(box.x + 0.5, box.y + 0.5, side - 1, side - 1, side * 0.06);
      ctx.stroke();
    } else {
      ctx.fillStyle = '#fff4e0';
      ctx.beginPath();
      ctx.arc(x, y, side * 0.22, 0, Math.PI * 2);
      ctx.fill();
    }
    return box;
  }

  /** An orb: its artist's picture in a ring of its relationship's colour (a plain disc until the picture loads). */
  private drawOrb(ctx: CanvasRenderingContext2D, orb: OrbDraw, frame: SceneFrame): void {
    const { x, y, r } = orb;
    const lit = orb.id === frame.targetOrbId || orb.id === frame.hoverOrbId;
    const picture = orb.artistId ? this.art.cut({ id: orb.artistId, name: orb.name }, 2 * r, 'disc') : null;
    if (lit) {
      ctx.shadowColor = orb.color;
      ctx.shadowBlur = 24;
    }
    ctx.fillStyle = orb.color;
    ctx.beginPath();
    ctx.arc(x, y, picture ? r + 2.5 : r, 0, Math.PI * 2);
    ctx.fill();
    ctx.shadowBlur = 0;
    if (picture) ctx.drawImage(picture, x - r, y - r, 2 * r, 2 * r);
    this.hits.push({ id: orb.id, x, y, r: r * 1.3 });
  }
}
