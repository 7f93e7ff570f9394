/** A deterministic poster per artist with no uploaded image, so every station has a picture and the pipeline runs on real images. */
import { hashString, mulberry32 } from '../constellation/constellation.js';
import { escapeMarkup } from '../text.js';
import { toHex } from './artistAssets.js';

export interface ArtworkSubject {
  id: string;
  name: string;
  /** Older artists get warmer, lower-saturation skies. */
  since?: number;
}

export function hslHex(h: number, s: number, l: number): string {
  const hue = ((h % 360) + 360) % 360;
  const sat = Math.max(0, Math.min(100, s)) / 100;
  const lig = Math.max(0, Math.min(100, l)) / 100;
  const a = sat * Math.min(lig, 1 - lig);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (lig - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return toHex([channel(0), channel(8), channel(4)]);
}

/** One base hue from the id, accents a third of the wheel either side. */
export function artworkPalette(subject: ArtworkSubject) {
  const hue = hashString(subject.id) % 360;
  const saturation = subject.since !== undefined && subject.since < 1975 ? 62 : 78;
  return {
    skyTop: hslHex(hue + 20, saturation - 20, 9),
    skyBottom: hslHex(hue, saturation - 10, 24),
    orb: hslHex(hue, saturation, 60),
    glow: hslHex(hue + 10, saturation + 10, 72),
    accents: [hslHex(hue + 120, saturation, 58), hslHex(hue + 240, saturation - 8, 66)],
    ink: '#FFF8EE',
  };
}

/** "Fela Kuti" → "FK", "E.T. Mensah" → "EM". */
export function initials(name: string): string {
  const words = name.split(/[\s.]+/u).filter((w) => /\p{L}/u.test(w));
  const picked = words.length > 3 ? [words[0], words[words.length - 1]] : words;
  return picked
    .map((w) => [...w.replace(/[^\p{L}]/gu, '')][0] ?? '')
    .join('')
    .toUpperCase();
}

/** `size` px square (the pipeline wants at least ASSET_MIN_SIDE_PX). */
export function demoArtworkSvg(subject: ArtworkSubject, size: number): string {
  const pal = artworkPalette(subject);
  const rng = mulberry32(hashString(`${subject.id}\u0000art`));
  const u = size / 100; // drawing units: the poster is 100 × 100
  const cx = 50 + (rng() - 0.5) * 16;
  const cy = 44 + (rng() - 0.5) * 10;
  const r = 20 + rng() * 6;
  const stars = Array.from({ length: 70 }, () => {
    const [x, y, s, o] = [rng() * 100, rng() * 100, 0.12 + rng() * 0.3, 0.3 + rng() * 0.6];
    return `<circle cx="${(x * u).toFixed(1)}" cy="${(y * u).toFixed(1)}" r="${(s * u).toFixed(1)}" fill="#FFFFFF" opacity="${o.toFixed(2)}"/>`;
  }).join('');
  const rings = [1.35, 1.7, 2.1]
    .map(
      (k, i) =>
        `<ellipse cx="${cx * u}" cy="${cy * u}" rx="${(r * k * u).toFixed(1)}" ry="${(r * k * 0.32 * u).toFixed(1)}" fill="none" stroke="${pal.glow}" stroke-width="${(0.5 - i * 0.12) * u}" opacity="${0.55 - i * 0.15}" transform="rotate(${(-18 + rng() * 10).toFixed(1)} ${cx * u} ${cy * u})"/>`,
    )
    .join('');
  const planet = (colour: string, angle: number, dist: number, pr: number) => {
    const px = cx + Math.cos(angle) * dist;
    const py = cy + Math.sin(angle) * dist * 0.5;
    return `<circle cx="${(px * u).toFixed(1)}" cy="${(py * u).toFixed(1)}" r="${(pr * u).toFixed(1)}" fill="url(#p${colour.slice(1)})"/>`;
  };
  const a0 = rng() * Math.PI * 2;
  const planets = [planet(pal.accents[0], a0, r * 1.7, 3 + rng() * 2), planet(pal.accents[1], a0 + 2.4 + rng(), r * 2.05, 2 + rng() * 1.5)].join('');
  const planetGradients = pal.accents
    .map(
      (c) =>
        `<radialGradient id="p${c.slice(1)}" cx="35%" cy="35%" r="70%"><stop offset="0" stop-color="#FFFFFF" stop-opacity="0.9"/><stop offset="0.35" stop-color="${c}"/><stop offset="1" stop-color="${pal.skyTop}"/></radialGradient>`,
    )
    .join('');
  const text = initials(subject.name);
  const fontSize = (text.length > 2 ? 15 : 19) * u;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
<defs>
<linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${pal.skyTop}"/><stop offset="1" stop-color="${pal.skyBottom}"/></linearGradient>
<radialGradient id="orb" cx="38%" cy="34%" r="75%"><stop offset="0" stop-color="#FFFFFF" stop-opacity="0.95"/><stop offset="0.25" stop-color="${pal.glow}"/><stop offset="0.75" stop-color="${pal.orb}"/><stop offset="1" stop-color="${pal.skyBottom}"/></radialGradient>
<radialGradient id="halo" cx="50%" cy="50%" r="50%"><stop offset="0.45" stop-color="${pal.glow}" stop-opacity="0.45"/><stop offset="1" stop-color="${pal.glow}" stop-opacity="0"/></radialGradient>
${planetGradients}
</defs>
<rect width="${size}" height="${size}" fill="url(#sky)"/>
${stars}
<circle cx="${cx * u}" cy="${cy * u}" r="${(r * 2.2 * u).toFixed(1)}" fill="url(#halo)"/>
${rings}
<circle cx="${cx * u}" cy="${cy * u}" r="${(r * u).toFixed(1)}" fill="url(#orb)"/>
${planets}
<rect y="${78 * u}" width="${size}" height="${22 * u}" fill="${pal.skyTop}" opacity="0.55"/>
<text x="${50 * u}" y="${(89 * u + fontSize * 0.36).toFixed(1)}" text-anchor="middle" font-family="DejaVu Serif, Georgia, serif" font-weight="bold" font-size="${fontSize}" letter-spacing="${1.5 * u}" fill="${pal.ink}">${escapeMarkup(text)}</text>
</svg>`;
}
