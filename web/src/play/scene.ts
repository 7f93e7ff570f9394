/**
 * The stage of /play as a now-playing screen: the artist on air as a large cover in the middle, their
 * influence orbs orbiting it (each with its artist's picture), the orbits scaled to fill the stage around
 * the cover and its caption, on a backdrop in the cover's colours. Orbs are extrapolated between syncs
 * (orbits.ts), drawn far-to-near around the cover (an orb behind it is hidden by it), and hit-testable.
 */
import { fitCanvas } from '../shared/dom.js';
import { layoutLabels, type Box } from '../shared/labels.js';
import type { ArtworkCache } from './artwork.js';
import { orbAngleAt, orbPosition, project, type View } from './orbits.js';
import type { SessionStateView, Vec3 } from './protocol.js';

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
  p: ReturnType<typeof project>;
}

/** Where things go on a stage of a given size (computed again only when the size or the orbits change). */
export interface StageLayout {
  cx: number;
  cy: number;
  /** Pixels per scene unit. */
  k: number;
  /** Side of the cover, CSS px. */
  art: number;
  captionTop: number;
  /** Orb radius and label size, CSS px. */
  orbPx: number;
  labelPx: number;
}

const ORBIT_STEPS = 72;
const TILT_DEG = 28;
const DISTANCE = 900;
const ORIGIN: Vec3 = { x: 0, y: 0, z: 0 };

export class OrbitScene {
  private hits: HitCircle[] = [];
  private layoutKey = '';
  private layout: StageLayout | null = null;
  private captionBoxes: Box[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly art: ArtworkCache,
    /** The artist's name and genres, under the cover (HTML: crisp, selectable, read by screen readers). */
    private readonly caption: HTMLElement,
    /** The controls along the stage's foot: the orbits stay above them. */
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
    const orbits: Array<{ radius: number; inclination: number }> = [];
    frame.state.orbs.forEach((o) => orbits.push({ radius: o.radius, inclination: o.inclination }));
    const station = frame.state.station;
    const layout = this.fit(width, height, orbits, station.artistName);
    const view: View = {
      cx: layout.cx,
      cy: layout.cy,
      pxPerUnit: layout.k,
      tiltDeg: TILT_DEG,
      distance: DISTANCE,
      focus: frame.camera.position,
      fov: frame.camera.fov,
    };
    const subject = { id: station.artistId, name: station.artistName, era: station.era };
    this.drawBackdrop(ctx, width, height, layout, station.artistId ? this.art.palette(subject).skyBottom : '#1f1d36');

    const orbs: OrbDraw[] = [];
    const front: Array<[Path2D, string]> = [];
    frame.state.orbs.forEach((orb, id) => {
      const color = RELATIONSHIP_COLORS[orb.relationship] ?? '#e0def4';
      front.push([this.drawOrbit(ctx, view, orb.radius, orb.inclination, color), color]);
      const angle = orbAngleAt(orb.startAngle, orb.speed, frame.serverNowMs - frame.state.orbEpoch);
      orbs.push({ id, artistId: orb.artistId, color, name: orb.name, p: project(orbPosition(orb.radius, angle, orb.inclination), view) });
    });

    const centre = project(ORIGIN, view);
    const behind = orbs.filter((o) => o.p.depth < 0).sort((a, b) => a.p.depth - b.p.depth);
    const near = orbs.filter((o) => o.p.depth >= 0).sort((a, b) => a.p.depth - b.p.depth);
    this.hits = [];
    for (const orb of behind) this.drawOrb(ctx, orb, frame, layout);
    const artBox = this.drawCover(ctx, centre, layout, subject);
    // The near half of each orbit passes in front of the cover.
    ctx.lineWidth = 1.25;
    for (const [path, color] of front) {
      ctx.strokeStyle = `${color}55`;
      ctx.stroke(path);
    }
    for (const orb of near) this.drawOrb(ctx, orb, frame, layout);
    this.drawOrbLabels(ctx, orbs, frame, layout, { width, height, obstacles: [artBox, ...this.captionBoxes] });
  }

