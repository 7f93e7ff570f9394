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
});
