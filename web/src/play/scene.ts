/**
 * Draws the current artist with its influence orbs on a 2-D canvas: orbits as projected ellipses,
 * orbs extrapolated between syncs (see orbits.ts), drawn far-to-near, and hit-testable for taps.
 */
import { fitCanvas } from '../shared/dom.js';
import { layoutLabels, type Box } from '../shared/labels.js';
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
  color: string;
  name: string;
  p: ReturnType<typeof project>;
}

const ORBIT_STEPS = 72;
const BASE_ORB_PX = 9;

export class OrbitScene {
  private hits: HitCircle[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** The orb under a point in CSS pixels (nearest first), or null. */
  hitTest(x: number, y: number): string | null {
    for (let i = this.hits.length - 1; i >= 0; i--) {
      const h = this.hits[i];
      if (Math.hypot(x - h.x, y - h.y) <= Math.max(h.r, 14)) return h.id;
    }
    return null;
  }

  render(frame: SceneFrame): void {
    const { ctx, width, height } = fitCanvas(this.canvas);
    const view: View = {
      cx: width / 2,
      cy: height / 2,
      pxPerUnit: Math.min(width, height) / 2 / 190,
      tiltDeg: 28,
      distance: 900,
      focus: frame.camera.position,
      fov: frame.camera.fov,
    };
    ctx.clearRect(0, 0, width, height);
    this.drawBackdrop(ctx, width, height);

    const orbs: OrbDraw[] = [];
    frame.state.orbs.forEach((orb, id) => {
      const color = RELATIONSHIP_COLORS[orb.relationship] ?? '#e0def4';
      this.drawOrbit(ctx, view, orb.radius, orb.inclination, color);
      const angle = orbAngleAt(orb.startAngle, orb.speed, frame.serverNowMs - frame.state.orbEpoch);
      orbs.push({ id, color, name: orb.name, p: project(orbPosition(orb.radius, angle, orb.inclination), view) });
    });

    const centre = project({ x: 0, y: 0, z: 0 }, view);
    const behind = orbs.filter((o) => o.p.depth < 0).sort((a, b) => a.p.depth - b.p.depth);
    const front = orbs.filter((o) => o.p.depth >= 0).sort((a, b) => a.p.depth - b.p.depth);
    this.hits = [];
    for (const orb of behind) this.drawOrb(ctx, orb, frame);
    const artistBox = this.drawArtist(ctx, centre, frame.state.station.artistName);
    for (const orb of front) this.drawOrb(ctx, orb, frame);
    this.drawOrbLabels(ctx, orbs, frame, { width, height, obstacles: artistBox });
  }

  /**
   * Orb names last, on top, laid out so that none covers another, an orb, the artist's sun or its name
   * (shared/labels.ts); nearer and highlighted orbs choose first, a name with no free spot is left out.
   */
  private drawOrbLabels(ctx: CanvasRenderingContext2D, orbs: OrbDraw[], frame: SceneFrame, area: { width: number; height: number; obstacles: Box[] }): void {
    const isLit = (o: OrbDraw) => o.id === frame.targetOrbId || o.id === frame.hoverOrbId;
    const order = [...orbs].sort((a, b) => Number(isLit(b)) - Number(isLit(a)) || b.p.depth - a.p.depth);
    ctx.font = '12px system-ui, sans-serif';
    const requests = order.map((o) => ({ id: o.id, x: o.p.x, y: o.p.y, w: Math.ceil(ctx.measureText(o.name).width), h: 15 }));
    const discs = orbs.map((o) => {
      const r = BASE_ORB_PX * o.p.scale * (isLit(o) ? 1.35 : 1);
      return { x: o.p.x - r, y: o.p.y - r, w: 2 * r, h: 2 * r };
    });
    const boxes = layoutLabels(requests, area.width, area.height, [...area.obstacles, ...discs], BASE_ORB_PX * 1.4 + 2);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    for (const o of order) {
      const b = boxes.get(o.id);
      if (!b) continue;
      ctx.font = `${isLit(o) ? 600 : 400} 12px system-ui, sans-serif`;
      ctx.fillStyle = isLit(o) ? '#ffffff' : '#d8d4f0cc';
      ctx.fillText(o.name, b.x, b.y + 1);
    }
    ctx.textBaseline = 'alphabetic';
  }

  private drawBackdrop(ctx: CanvasRenderingContext2D, width: number, height: number): void {
    const g = ctx.createRadialGradient(width / 2, height / 2, 0, width / 2, height / 2, Math.max(width, height) / 1.4);
    g.addColorStop(0, '#1f1d36');
    g.addColorStop(1, '#0b0a14');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, width, height);
  }

  private drawOrbit(ctx: CanvasRenderingContext2D, view: View, radius: number, inclination: number, color: string): void {
    ctx.beginPath();
    for (let i = 0; i <= ORBIT_STEPS; i++) {
      const p = project(orbPosition(radius, (i / ORBIT_STEPS) * 360, inclination), view);
      if (i === 0) ctx.moveTo(p.x, p.y);
      else ctx.lineTo(p.x, p.y);
    }
    ctx.strokeStyle = `${color}33`;
    ctx.lineWidth = 1;
    ctx.stroke();
  }

  /** The artist's sun and name; returns the boxes orb names must keep clear of (the sun's bright core, the name). */
  private drawArtist(ctx: CanvasRenderingContext2D, p: { x: number; y: number; scale: number }, name: string): Box[] {
    const r = 26 * p.scale;
    const glow = ctx.createRadialGradient(p.x, p.y, r * 0.3, p.x, p.y, r * 2.4);
    glow.addColorStop(0, '#ffd58a');
    glow.addColorStop(0.4, '#ff9f4366');
    glow.addColorStop(1, '#ff9f4300');
    ctx.fillStyle = glow;
    ctx.beginPath();
    ctx.arc(p.x, p.y, r * 2.4, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#fff4e0';
    ctx.beginPath();
    ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
    ctx.fill();
    if (name) {
      ctx.font = '600 15px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillStyle = '#fff4e0';
      ctx.fillText(name, p.x, p.y + r + 22);
    }
    const core = r * 1.5;
    const nameWidth = name ? ctx.measureText(name).width : 0;
    return [
      { x: p.x - core, y: p.y - core, w: 2 * core, h: 2 * core },
      { x: p.x - nameWidth / 2, y: p.y + r + 8, w: nameWidth, h: 18 },
    ];
  }

  private drawOrb(ctx: CanvasRenderingContext2D, orb: OrbDraw, frame: SceneFrame): void {
    const { p } = orb;
    const r = BASE_ORB_PX * p.scale;
    const highlighted = orb.id === frame.targetOrbId || orb.id === frame.hoverOrbId;
    ctx.shadowColor = orb.color;
    ctx.shadowBlur = highlighted ? 24 : 10;
    ctx.fillStyle = orb.color;
    ctx.beginPath();
    ctx.arc(p.x, p.y, highlighted ? r * 1.35 : r, 0, Math.PI * 2);
    ctx.fill();
    ctx.shadowBlur = 0;
    this.hits.push({ id: orb.id, x: p.x, y: p.y, r: r * 1.4 });
  }
}
