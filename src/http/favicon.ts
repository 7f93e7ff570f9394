/** The site icon; /favicon.ico, which browsers ask for by themselves, is the same drawing as a 32 px PNG in an ICO (rendered once). */
import sharp from 'sharp';
import { page, reply, type PageRoute } from './route.js';

export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<rect width="64" height="64" rx="14" fill="#14101f"/>
<circle cx="32" cy="34" r="21" fill="none" stroke="#FF6B35" stroke-width="4"/>
<path d="M32 34 L45 16" stroke="#FFD7C2" stroke-width="4" stroke-linecap="round"/>
<path d="M32 6 l3 6.5 7 .8 -5.2 4.8 1.5 7 -6.3-3.6 -6.3 3.6 1.5-7 -5.2-4.8 7-.8z" fill="#FFC93C"/>
</svg>
`;

/** An ICO file holding one PNG image (Vista+ and every current browser read PNG entries). */
export function icoOf(png: Buffer, size: number): Buffer {
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(size >= 256 ? 0 : size, 6); // width (0 = 256)
  header.writeUInt8(size >= 256 ? 0 : size, 7); // height
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14); // image size
  header.writeUInt32LE(6 + 16, 18); // image offset
  return Buffer.concat([header, png]);
}

export function faviconRoutes(): PageRoute[] {
  let ico: Promise<Buffer> | null = null;
  const cache = { 'cache-control': 'public, max-age=86400' };
  return [
    page('/favicon.svg', 'the site icon', async () => reply(200, FAVICON_SVG, { 'content-type': 'image/svg+xml', ...cache })),
    page('/favicon.ico', 'the site icon', async () => {
      ico ??= sharp(Buffer.from(FAVICON_SVG))
        .resize(32, 32)
        .png()
        .toBuffer()
        .then((png) => icoOf(png, 32));
      return reply(200, new Uint8Array(await ico), { 'content-type': 'image/x-icon', ...cache });
    }),
  ];
}
