/** The share link's 1200×630 preview picture as SVG: the sky every page draws on the right, title and figures on the left. */
import { escapeMarkup } from '../text.js';
import { textWidthPx, wrapToWidth } from '../textWidth.js';
import { layoutSky, leaderLine, type SkyStar } from '../constellation/sky.js';
import { hashString, mulberry32 } from '../constellation/constellation.js';
import { starGlowColor } from './style.js';

export const PREVIEW_WIDTH = 1200;
export const PREVIEW_HEIGHT = 630;

export type PreviewStar = SkyStar & { artistId: string };

export interface PreviewInput {
  /** The title reads "<owner>'s / Musical Constellation". */
  owner: string;
  /** Quoted under the title; without them the card names the first stars. */
  message: string | null;
  /** First capture to last. */
  days: number;
  stars: readonly PreviewStar[];
  connections: ReadonlyArray<{ from: string; to: string; strength: number }>;
  /** Each star's colour by artist id (its journal cluster's, so the card matches the share page); absent: its artist's glow. */
  colors?: ReadonlyMap<string, string>;
}

const SKY = { left: 660, top: 50, width: 480, height: 530 };
/** Size, and the width left of the sky panel. */
const TITLE = { fontPx: 40, width: 560 };

/** The whole name, else the first name ("Maximilian's", not "Maximilian Oluwaseun…"), else the first name cut. */
export function ownerTitle(owner: string): string {
  const name = owner.trim();
  const fits = (t: string) => textWidthPx(t, TITLE.fontPx) <= TITLE.width;
  if (fits(`${name}'s`)) return `${name}'s`;
  const first = name.split(/\s+/)[0];
  if (fits(`${first}'s`)) return `${first}'s`;
  let cut = [...first];
  while (cut.length > 1 && !fits(`${cut.join('')}…'s`)) cut = cut.slice(0, -1);
  return `${cut.join('')}…'s`;
}

/** Smaller as the sky fills, so more names find a spot at thumbnail size. */
function labelFontPx(stars: number): number {
  return stars <= 3 ? 28 : stars <= 10 ? 20 : stars <= 25 ? 17 : 14;
}

/** Picture px, larger while the sky holds few: a first star is the picture's subject. */
export function starSize(stars: number): { core: number; halo: number } {
  return stars <= 1 ? { core: 13, halo: 90 } : stars <= 3 ? { core: 10, halo: 55 } : { core: 6, halo: 22 };
}

/** Faint background stars and, around one to three stars, orbit rings: a young sky reads as a start, not an empty panel. */
function nightSky(
  stars: readonly PreviewStar[],
  points: ReadonlyMap<string, { x: number; y: number }>,
  X: (v: number) => string,
  Y: (v: number) => string,
): string {
  const rng = mulberry32(hashString(stars.map((s) => s.artistId).join('|')));
  const field = Array.from({ length: 110 }, () => {
    const [x, y, r, o] = [rng() * SKY.width, rng() * SKY.height, 0.6 + rng() * 1.3, 0.12 + rng() * 0.35];
    return `<circle cx="${X(x)}" cy="${Y(y)}" r="${r.toFixed(1)}" fill="#E0DEF4" fill-opacity="${o.toFixed(2)}"/>`;
  }).join('');
  if (stars.length > 3) return field;
  const rings = [...points.values()]
    .flatMap((p, i) =>
      [1, 1.7, 2.5].map(
        (k, j) =>
          `<ellipse cx="${X(p.x)}" cy="${Y(p.y)}" rx="${((stars.length === 1 ? 95 : 48) * k).toFixed(1)}" ry="${((stars.length === 1 ? 30 : 15) * k).toFixed(1)}" fill="none" stroke="#C4A7E7" stroke-opacity="${(0.32 - j * 0.08).toFixed(2)}" stroke-width="1.5" stroke-dasharray="${j === 2 ? '4 6' : 'none'}" transform="rotate(${-12 + i * 9} ${X(p.x)} ${Y(p.y)})"/>`,
      ),
    )
    .join('');
  return field + rings;
}