  /**
   * The stage's layout: the orbits (sampled through the resting camera) scaled to the stage less its margins
   * and the controls; the cover as large as the innermost orbit allows (and the stage's height, with room for
   * its caption below); orbs and their names a size larger on a large screen.
   */
  private fit(width: number, height: number, orbits: Array<{ radius: number; inclination: number }>, name: string): StageLayout {
    const captionHeight = this.caption.offsetHeight;
    const controlsHeight = this.controls.offsetHeight;
    const key = `${width}|${height}|${captionHeight}|${controlsHeight}|${name}|${orbits.map((o) => `${o.radius}:${o.inclination}`).join(',')}`;
    if (key === this.layoutKey && this.layout) return this.layout;
    const phone = width < 560;
    const pad = phone ? 10 : 28;
    const top = pad + (phone ? 40 : 24);
    const bottom = height - controlsHeight - (phone ? 16 : 28);
    const unit: View = { cx: 0, cy: 0, pxPerUnit: 1, tiltDeg: TILT_DEG, distance: DISTANCE, focus: ORIGIN, fov: 60 };
    let [x0, x1, y0, y1] = [-170, 170, -80, 80];
    for (const o of orbits)
      for (let i = 0; i < 48; i++) {
        const p = project(orbPosition(o.radius, i * 7.5, o.inclination), unit);
        [x0, x1, y0, y1] = [Math.min(x0, p.x), Math.max(x1, p.x), Math.min(y0, p.y), Math.max(y1, p.y)];
      }
    const availW = Math.max(1, width - 2 * pad);
    const availH = Math.max(1, bottom - top);
    const fitted = Math.max(0.2, Math.min(availW / (x1 - x0), availH / (y1 - y0)));
    const innermost = orbits.length ? Math.min(...orbits.map((o) => o.radius)) : 120;
    const gap = phone ? 8 : 16;
    const art = Math.max(72, Math.min(fitted * innermost * 1.6, availH - captionHeight - gap, width * (phone ? 0.52 : 0.34), 560));
    // The cover and its caption as one group in the middle of the stage; the orbits around the cover, as large as
    // the room above and below it allows.
    const cy = top + (availH - (art + gap + captionHeight)) / 2 + art / 2;
    const k = Math.max(0.2, Math.min(fitted, y0 < 0 ? (cy - top) / -y0 : fitted, y1 > 0 ? (bottom - cy) / y1 : fitted));
    const cx = width / 2 - ((x0 + x1) / 2) * k;
    this.layoutKey = key;
    this.layout = {
      cx,
      cy,
      k,
      art,
      captionTop: cy + art / 2 + gap,
      orbPx: Math.max(11, Math.min(24, k * 7)),
      labelPx: phone ? 12 : Math.max(13, Math.min(16, Math.round(width / 95))),
    };
    this.caption.style.top = `${Math.round(this.layout.captionTop)}px`;
    // The caption's text, measured where it now sits: orb names keep clear of it.
    const stage = this.canvas.getBoundingClientRect();
    this.captionBoxes = Array.from(this.caption.children)
      .map((c) => c.getBoundingClientRect())
      .filter((r) => r.width > 0)
      .map((r) => ({ x: r.left - stage.left, y: r.top - stage.top, w: r.width, h: r.height }));
    this.canvas.dataset.artPx = String(Math.round(art));
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
    const order = [...orbs].sort((a, b) => Number(isLit(b)) - Number(isLit(a)) || b.p.depth - a.p.depth);
    const size = layout.labelPx;
    ctx.font = `${size}px system-ui, sans-serif`;
    const requests = order.map((o) => ({ id: o.id, x: o.p.x, y: o.p.y, w: Math.ceil(ctx.measureText(o.name).width), h: size + 4 }));
    const discs = orbs.map((o) => {
      const r = this.orbRadius(o, frame, layout);
      return { x: o.p.x - r, y: o.p.y - r, w: 2 * r, h: 2 * r };
    });
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

  /** Draws the far half of an orbit now; returns the near half, stroked after the cover. */
  private drawOrbit(ctx: CanvasRenderingContext2D, view: View, radius: number, inclination: number, color: string): Path2D {
    const back = new Path2D();
    const front = new Path2D();
    let prev = project(orbPosition(radius, 0, inclination), view);
    for (let i = 1; i <= ORBIT_STEPS; i++) {
      const p = project(orbPosition(radius, (i / ORBIT_STEPS) * 360, inclination), view);
      const path = p.depth + prev.depth < 0 ? back : front;
      path.moveTo(prev.x, prev.y);
      path.lineTo(p.x, p.y);
      prev = p;
    }
    ctx.strokeStyle = `${color}33`;
    ctx.lineWidth = 1.25;
    ctx.stroke(back);
    return front;
  }

  /**
   * The artist on air: their cover (the pipeline's picture or the generated poster) with a glow in its colours;
   * a sun until the picture has loaded. Returns the box orb names keep clear of.
   */
  private drawCover(
    ctx: CanvasRenderingContext2D,
    p: { x: number; y: number; scale: number },
    layout: StageLayout,
    subject: { id: string; name: string; era: string },
  ): Box {
    const side = layout.art * p.scale;
    const palette = subject.id ? this.art.palette(subject) : null;
    const glow = ctx.createRadialGradient(p.x, p.y, side * 0.3, p.x, p.y, side * 1.05);
    glow.addColorStop(0, `${palette?.glow ?? '#ffd58a'}88`);
    glow.addColorStop(1, `${palette?.glow ?? '#ffd58a'}00`);
    ctx.fillStyle = glow;
    ctx.fillRect(p.x - side * 1.05, p.y - side * 1.05, side * 2.1, side * 2.1);
    const cover = subject.id ? this.art.cut(subject, side, 'square') : null;
    const box = { x: p.x - side / 2, y: p.y - side / 2, w: side, h: side };
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
      return box;
    }
    const r = side * 0.22;
    ctx.fillStyle = '#fff4e0';
    ctx.beginPath();
    ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
    ctx.fill();
    return { x: p.x - r * 1.5, y: p.y - r * 1.5, w: r * 3, h: r * 3 };
  }

