/**
 * Draws the current artist with its influence orbs on a 2-D canvas: orbits as projected ellipses,
 * orbs extrapolated between syncs (see orbits.ts), drawn far-to-near, and hit-testable for taps.
 */
import { fitCanvas } from '../shared/dom.js';
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

    const orbs: Array<{ id: string; color: string; name: string; p: ReturnType<typeof project> }> = [];
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
    for (const orb of behind) this.drawOrb(ctx, orb, frame, width);
    this.drawArtist(ctx, centre, frame.state.station.artistName);
    for (const orb of front) this.drawOrb(ctx, orb, frame, width);
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

  private drawArtist(ctx: CanvasRenderingContext2D, p: { x: number; y: number; scale: number }, name: string): void {
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
  }

  private drawOrb(ctx: CanvasRenderingContext2D, orb: { id: string; color: string; name: string; p: { x: number; y: number; scale: number } }, frame: SceneFrame, width: number): void {
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
    ctx.font = `${highlighted ? 600 : 400} 12px system-ui, sans-serif`;
    ctx.fillStyle = highlighted ? '#ffffff' : '#d8d4f0cc';
    // Right of the orb, or left of it when the name would run past the canvas edge (phone widths).
    const fitsRight = p.x + r + 6 + ctx.measureText(orb.name).width <= width - 4;
    ctx.textAlign = fitsRight ? 'left' : 'right';
    ctx.fillText(orb.name, fitsRight ? p.x + r + 6 : p.x - r - 6, p.y + 4);
    this.hits.push({ id: orb.id, x: p.x, y: p.y, r: r * 1.4 });
  }
}
