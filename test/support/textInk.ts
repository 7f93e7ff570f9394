/**
 * Run as a child process (fontconfig reads its configuration once per process): draws `text` through
 * svgToPng and prints the inked pixels and the ink's width as JSON.
 *
 *   node --import tsx test/support/textInk.ts bundled|none <font px> <text>
 *
 * `bundled`: the server's setup, with the host's fonts left out (a missing system configuration stands for
 * the production image, which has none). `none`: an operator's FONTCONFIG_FILE naming no fonts at all, i.e.
 * what the slim image did before the fonts were bundled.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { svgToPng } from '../../features/assets/svgRaster.js';
import { usePictureFonts } from '../../src/config/fontconfig.js';

const [mode, px, text] = process.argv.slice(2);
if (mode === 'none') {
  const dir = mkdtempSync(join(tmpdir(), 'ds-nofonts-'));
  writeFileSync(join(dir, 'fonts.conf'), `<?xml version="1.0"?><fontconfig><cachedir>${dir}</cachedir></fontconfig>`);
  process.env.FONTCONFIG_FILE = join(dir, 'fonts.conf');
} else {
  usePictureFonts(undefined, '/nonexistent/fonts.conf');
}
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="200"><rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="120" font-family="DejaVu Sans" font-weight="700" font-size="${px}" fill="#000">${text}</text></svg>`;
const { data, info } = await sharp(await svgToPng(svg, {}))
  .greyscale()
  .raw()
  .toBuffer({ resolveWithObject: true });
let ink = 0;
let left = info.width;
let right = -1;
for (let y = 0; y < info.height; y++) {
  for (let x = 0; x < info.width; x++) {
    if (data[(y * info.width + x) * info.channels] < 128) {
      ink++;
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
}
console.log(JSON.stringify({ ink, width: right >= left ? right - left + 1 : 0 }));
