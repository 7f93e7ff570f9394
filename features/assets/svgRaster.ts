import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp, { type PngOptions } from 'sharp';

/**
 * SVG → PNG for every picture drawn with text. The production image has no fonts (every letter a box), so pictures
 * use the bundled DejaVu faces, then the host's for scripts DejaVu lacks; src/config/fontconfig.ts sets fontconfig at boot.
 */
export const BUNDLED_FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A fontconfig file: the bundled fonts first, a writable cache, then the host's configuration if any. */
export function fontConfigXml(fontDir: string, cacheDir: string, systemConfig: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>${xmlText(fontDir)}</dir>
  <cachedir>${xmlText(cacheDir)}</cachedir>
  <include ignore_missing="yes">${xmlText(systemConfig)}</include>
</fontconfig>
`;
}

/** The SVG drawn as PNG, with the fonts fontconfig was pointed at (src/config/fontconfig.ts, at boot). */
export async function svgToPng(svg: string, options: PngOptions): Promise<Buffer> {
  return sharp(Buffer.from(svg)).png(options).toBuffer();
}
