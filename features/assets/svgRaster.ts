import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp, { type PngOptions } from 'sharp';

/**
 * SVG → PNG for every picture the server draws with text (leaderboard export, share preview, generated
 * artwork). librsvg inside sharp finds fonts through fontconfig, and the production image
 * (node:22-bookworm-slim) has none: every letter would come out as a box. So the pictures use the DejaVu
 * faces of the dejavu-fonts-ttf package (the families their SVG names, the same files the report PDF
 * embeds), and the host's own fonts after them for scripts DejaVu lacks (CJK, Arabic…) where installed.
 */
export const BUNDLED_FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

const SYSTEM_FONT_CONFIG = '/etc/fonts/fonts.conf';

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

let configured = false;

/**
 * Points fontconfig at the bundled fonts, once per process and before its first text is laid out:
 * fontconfig reads FONTCONFIG_FILE when it starts and never again. An operator's own FONTCONFIG_FILE wins.
 * `systemConfig` is what is included after the bundled fonts (a test passes a missing file to stand for
 * a host without fonts).
 */
export function useBundledFonts(systemConfig = SYSTEM_FONT_CONFIG): void {
  if (configured) return;
  configured = true;
  if (process.env.FONTCONFIG_FILE) return;
  const dir = join(tmpdir(), `deepstream-fonts-${process.getuid?.() ?? 'user'}`);
  mkdirSync(join(dir, 'cache'), { recursive: true });
  const file = join(dir, 'fonts.conf');
  // Written aside and renamed: processes starting together never read a half-written file.
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, fontConfigXml(BUNDLED_FONT_DIR, join(dir, 'cache'), systemConfig));
  renameSync(partial, file);
  process.env.FONTCONFIG_FILE = file;
}

/** The SVG drawn as PNG with the bundled fonts. */
export async function svgToPng(svg: string, options: PngOptions): Promise<Buffer> {
  useBundledFonts();
  return sharp(Buffer.from(svg)).png(options).toBuffer();
}
