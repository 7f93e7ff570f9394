import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLED_FONT_DIR, fontConfigXml } from '../../features/assets/svgRaster.js';

const SYSTEM_FONT_CONFIG = '/etc/fonts/fonts.conf';

/**
 * Points fontconfig (librsvg inside sharp finds fonts through it) at the bundled DejaVu, then the host's
 * fonts: the production image has none, and the pictures' letters would be boxes. fontconfig reads
 * `FONTCONFIG_FILE` when it first lays out text and never again, so this runs at boot, before any picture.
 * An operator's own `FONTCONFIG_FILE` (the typed config's `assets.fontconfigFile`) is left as it is.
 * `systemConfig` is included after the bundled fonts (a test passes a missing file: a host without fonts).
 */
export function usePictureFonts(operatorFile: string | undefined, systemConfig = SYSTEM_FONT_CONFIG): string {
  if (operatorFile) return operatorFile;
  const dir = join(tmpdir(), `deepstream-fonts-${process.getuid?.() ?? 'user'}`);
  mkdirSync(join(dir, 'cache'), { recursive: true });
  const file = join(dir, 'fonts.conf');
  // Written aside and renamed: processes starting together never read a half-written file.
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, fontConfigXml(BUNDLED_FONT_DIR, join(dir, 'cache'), systemConfig));
  renameSync(partial, file);
  process.env.FONTCONFIG_FILE = file;
  return file;
}
