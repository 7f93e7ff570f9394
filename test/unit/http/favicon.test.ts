import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { faviconRoutes } from '../../../src/http/favicon.js';
import { WEB_PAGES } from '../../../src/http/webRoutes.js';
import { serveDirect } from '../../support/httpRouter.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const route = (p: string) => faviconRoutes().find((r) => r.path === p)!;
const call = (p: string) => serveDirect(route(p));

describe('favicon', () => {
  it('GET /favicon.ico is an ICO holding a 32 × 32 PNG of the icon', async () => {
    const res = await call('/favicon.ico');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/x-icon');
    const ico = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)], [0, 1, 1], 'ICO header, one image');
    const png = ico.subarray(ico.readUInt32LE(18), ico.readUInt32LE(18) + ico.readUInt32LE(14));
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 32, 32]);
    const { channels } = await sharp(png).stats();
    assert.ok(
      channels.slice(0, 3).some((c) => c.max - c.min > 100),
      'not a blank square',
    );
  });

  it('GET /favicon.svg is the same drawing, and every page links it', async () => {
    const res = await call('/favicon.svg');
    assert.equal(res.headers.get('content-type'), 'image/svg+xml');
    assert.match(await res.text(), /^<svg/);
    for (const page of [...WEB_PAGES, 'reports', 'share'])
      assert.match(fs.readFileSync(path.join(ROOT, 'web/public', `${page}.html`), 'utf8'), /<link rel="icon" href="\/favicon.svg"/, page);
  });
});