  private orbRadius(orb: OrbDraw, frame: SceneFrame, layout: StageLayout): number {
    const lit = orb.id === frame.targetOrbId || orb.id === frame.hoverOrbId;
    return layout.orbPx * orb.p.scale * (lit ? 1.3 : 1);
  }

  /** An orb: its artist's picture in a ring of its relationship's colour (a plain disc until the picture loads). */
  private drawOrb(ctx: CanvasRenderingContext2D, orb: OrbDraw, frame: SceneFrame, layout: StageLayout): void {
    const { p } = orb;
    const r = this.orbRadius(orb, frame, layout);
    const lit = orb.id === frame.targetOrbId || orb.id === frame.hoverOrbId;
    const picture = orb.artistId ? this.art.cut({ id: orb.artistId, name: orb.name }, 2 * r, 'disc') : null;
    if (lit) {
      ctx.shadowColor = orb.color;
      ctx.shadowBlur = 24;
    }
    ctx.fillStyle = orb.color;
    ctx.beginPath();
    ctx.arc(p.x, p.y, picture ? r + 2.5 : r, 0, Math.PI * 2);
    ctx.fill();
    ctx.shadowBlur = 0;
    if (picture) ctx.drawImage(picture, p.x - r, p.y - r, 2 * r, 2 * r);
    this.hits.push({ id: orb.id, x: p.x, y: p.y, r: r * 1.3 });
  }
}
