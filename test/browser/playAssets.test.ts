import assert from 'node:assert/strict';
import sharp from 'sharp';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';
import { demoArtworkSvg } from '../../systems/assets/demoArtwork.js';

/** /play shows the station's processed picture next to its name, and nothing (no broken image, no 404) for an artist without one. */
describe('browser: /play station picture', function () {
  this.timeout(90_000);
  let env: BrowserEnv;

  before(async () => {
    // The generated poster has no person in it: without ASSET_REVIEW=never it would wait in the review queue.
    env = await startBrowserEnv({ ASSET_MIN_SIDE_PX: '256', ASSET_REVIEW: 'never' });
    const png = await sharp(Buffer.from(demoArtworkSvg({ id: 'artist_wizkid', name: 'Wizkid' }, 512)))
      .png()
      .toBuffer();
    const res = await fetch(`${env.server.baseUrl}/api/admin/artists/artist_wizkid/image`, {
      method: 'POST',
      body: new Uint8Array(png),
      headers: { 'content-type': 'image/png', authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(res.status, 201, await res.text());
  });
  after(async () => env?.close());

  const picture = () =>
    env.page.evaluate(() => {
      const img = document.querySelector<HTMLImageElement>('#station-art')!;
      const box = img.getBoundingClientRect();
      return {
        hidden: img.hidden,
        natural: img.naturalWidth,
        src: img.getAttribute('src') ?? '',
        width: box.width,
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      };
    });

  for (const [width, height] of [
    [390, 844],
    [1440, 900],
  ] as const) {
    it(`at ${width} px: Wizkid's thumbnail beside the name, loaded, the page not wider than the screen`, async () => {
      const { page } = env;
      await page.setViewportSize({ width, height });
      await page.goto('/play');
      await page.waitForFunction(() => document.querySelector('#station-name')?.textContent === 'Wizkid', undefined, { timeout: 15_000 });
      await page.waitForFunction(() => !document.querySelector<HTMLImageElement>('#station-art')!.hidden, undefined, { timeout: 10_000 });
      const shown = await picture();
      assert.equal(shown.natural, 256, JSON.stringify(shown));
      assert.match(shown.src, /\/api\/artists\/artist_wizkid\/image\/thumbnail$/);
      assert.equal(shown.width, 44);
      assert.ok(shown.scrollWidth <= shown.innerWidth, JSON.stringify(shown));
      await env.screenshot(`play-artwork-${width}`);
    });
  }

  it('a station whose artist has no picture hides the image and asks for nothing that 404s', async () => {
    const { page } = env;
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      () => document.querySelector('#station-name')?.textContent !== 'Wizkid' && document.querySelector('#lock')?.classList.contains('on'),
      undefined,
      { timeout: 10_000 },
    );
    await page.waitForTimeout(500);
    const shown = await picture();
    assert.equal(shown.hidden, true, JSON.stringify(shown));
    assert.deepEqual(env.problems, []);
  });
});
