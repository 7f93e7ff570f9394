import assert from 'node:assert/strict';
import { startBrowserEnv, type BrowserEnv } from './harness.js';

/**
 * At 390 px /play was 531 px wide (the header pushed the frequency off screen) and /coliseum
 * 707 px. Both pages must fit a phone and a desktop with no horizontal scroll, with the frequency and
 * the window switcher on screen. Screenshots: artifacts/screenshots/width-<page>-<px>.png.
 */
describe('browser: /play and /coliseum fit 390 px and 1440 px', function () {
  this.timeout(120_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv();
  });
  after(async () => env?.close());

  for (const width of [390, 1440]) {
    for (const path of ['/play', '/coliseum']) {
      it(`${path} at ${width} px: no horizontal scroll, key controls inside the viewport`, async () => {
        const context = await env.browser.newContext({ viewport: { width, height: width === 390 ? 844 : 900 }, baseURL: env.server.baseUrl });
        const page = await context.newPage();
        try {
          await page.goto(path);
          const key = path === '/play' ? '#frequency' : '#windows';
          await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.trim() !== '—', key, { timeout: 20_000 });
          await page.waitForTimeout(500);
          const m = await page.evaluate((sel) => {
            const r = document.querySelector(sel)!.getBoundingClientRect();
            return { scrollWidth: document.documentElement.scrollWidth, innerWidth, right: r.right, left: r.left };
          }, key);
          await env.screenshot(`width-${path.slice(1)}-${width}`, page);
          assert.ok(m.scrollWidth <= m.innerWidth, `${path} at ${width}: scrollWidth ${m.scrollWidth} > ${m.innerWidth}`);
          assert.ok(m.left >= 0 && m.right <= m.innerWidth, `${key} off screen: ${JSON.stringify(m)}`);
        } finally {
          await context.close();
        }
      });
    }
  }

  it('/play on a touch phone: the scene lets a vertical swipe scroll, and the hint speaks of taps, not clicks and keys', async () => {
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, baseURL: env.server.baseUrl });
    const page = await context.newPage();
    try {
      await page.goto('/play');
      await page.waitForSelector('#hint');
      assert.equal(await page.$eval('#scene', (e) => getComputedStyle(e).touchAction), 'pan-y');
      const hint = (await page.textContent('#hint')) ?? '';
      assert.match(hint, /tap an orb/);
      assert.doesNotMatch(hint, /click|\bC\b/);
      // The panels below the scene are reachable: the page scrolls (the body used to clip it).
      const { scrollHeight, viewport, overflowY } = await page.evaluate(() => ({
        scrollHeight: document.documentElement.scrollHeight,
        viewport: window.innerHeight,
        overflowY: getComputedStyle(document.body).overflowY,
      }));
      assert.ok(scrollHeight > viewport, `the page is taller than the phone (${scrollHeight} > ${viewport})`);
      assert.notEqual(overflowY, 'hidden');
    } finally {
      await context.close();
    }
  });
});
