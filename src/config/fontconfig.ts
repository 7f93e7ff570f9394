import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLED_FONT_DIR, fontConfigXml } from '../../features/assets/svgRaster.js';

const SYSTEM_FONT_CONFIG = '/etc/fonts/fonts.conf';

/**
 * Points fontconfig (librsvg inside sharp) at the bundled DejaVu, then the host's fonts: the production image has none and the letters would be
 * boxes. fontconfig reads `FONTCONFIG_FILE` once, at its first layout, so this runs at boot. An operator's own file is left as it is.
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
