import assert from 'node:assert/strict';
import { startBrowserEnv, type BrowserEnv } from './harness.js';
import { bearer, postJson, signIn } from '../support/auth.js';
import { nextMessage } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

/** The share page `/shared/:id` (seed 000 step 16) draws a real share with the /play constellation map. */
describe('browser: /shared/:id share page', function () {
  this.timeout(90_000);
  let env: BrowserEnv;
  let shareId = '';

  before(async () => {
    env = await startBrowserEnv();
    const owner = await signIn(env.server.baseUrl);
    const { room } = await joinSession(env.server.baseUrl, {}, owner);
    for (const artistId of ['artist_wizkid', 'artist_burna_boy', 'artist_fela_kuti']) {
      const captured = nextMessage(room, 'captured');
      room.send('capture', { artistId });
      await captured;
    }
    await leaveQuietly(room);
    const res = await postJson(env.server.baseUrl, '/api/constellations/share', { message: 'Check out my musical journey!' }, bearer(owner.accessToken));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    shareId = res.body.shareId;
  });

  after(async () => {
    await env?.close();
  });

  /** Pixels of the canvas brighter than its background: the stars and their glow. */
  const litPixels = () =>
    env.page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('#constellation')!;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let lit = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] > 200 && data[i + 1] > 200) lit++;
      return lit;
    });

  for (const width of [390, 1440]) {
    it(`draws the three stars at ${width} px without horizontal scrolling`, async () => {
      const { page } = env;
      await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
      await page.goto(`/shared/${shareId}`);
      await page.waitForSelector('body[data-stars="3"]', { timeout: 15_000 });
      const stars = await page.locator('#stars li').allTextContents();
      assert.deepEqual(stars.map((s) => s.split(' · ')[0]), ['Wizkid', 'Burna Boy', 'Fela Kuti']);
      assert.equal(await page.textContent('#message'), 'Check out my musical journey!');
      assert.match((await page.textContent('#insights')) ?? '', /3 stars captured/);
      assert.ok((await litPixels()) > 20, 'the canvas shows stars');
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      assert.ok(scrollWidth <= innerWidth, `scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`);
      await env.screenshot(`share-${width}`);
      assert.deepEqual(env.problems, []);
    });
  }

  it('serves Open Graph and Twitter card tags in the HTML (link previews run no script) without counting a view', async () => {
    const views = async () => ((await (await fetch(`${env.server.baseUrl}/api/shared/${shareId}`)).json()) as { views: number }).views;
    const before = await views();
    const res = await fetch(`${env.server.baseUrl}/shared/${shareId}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<title>A musical constellation of 3 stars · DeepStream<\/title>/);
    assert.match(html, /<meta property="og:title" content="A musical constellation of 3 stars · DeepStream">/);
    assert.match(html, /<meta property="og:description" content="“Check out my musical journey!” — Wizkid, Burna Boy, Fela Kuti">/);
    assert.match(html, /<meta name="twitter:card" content="summary">/);
    assert.equal(await views(), before + 1, 'only the API read counted a view');
    const unknown = await fetch(`${env.server.baseUrl}/shared/AAAAAAAAAAAAAAAAAAAAAA`);
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /<meta name="robots" content="noindex">/);
  });

  it('an unknown share says so on the page', async () => {
    const { page } = env;
    await page.goto('/shared/AAAAAAAAAAAAAAAAAAAAAA');
    await page.waitForSelector('body[data-error="404"]', { timeout: 15_000 });
    assert.match((await page.textContent('#status')) ?? '', /no shared constellation has this id/);
    env.problems.length = 0; // the 404 of the API call is expected here
  });
});
