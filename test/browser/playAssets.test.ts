import assert from 'node:assert/strict';
import sharp from 'sharp';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';
import { demoArtworkSvg } from '../../systems/assets/demoArtwork.js';

/**
 * /play as a now-playing screen: the station's processed picture (the pipeline's @2x) drawn large in the middle of
 * the stage, and for an artist without one the generated poster (no broken image, no 404).
 */
describe('browser: /play cover art', function () {
  this.timeout(90_000);
  let env: BrowserEnv;

  before(async () => {
    // The generated poster has no person in it: without ASSET_REVIEW=never it would wait in the review queue.
    // No artwork job: which artists have a picture is up to this test.
    env = await startBrowserEnv({ ASSET_MIN_SIDE_PX: '256', ASSET_REVIEW: 'never', ASSET_ARTWORK: 'false' });
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

  const cover = () =>
    env.page.evaluate(() => {
      const scene = document.querySelector<HTMLCanvasElement>('#scene')!;
      const name = document.querySelector('#station-name')!.getBoundingClientRect();
      const stage = scene.getBoundingClientRect();
      return {
        art: scene.dataset.art ?? '',
        px: Number(scene.dataset.artPx),
        stage: { width: stage.width, height: stage.height },
        nameInStage: name.top >= stage.top && name.bottom <= stage.bottom,
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      };
    });

  // The orbs' rings go round the cover with an orb's room to spare (stageRings.ts): a desktop's cover is what the
  // stage's height leaves inside the innermost ring.
  for (const [width, height, least] of [
    [390, 844, 150],
    [1440, 900, 280],
    [1920, 1080, 380],
  ] as const) {
    it(`at ${width} px: Wizkid's @2x picture as a cover of at least ${least} px, the name under it on the stage, the page not wider than the screen`, async () => {
      const { page } = env;
      await page.setViewportSize({ width, height });
      await page.goto('/play');
      await page.waitForFunction(() => document.querySelector('#station-name')?.textContent === 'Wizkid', undefined, { timeout: 15_000 });
      await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('#scene')!.dataset.art, undefined, { timeout: 10_000 });
      const shown = await cover();
      assert.match(shown.art, /^\/api\/artists\/artist_wizkid\/image\/(@|%40)2x$/, JSON.stringify(shown));
      assert.ok(shown.px >= least, `a cover of ${shown.px} px: ${JSON.stringify(shown)}`);
      assert.ok(shown.nameInStage, JSON.stringify(shown));
      assert.ok(shown.scrollWidth <= shown.innerWidth, JSON.stringify(shown));
      await env.screenshot(`play-artwork-${width}`, page, { fullPage: false });
    });
  }

  it("a station whose artist has no picture shows the artist's generated poster, and asks for nothing that 404s", async () => {
    const { page } = env;
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      () => document.querySelector('#station-name')?.textContent !== 'Wizkid' && document.querySelector('#lock')?.classList.contains('on'),
      undefined,
      { timeout: 10_000 },
    );
    await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('#scene')!.dataset.art === 'poster', undefined, { timeout: 5000 });
    assert.deepEqual(env.problems, []);
  });
});
