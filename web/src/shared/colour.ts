/** Colours on the dark pages. */

/** A cluster or label colour made light enough to read on the dark sky (mixed towards white). */
export function readableOnDark(hex: string, towardsWhite = 0.45): string {
  const m = /^#([0-9a-f]{6})/i.exec(hex);
  if (!m) return hex;
  const n = parseInt(m[1], 16);
  const mix = (c: number) => Math.round(c + (255 - c) * towardsWhite);
  const [r, g, b] = [mix(n >> 16), mix((n >> 8) & 255), mix(n & 255)];
  return `#${((r << 16) | (g << 8) | b).toString(16).padStart(6, '0')}`;
}
