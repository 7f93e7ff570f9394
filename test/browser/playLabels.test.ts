import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { newDeviceSecret, signIn } from '../support/auth.js';
import { captureStars } from '../support/session.js';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

/**
 * Names on the constellation maps never overlap (Femi Kuti was drawn over Nina Simone, "Ebenezer Obe"
 * was cut at the mini-map's edge): with 50 stars captured the way a listener captures them (the server places
 * each), every shown label box is measured on /play's mini-map, its journal sky and the /ops user page, at
 * 390, 1440 and 1920 px (/shared and the preview picture: constellationSky.test.ts, sharePreview.test.ts); a star
 * whose name found no room shows it on a point of the mouse or a tap. Screenshots: play-labels-*.png, ops-user-sky-*.png.
 */
const STARS = 50;
/** Names printed at least, per view (assertLaidOut says why these). */
const LEAST = { miniMap: 21, journal: 17, opsUser: 16 };

interface Measured {
  container: { left: number; top: number; right: number; bottom: number };
  labels: Array<{ text: string; left: number; top: number; right: number; bottom: number }>;
}

describe('browser: constellation labels never overlap', function () {
  this.timeout(120_000);
  let env: BrowserEnv;
  let deviceSecret = '';
  let ownerId = '';

  before(async () => {
    env = await startBrowserEnv();
    // The browser signs in with this device secret below: the same user as these captures.
    deviceSecret = newDeviceSecret();
    const owner = await signIn(env.server.baseUrl, deviceSecret);
    ownerId = owner.userId;
    // Fifty of the dial's artists, every other one up the band, then the rest: neighbours in genre and era, and not.
    const dial = (await env.db.sql.query<{ id: string }>(`SELECT id FROM artists WHERE station_frequency IS NOT NULL ORDER BY station_frequency`)).map(
      (r) => r.id,
    );
    const order = [...dial.filter((_, i) => i % 2 === 0), ...dial.filter((_, i) => i % 2 === 1)].slice(0, STARS);
    assert.equal(order.length, STARS);
    await captureStars(env.server.baseUrl, owner, order);
    // The genre rule links a capture to every similar star: one star linked to all the others, as a listener of one
    // genre gets. The sky draws each star's nearest links only, so there are far more links than lines.
    await env.db.sql.query(
      `INSERT INTO constellation_connections (user_id, from_artist_id, to_artist_id, strength, connection_type)
       SELECT ?::uuid, ?, artist_id, 0.6, 'genre_similarity' FROM constellation_stars WHERE user_id = ?::uuid AND artist_id <> ? ON CONFLICT DO NOTHING`,
      [ownerId, order[0], ownerId, order[0]],
    );
  });
  after(async () => env?.close());

  const measure = (page: Page, panel: string) =>
    // No named helper inside: the test runner's transform would wrap it in a __name() the page lacks.
    page.$eval(panel, (root): Measured => {
      const overlay = root.querySelector('.sky-labels')!;
      const c = overlay.getBoundingClientRect();
      const labels = Array.from(overlay.querySelectorAll('.sky-label:not([hidden])')).map((l) => [l.textContent ?? '', l.getBoundingClientRect()] as const);
      return {
        container: { left: c.left, top: c.top, right: c.right, bottom: c.bottom },
        labels: labels.map(([text, r]) => ({ text, left: r.left, top: r.top, right: r.right, bottom: r.bottom })),
      };
    });

  /**
   * Names printed beside their stars at least, at the still view. How many fit depends on where the stars sit, and
   * placement jitters each star by a seed of its user's id, new every run: six runs printed 28–47 on the mini-map,
   * 23–43 in the journal and 21–35 on the ops page. The floors (LEAST) sit a quarter under those lows, so a sky
   * that hides its names still fails while a run's own layout does not.
   */
  function assertLaidOut(m: Measured, where: string, least: number): void {
    assert.ok(m.labels.length >= least, `${where}: only ${m.labels.length} of ${STARS} names shown`);
    for (const l of m.labels) {
      assert.ok(l.right - l.left > 10, `${where}: ${l.text} has a width`);
      const inside = l.left >= m.container.left && l.right <= m.container.right && l.top >= m.container.top && l.bottom <= m.container.bottom;
      assert.ok(inside, `${where}: ${l.text} is cut by the edge: ${JSON.stringify({ l, c: m.container })}`);
    }
    for (let i = 0; i < m.labels.length; i++) {
      for (let j = i + 1; j < m.labels.length; j++) {
        const a = m.labels[i];
        const b = m.labels[j];
        const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        assert.ok(!overlap, `${where}: "${a.text}" overlaps "${b.text}": ${JSON.stringify([a, b])}`);
      }
    }
  }

  it('a star printed without its name shows it on a point of the mouse (1440 px) and on a tap (a 390 px touch phone)', async () => {
    for (const [width, height, touch] of [
      [1440, 900, false],
      [390, 844, true],
    ] as const) {
      // A still sky (reduced motion): the star stays under the pointer.
      const context = await env.browser.newContext({ viewport: { width, height }, hasTouch: touch, reducedMotion: 'reduce', baseURL: env.server.baseUrl });
      await context.addInitScript((secret) => localStorage.setItem('ds.play.deviceSecret', secret), deviceSecret);
      const page = await context.newPage();
      try {
        await page.goto('/play');
        await page.waitForFunction((n) => document.querySelectorAll('#star-list li').length === n, STARS, { timeout: 20_000 });
        await page.locator('#panel-now .sky').scrollIntoViewIfNeeded();
        await page.waitForTimeout(300);
        const unnamed = await page.$eval('#panel-now .sky-labels', (overlay) => {
          const o = overlay.getBoundingClientRect();
          const span = Array.from(overlay.querySelectorAll<HTMLElement>('.sky-label[hidden]')).find((s) => s.dataset.at);
          const [x, y] = (span?.dataset.at ?? '').split(',').map(Number);
          return span ? { name: span.textContent ?? '', x: o.left + x, y: o.top + y } : null;
        });
        assert.ok(unnamed, 'some of 50 stars have no printed name');
        if (touch) await page.touchscreen.tap(unnamed.x, unnamed.y);
        else await page.mouse.move(unnamed.x, unnamed.y);
        await page.waitForFunction((name) => document.querySelector<HTMLElement>('#panel-now .sky-tip:not([hidden])')?.textContent === name, unnamed.name, {
          timeout: 3000,
        });
        const tip = (await page.locator('#panel-now .sky-tip').boundingBox())!;
        assert.ok(tip.x >= 0 && tip.x + tip.width <= width, `the tip stays on screen: ${JSON.stringify(tip)}`);
        await env.screenshot(`play-labels-tip-${width}`, page, { fullPage: false });
      } finally {
        await context.close();
      }
    }
  });

  for (const [width, height] of [
    [390, 844],
    [1440, 900],
    [1920, 1080],
  ]) {
    it(`at ${width} px with ${STARS} stars: mini-map, journal and ops user page labels are whole and apart, no horizontal scroll`, async () => {
      // A still sky (reduced motion): how many names fit depends on the turn, so the count is taken at the still view.
      const context = await env.browser.newContext({ viewport: { width, height }, reducedMotion: 'reduce', baseURL: env.server.baseUrl });
      await context.addInitScript((secret) => localStorage.setItem('ds.play.deviceSecret', secret), deviceSecret);
      const page = await context.newPage();
      const [{ links }] = await env.db.sql.query<{ links: number }>(`SELECT count(*)::int AS links FROM constellation_connections WHERE user_id = ?::uuid`, [
        ownerId,
      ]);
      try {
        await page.goto('/play');
        await page.waitForFunction((n) => document.querySelectorAll('#star-list li').length === n, STARS, { timeout: 20_000 });
        await page.waitForTimeout(300); // a few frames: the labels follow the drawn stars
        assertLaidOut(await measure(page, '#panel-now'), `mini-map ${width}`, LEAST.miniMap);
        await page.locator('#panel-now .sky').scrollIntoViewIfNeeded();
        await env.screenshot(`play-labels-map-${width}`, page);

        await page.click('#tab-journal');
        await page.waitForSelector(`#panel-journal[data-stars="${STARS}"]`, { timeout: 10_000 });
        await page.waitForTimeout(200);
        assertLaidOut(await measure(page, '#panel-journal'), `journal ${width}`, LEAST.journal);
        // "Lines" is what the sky draws: 50 stars captured along the dial hold far more links than lines.
        const lines = await page.evaluate(() => ({
          printed: Array.from(document.querySelectorAll('#journal-stats dt')).find((dt) => dt.textContent === 'Lines')?.nextElementSibling?.textContent,
          drawn: document.querySelector<HTMLCanvasElement>('#journal-sky')!.dataset.lines,
        }));
        assert.equal(lines.printed, lines.drawn, `the journal prints Lines ${lines.printed} and draws ${lines.drawn}`);
        assert.ok(Number(lines.drawn) < links, `${lines.drawn} lines drawn of ${links} links: the test has more links than lines`);
        await page.locator('#panel-journal .sky').scrollIntoViewIfNeeded();
        await env.screenshot(`play-labels-journal-${width}`, page);

        const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
        assert.ok(scrollWidth <= innerWidth, `scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`);

        // The same sky on the operator's page of this user.
        await page.goto('/ops');
        await page.fill('#token', ADMIN_TOKEN);
        await page.click('#login-form button[type=submit]');
        await page.waitForSelector('#dashboard:not(.hidden)');
        await page.goto(`/ops#tab=users&user=${ownerId}`);
        await page.reload();
        await page.waitForSelector('#dia-user:not(.hidden) .sky-label:not([hidden])', { timeout: 10_000 });
        await page.waitForTimeout(200);
        assertLaidOut(await measure(page, '#dia-user'), `ops user page ${width}`, LEAST.opsUser);
        await page.locator('#dia-constellation').scrollIntoViewIfNeeded();
        await env.screenshot(`ops-user-sky-${width}`, page, { fullPage: false });
      } finally {
        await context.close();
      }
    });
  }
});
