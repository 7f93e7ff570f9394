/**
 * The share link's preview picture (seed 000 step 16: "render constellation as static image, 1200x630px")
 * as SVG, pure: the constellation seen from above like the /play mini-map (x → right, z → down), centred
 * and scaled into the right-hand panel, lines between connected stars, the brightest names beside their
 * stars; the owner's title and the numbers on the left. features/journal renders it to PNG.
 */
import type { Vec3 } from './types.js';
import { escapeMarkup } from '../text.js';

export const PREVIEW_WIDTH = 1200;
export const PREVIEW_HEIGHT = 630;
/** Names drawn beside their stars; more would crowd a picture seen at thumbnail size. */
export const PREVIEW_MAX_LABELS = 10;

export interface PreviewStar {
  id: string;
  artistId: string;
  name: string;
  position: Vec3;
}

export interface PreviewInput {
  title: string;
  subtitle: string;
  stars: readonly PreviewStar[];
  connections: ReadonlyArray<{ from: string; to: string; strength: number }>;
}

interface Point {
  x: number;
  y: number;
}

/** The sky panel: right of the text column, with a margin for names. */
const SKY = { left: 680, top: 80, width: 440, height: 470 };

/** Top-view positions scaled into the sky panel, centred on the stars' bounding box. */
export function previewPoints(stars: readonly PreviewStar[]): Point[] {
  if (!stars.length) return [];
  const xs = stars.map((s) => s.position.x);
  const zs = stars.map((s) => s.position.z);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cz = (Math.min(...zs) + Math.max(...zs)) / 2;
  const half = Math.max(60, ...stars.map((s) => Math.max(Math.abs(s.position.x - cx) * (SKY.height / SKY.width), Math.abs(s.position.z - cz))));
  const k = SKY.height / 2 / half;
  return stars.map((s) => ({ x: SKY.left + SKY.width / 2 + (s.position.x - cx) * k, y: SKY.top + SKY.height / 2 + (s.position.z - cz) * k }));
}


/** At most `max` characters, with an ellipsis when cut (names in a picture cannot wrap). */
export function fitText(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** The whole 1200 × 630 picture. */
export function sharePreviewSvg(input: PreviewInput): string {
  const points = previewPoints(input.stars);
  const at = new Map<string, Point>();
  input.stars.forEach((s, i) => {
    at.set(s.id, points[i]);
    at.set(s.artistId, points[i]);
  });
  const lines = input.connections
    .map((c) => [at.get(c.from), at.get(c.to), c.strength] as const)
    .filter((l): l is readonly [Point, Point, number] => !!l[0] && !!l[1])
    .map(([a, b, w]) => `<line x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${b.x.toFixed(1)}" y2="${b.y.toFixed(1)}" stroke="#F6C177" stroke-opacity="${(0.25 + 0.6 * Math.min(1, Math.max(0, w))).toFixed(2)}" stroke-width="2"/>`)
    .join('');
  const stars = points.map((p) => `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="26" fill="url(#halo)"/><circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="7" fill="#FFF4E0"/>`).join('');
  const labels = input.stars
    .slice(0, PREVIEW_MAX_LABELS)
    .map((s, i) => {
      const p = points[i];
      const right = p.x < SKY.left + SKY.width * 0.6;
      return `<text x="${(p.x + (right ? 14 : -14)).toFixed(1)}" y="${(p.y + 6).toFixed(1)}" text-anchor="${right ? 'start' : 'end'}" font-size="20" fill="#E0DEF4">${escapeMarkup(fitText(s.name, 22))}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${PREVIEW_WIDTH}" height="${PREVIEW_HEIGHT}" viewBox="0 0 ${PREVIEW_WIDTH} ${PREVIEW_HEIGHT}" font-family="DejaVu Sans, sans-serif">
<defs>
<linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#0B0A14"/><stop offset="1" stop-color="#231A3A"/></linearGradient>
<radialGradient id="halo"><stop offset="0" stop-color="#F6C177" stop-opacity="0.55"/><stop offset="1" stop-color="#F6C177" stop-opacity="0"/></radialGradient>
</defs>
<rect width="${PREVIEW_WIDTH}" height="${PREVIEW_HEIGHT}" fill="url(#bg)"/>
<rect x="${SKY.left - 30}" y="40" width="${SKY.width + 60}" height="550" rx="24" fill="#FFFFFF" fill-opacity="0.03" stroke="#FFFFFF" stroke-opacity="0.08"/>
<text x="60" y="110" font-size="22" letter-spacing="5" fill="#908CAA">DEEPSTREAM</text>
<text x="60" y="200" font-size="40" font-weight="bold" fill="#FFF4E0">${escapeMarkup(fitText(input.title, 22))}</text>
<text x="60" y="252" font-size="40" font-weight="bold" fill="#FFF4E0">Musical Constellation</text>
<text x="60" y="330" font-size="26" fill="#E0DEF4">${escapeMarkup(fitText(input.subtitle, 34))}</text>
<text x="60" y="560" font-size="22" fill="#F6C177">Explore how these artists connect →</text>
${lines}${stars}${labels}
</svg>`;
}
