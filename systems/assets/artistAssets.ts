/** Asset pipeline rules: the variants to produce, what an upload must be, the palette and the orbs' glow. */

/** Longest side of each variant, px (aspect kept). */
export const ASSET_RESOLUTIONS = Object.freeze([
  { name: '@3x', size: 2048 },
  { name: '@2x', size: 1024 },
  { name: '@1x', size: 512 },
  { name: 'thumbnail', size: 256 },
] as const);
export type AssetVariant = (typeof ASSET_RESOLUTIONS)[number]['name'];

/** As the image decoder names them. */
export const ACCEPTED_FORMATS = Object.freeze(['jpeg', 'png', 'tiff'] as const);
export const ACCEPTED_CONTENT_TYPES = Object.freeze(['image/jpeg', 'image/png', 'image/tiff']);

/** Why an image is refused, or null. */
export function uploadProblem(format: string | undefined, width: number, height: number, minSidePx: number): string | null {
  if (!format || !(ACCEPTED_FORMATS as readonly string[]).includes(format)) return `is ${format ?? 'not an image'}; upload a JPEG, PNG or TIFF`;
  if (width < minSidePx || height < minSidePx) return `is ${width}×${height} px; at least ${minSidePx}×${minSidePx} px is needed for the @3x variant`;
  return null;
}

type Rgb = [number, number, number];

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b]
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')
    .toUpperCase()}`;
}

/** Hue turned 180°, lightness kept: max + min − c per channel. */
export function complementary(hex: string): string {
  const rgb = fromHex(hex);
  const sum = Math.max(...rgb) + Math.min(...rgb);
  return toHex(rgb.map((c) => sum - c) as Rgb);
}

function fromHex(hex: string): Rgb {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new RangeError(`"${hex}" is not a #RRGGBB colour`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** Colours closer than this (RGB distance) are one palette entry. */
const MIN_PALETTE_DISTANCE = 48;

/**
 * Up to `count` dominant colours, most frequent first: 16×16×16 bins by population, each its mean colour,
 * skipping any too close to one taken. Pixels under half opacity (a cut-out's background) are skipped.
 */
export function extractPalette(pixels: Uint8Array, channels: 3 | 4, count = 5): string[] {
  const bins = new Map<number, { n: number; r: number; g: number; b: number }>();
  for (let i = 0; i + channels <= pixels.length; i += channels) {
    if (channels === 4 && pixels[i + 3] < 128) continue;
    const key = ((pixels[i] >> 4) << 8) | ((pixels[i + 1] >> 4) << 4) | (pixels[i + 2] >> 4);
    const bin = bins.get(key) ?? { n: 0, r: 0, g: 0, b: 0 };
    bin.n++;
    bin.r += pixels[i];
    bin.g += pixels[i + 1];
    bin.b += pixels[i + 2];
    bins.set(key, bin);
  }
  const ranked = [...bins.entries()].sort((x, y) => y[1].n - x[1].n || x[0] - y[0]).map(([, b]): Rgb => [b.r / b.n, b.g / b.n, b.b / b.n]);
  const picked: Rgb[] = [];
  for (const colour of ranked) {
    if (picked.length >= count) break;
    if (picked.every((p) => Math.hypot(p[0] - colour[0], p[1] - colour[1], p[2] - colour[2]) >= MIN_PALETTE_DISTANCE)) picked.push(colour);
  }
  return picked.map(toHex);
}