export function previewSky(stars: readonly PreviewStar[], connections: PreviewInput['connections']) {
  const font = labelFontPx(stars.length);
  const skyStars = stars.map((s) => ({ id: s.artistId, name: fitText(s.name, 22), position: s.position }));
  // The sky speaks artist ids.
  const artistOf = new Map<string, string>();
  for (const s of stars) artistOf.set(s.id, s.artistId).set(s.artistId, s.artistId);
  const links = connections.flatMap((c) => {
    const from = artistOf.get(c.from);
    const to = artistOf.get(c.to);
    return from && to ? [{ from, to, strength: c.strength }] : [];
  });
  const layout = layoutSky(
    skyStars,
    links,
    { width: SKY.width, height: SKY.height },
    { measure: (t) => Math.ceil(textWidthPx(t, font)), labelHeight: Math.ceil(font * 1.25), dotRadius: starSize(stars.length).core * 1.6 + 2 },
  );
  return { ...layout, font, names: new Map(skyStars.map((s) => [s.id, s.name])) };
}

/** Names in a picture cannot wrap. */
export function fitText(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** The owner's words, else the stars by name ("Sade, Fela Kuti and 14 more"). */
function voice(input: PreviewInput): string {
  const message = input.message?.trim();
  const names = input.stars.slice(0, 3).map((s) => fitText(s.name, 30));
  const more = input.stars.length - names.length;
  const text = message ? `“${message}”` : more > 0 ? `${names.join(', ')} and ${more} more` : names.join(', ');
  const style = message ? 'font-style="italic" fill="#E0DEF4"' : 'fill="#F6C177"';
  return wrapToWidth(text, 540, 25, message ? 3 : 2)
    .map((l, i) => `<text x="60" y="${290 + i * 36}" font-size="25" ${style}>${escapeMarkup(l)}</text>`)
    .join('');
}

function figures(stars: number, lines: number, days: number): string {
  // A first star has no lines yet: no zero on the card.
  return Object.entries({ star: stars, line: lines, day: days })
    .filter(([, value]) => value > 0)
    .map(
      ([word, value], i) =>
        `<text x="${60 + i * 170}" y="470" font-size="52" font-weight="bold" fill="#F6C177">${value.toLocaleString('en-US')}</text><text x="${60 + i * 170}" y="502" font-size="20" letter-spacing="2" fill="#908CAA">${(value === 1 ? word : `${word}s`).toUpperCase()}</text>`,
    )
    .join('');
}

/** A four-pointed glint in the artist's colour over a halo, white-hot centre; `core` is the glint's half-width. */
function starGlyph(x: number, y: number, core: number, halo: number, gradient: string): string {
  const [X, Y, r] = [x.toFixed(1), y.toFixed(1), core * 2.6];
  const w = core * 0.55;
  const glint = `M${X} ${(y - r).toFixed(1)}Q${(x + w).toFixed(1)} ${(y - w).toFixed(1)} ${(x + r).toFixed(1)} ${Y}Q${(x + w).toFixed(1)} ${(y + w).toFixed(1)} ${X} ${(y + r).toFixed(1)}Q${(x - w).toFixed(1)} ${(y + w).toFixed(1)} ${(x - r).toFixed(1)} ${Y}Q${(x - w).toFixed(1)} ${(y - w).toFixed(1)} ${X} ${(y - r).toFixed(1)}Z`;
  return `<circle cx="${X}" cy="${Y}" r="${halo.toFixed(1)}" fill="url(#${gradient})"/><path d="${glint}" fill="url(#${gradient}-core)"/><circle cx="${X}" cy="${Y}" r="${(core * 0.6).toFixed(1)}" fill="#FFFFFF"/>`;
}

export function sharePreviewSvg(input: PreviewInput): string {
  const sky = previewSky(input.stars, input.connections);
  const X = (v: number) => (SKY.left + v).toFixed(1);
  const Y = (v: number) => (SKY.top + v).toFixed(1);
  const lines = sky.lines
    .map(
      (l) =>
        `<line x1="${X(l.a.x)}" y1="${Y(l.a.y)}" x2="${X(l.b.x)}" y2="${Y(l.b.y)}" stroke="#F6C177" stroke-opacity="${(0.25 + 0.6 * Math.min(1, Math.max(0, l.strength))).toFixed(2)}" stroke-width="2"/>`,
    )
    .join('');
  const size = starSize(input.stars.length);
  const colourOf = (artistId: string) => input.colors?.get(artistId) ?? starGlowColor(artistId);
  const colours = [...new Set([...sky.points.keys()].map(colourOf))];
  const gradientOf = (artistId: string) => `g${colours.indexOf(colourOf(artistId))}`;
  const gradients = colours
    .map(
      (c, i) =>
        `<radialGradient id="g${i}"><stop offset="0" stop-color="${c}" stop-opacity="0.6"/><stop offset="1" stop-color="${c}" stop-opacity="0"/></radialGradient><radialGradient id="g${i}-core"><stop offset="0.25" stop-color="#FFF4E0"/><stop offset="1" stop-color="${c}"/></radialGradient>`,
    )
    .join('');
  const stars = [...sky.points.entries()]
    .map(([id, p]) => starGlyph(SKY.left + p.x, SKY.top + p.y, size.core * p.scale, size.halo * p.scale, gradientOf(id)))
    .join('');
  const placed = [...sky.labels].filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== null);
  const leaders = placed
    .map(([id, b]) => leaderLine(sky.points.get(id)!, b, size.core * 2 + 1))
    .filter((l) => l !== null)
    .map((l) => `<line x1="${X(l.x1)}" y1="${Y(l.y1)}" x2="${X(l.x2)}" y2="${Y(l.y2)}" stroke="#E0DEF4" stroke-opacity="0.3" stroke-width="1"/>`)
    .join('');
  const labels = placed
    .map(
      ([id, b]) =>
        `<text x="${X(b.x)}" y="${Y(b.y + sky.font)}" font-size="${sky.font}" fill="#E0DEF4" stroke="#0B0A14" stroke-width="5" stroke-opacity="0.85" paint-order="stroke">${escapeMarkup(sky.names.get(id) ?? '')}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${PREVIEW_WIDTH}" height="${PREVIEW_HEIGHT}" viewBox="0 0 ${PREVIEW_WIDTH} ${PREVIEW_HEIGHT}" font-family="DejaVu Sans, sans-serif">
<defs>
<linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#0B0A14"/><stop offset="1" stop-color="#231A3A"/></linearGradient>
${gradients}
</defs>
<rect width="${PREVIEW_WIDTH}" height="${PREVIEW_HEIGHT}" fill="url(#bg)"/>
<rect x="${SKY.left - 20}" y="${SKY.top - 20}" width="${SKY.width + 40}" height="${SKY.height + 40}" rx="24" fill="#FFFFFF" fill-opacity="0.03" stroke="#FFFFFF" stroke-opacity="0.08"/>
<text x="60" y="96" font-size="20" letter-spacing="5" fill="#908CAA">DEEPSTREAM</text>
<text x="60" y="168" font-size="${TITLE.fontPx}" font-weight="bold" fill="#FFF4E0">${escapeMarkup(ownerTitle(input.owner))}</text>
<text x="60" y="218" font-size="${TITLE.fontPx}" font-weight="bold" fill="#FFF4E0">Musical Constellation</text>
${voice(input)}
${figures(input.stars.length, sky.lines.length, Math.max(1, input.days))}
<text x="60" y="572" font-size="22" fill="#F6C177">${input.stars.length === 1 ? 'See where this sky grows next →' : 'Explore how these artists connect →'}</text>
<clipPath id="panel"><rect x="${SKY.left - 20}" y="${SKY.top - 20}" width="${SKY.width + 40}" height="${SKY.height + 40}" rx="24"/></clipPath>
<g clip-path="url(#panel)">${nightSky(input.stars, sky.points, X, Y)}</g>${lines}${leaders}${stars}${labels}
</svg>`;
}
