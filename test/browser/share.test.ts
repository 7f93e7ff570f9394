import assert from 'node:assert/strict';
import { SCREENSHOTS, startBrowserEnv, type BrowserEnv } from './harness.js';
import { bearer, postJson, signIn } from '../support/auth.js';
import { captureStars } from '../support/session.js';

/** The share page `/shared/:id` (seed 000 step 16) draws a real share with the /play constellation map. */
describe('browser: /shared/:id share page', function () {
  this.timeout(90_000);
  let env: BrowserEnv;
  let shareId = '';

  before(async () => {
    env = await startBrowserEnv();
    const owner = await signIn(env.server.baseUrl);
    const named = await fetch(`${env.server.baseUrl}/api/mediaid/me`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...bearer(owner.accessToken) },
      body: JSON.stringify({ displayName: 'Ngozi' }),
    });
    assert.equal(named.status, 200, await named.text());
    await captureStars(env.server.baseUrl, owner, ['artist_wizkid', 'artist_burna_boy', 'artist_fela_kuti']);
    const res = await postJson(env.server.baseUrl, '/api/constellations/share', { message: 'Check out my musical journey!' }, bearer(owner.accessToken));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    shareId = res.body.shareId;
    // The page is a friend's: the owner's name is shown to friends only (a stranger sees "A listener").
    const friend = await signIn(env.server.baseUrl);
    await postJson(env.server.baseUrl, `/api/friends/${owner.userId}`, {}, bearer(friend.accessToken));
    assert.equal((await postJson(env.server.baseUrl, `/api/friends/${friend.userId}`, {}, bearer(owner.accessToken))).body.state, 'friends');
    const tokens = JSON.stringify({
      userId: friend.userId,
      accessToken: friend.accessToken,
      refreshToken: friend.refreshToken,
      expiresAt: Date.now() + 600_000,
    });
    await env.page.addInitScript((saved) => localStorage.setItem('ds.play.tokens', saved), tokens);
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

  for (const width of [390, 1440, 1920]) {
    it(`draws the three stars at ${width} px without horizontal scrolling, as an invitation in the owner's voice`, async () => {
      const { page } = env;
      await page.setViewportSize({ width, height: width < 500 ? 844 : width > 1600 ? 1080 : 900 });
      await page.goto(`/shared/${shareId}`);
      await page.waitForSelector('body[data-stars="3"]', { timeout: 15_000 });
      const stars = await page.locator('#stars li').allTextContents();
      assert.deepEqual(
        stars.map((s) => s.split(' · ')[0]),
        ['Wizkid', 'Burna Boy', 'Fela Kuti'],
      );
      assert.equal(await page.textContent('#message'), '“Check out my musical journey!”', 'the owner’s words, quoted');
      assert.equal(await page.textContent('#title'), "Ngozi's constellation", "the owner's MediaID display name");
      // An invitation: one call to action into the app, visible without scrolling.
      assert.equal(await page.getAttribute('#invite a.cta', 'href'), '/play');
      const cta = await page.locator('#invite a.cta').boundingBox();
      assert.ok(cta && cta.y + cta.height <= (width < 500 ? 844 : 900), `the call to action is above the fold: ${JSON.stringify(cta)}`);
      // The owner's voice: the journal's "You're exploring …" is about Ngozi, not the visitor.
      const insights = (await page.textContent('#insights')) ?? '';
      assert.doesNotMatch(insights, /\bYou('re|'ve)?\b/);
      assert.match(insights, /Ngozi is /);
      // Desktop: the sky takes the screen's height beside the lists, not a strip.
      if (width > 1000) {
        const sky = (await page.locator('#constellation').boundingBox())!;
        assert.ok(sky.height >= 600 && sky.width >= 900, `sky ${sky.width}×${sky.height}`);
      }
      assert.match((await page.textContent('#insights')) ?? '', /3 stars captured/);
      assert.ok((await litPixels()) > 20, 'the canvas shows stars');
      // A young sky is the picture, not three dots in a box: its names a size larger (its stars in rings, larger).
      assert.equal(await page.$eval('.sky-label:not([hidden])', (l) => getComputedStyle(l).fontSize), '16px');
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      assert.ok(scrollWidth <= innerWidth, `scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`);
      await env.screenshot(`share-${width}`);
      await env.screenshot(`share-${width}`, page, { fullPage: false });
      assert.deepEqual(env.problems, []);
    });
  }

  it('serves Open Graph and Twitter card tags in the HTML (link previews run no script) without counting a view', async () => {
    const views = async () => ((await (await fetch(`${env.server.baseUrl}/api/shared/${shareId}`)).json()) as { views: number }).views;
    const before = await views();
    const res = await fetch(`${env.server.baseUrl}/shared/${shareId}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    // A link preview is for anyone: it never names the owner.
    assert.match(html, /<title>A listener&#39;s Musical Constellation · 3 stars · DeepStream<\/title>/);
    assert.match(html, /<meta property="og:title" content="A listener&#39;s Musical Constellation · 3 stars · DeepStream">/);
    assert.match(html, /<meta property="og:description" content="“Check out my musical journey!” — Wizkid, Burna Boy, Fela Kuti">/);
    assert.match(html, /<meta name="twitter:card" content="summary_large_image">/);
    const image = /<meta property="og:image" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.equal(image, `${env.server.baseUrl}/api/shared/${shareId}/preview.png`);
    const png = Buffer.from(await (await fetch(image)).arrayBuffer());
    const { default: sharp } = await import('sharp');
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 1200, 630]);
    // Open it as a person would: the picture is drawn in the browser and kept with the screenshots.
    await sharp(png).toFile(`${SCREENSHOTS}/share-preview-1200x630.png`);
    assert.equal(await views(), before + 1, 'only the API read counted a view');
    const unknown = await fetch(`${env.server.baseUrl}/shared/AAAAAAAAAAAAAAAAAAAAAA`);
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /<meta name="robots" content="noindex">/);
  });

  for (const width of [390, 1440]) {
    it(`an unknown share is a not-found page at ${width} px: what happened and a way into the app, no empty sky`, async () => {
      const { page } = env;
      await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
      await page.goto('/shared/AAAAAAAAAAAAAAAAAAAAAA');
      await page.waitForSelector('body[data-error="404"]', { timeout: 15_000 });
      assert.equal(await page.textContent('#missing-title'), 'No shared constellation here');
      assert.match((await page.textContent('#missing-text')) ?? '', /no shared constellation has this id; check the link/);
      assert.equal(await page.getAttribute('#missing a', 'href'), '/play');
      assert.equal(await page.isVisible('#constellation'), false, 'no map (it would show the /play capture hint)');
      assert.doesNotMatch((await page.textContent('body')) ?? '', /Capture a station/);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      assert.ok(scrollWidth <= innerWidth);
      await env.screenshot(`share-not-found-${width}`);
      env.problems.length = 0; // the 404 of the API call is expected here
    });
  }
});
