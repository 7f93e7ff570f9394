import assert from 'node:assert/strict';
import pg from 'pg';
import type { BrowserContext, Page } from 'playwright-core';
import { startBrowserEnv, type BrowserEnv } from './harness.js';

/**
 * A ride on /play with a host and two riders in three Chromium contexts, at 390, 1440 and 1920 px: the host opens
 * it (invite card: code, link, copy), the riders follow the link and see "riding with …", the host passes the dial
 * and a rider tunes for everyone, a reaction reaches all three, the host takes the dial back, a rider leaves and the
 * host ends the ride. Screenshots: artifacts/screenshots/ride-{host,rider-a,rider-b}-<px>.png (and ride-invite-<px>).
 */
describe('browser: /play ride (a host and two riders)', function () {
  this.timeout(180_000);
  let env: BrowserEnv;
  let sql: pg.Client;

  before(async () => {
    env = await startBrowserEnv();
    sql = new pg.Client({ connectionString: env.db.url });
    await sql.connect();
  });
  after(async () => {
    await sql?.end();
    await env?.close();
  });

  const stationName = (page: Page) => page.evaluate(() => document.querySelector('#station-name')?.textContent?.trim() ?? '');

  async function listener(width: number, height: number, name: string | null): Promise<{ context: BrowserContext; page: Page }> {
    const context = await env.browser.newContext({ viewport: { width, height }, baseURL: env.server.baseUrl, hasTouch: width < 500, isMobile: width < 500 });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.baseUrl });
    const page = await context.newPage();
    page.on('pageerror', (e) => env.problems.push(`pageerror: ${e.message}`));
    await page.goto('/play');
    await page.waitForSelector('#status.connected', { timeout: 20_000 });
    await page.waitForFunction(() => document.querySelector('#lock')?.classList.contains('on'), undefined, { timeout: 15_000 });
    const userId = await page.evaluate(() => (JSON.parse(localStorage.getItem('ds.play.tokens') ?? '{}') as { userId?: string }).userId);
    assert.ok(userId, 'signed in');
    if (name)
      await sql.query(
        `INSERT INTO media_ids (user_id, display_name) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET display_name = EXCLUDED.display_name`,
        [userId, name],
      );
    return { context, page };
  }

  async function noSideScroll(page: Page, where: string): Promise<void> {
    const m = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth }));
    assert.ok(m.scrollWidth <= m.innerWidth, `${where}: scrollWidth ${m.scrollWidth} > innerWidth ${m.innerWidth}`);
  }

  /** No text of the ride bar or the ride panel is cut or overlapping its neighbour. */
  async function laidOut(page: Page, where: string): Promise<void> {
    const bad = await page.evaluate(() => {
      const out: string[] = [];
      for (const node of Array.from(document.querySelectorAll<HTMLElement>('#ride-bar *, #panel-ride *'))) {
        if (node.offsetParent === null || node.children.length > 0 || node instanceof HTMLInputElement) continue;
        if (node.scrollWidth > node.clientWidth + 1 && getComputedStyle(node).overflow !== 'visible') out.push(`cut: ${node.id || node.className}`);
      }
      const bar = document.querySelector('#ride-bar')?.getBoundingClientRect();
      const caption = document.querySelector('#station-name')?.getBoundingClientRect();
      if (bar && caption && bar.height > 0 && bar.bottom > caption.top)
        out.push(`the ride bar (bottom ${bar.bottom}) covers the station name (top ${caption.top})`);
      return out;
    });
    assert.deepEqual(bad, [], where);
  }

  for (const [width, height] of [
    [390, 844],
    [1440, 900],
    [1920, 1080],
  ]) {
    it(`at ${width} px: invite, join by link, pass the dial, react, take it back, leave, end`, async () => {
      const host = await listener(width, height, 'Ana Moreno');
      const a = await listener(width, height, 'Bo');
      const b = await listener(width, height, null);
      try {
        // The host opens a ride for anyone with the link: the invite card has the code, the link and a copy button.
        await host.page.click('#tab-ride');
        await host.page.selectOption('#ride-who', 'link');
        await host.page.click('#ride-open');
        await host.page.waitForFunction(() => /^[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(document.querySelector('#ride-code')?.textContent ?? ''), undefined, {
          timeout: 10_000,
        });
        const link = await host.page.inputValue('#ride-link');
        assert.match(link, /\/play\?ride=[0-9A-Z]{10}$/);
        await host.page.click('#ride-copy');
        await host.page.waitForSelector('#ride-status:text("invite link copied")');
        assert.equal(await host.page.evaluate(() => navigator.clipboard.readText()), link);
        assert.equal(await host.page.textContent('#ride-with'), 'Your ride · 0 of 32');
        await env.screenshot(`ride-invite-${width}`, host.page);

        // The riders follow the link: "riding with Ana Moreno", the host's station on their screen.
        for (const r of [a, b]) {
          await r.page.goto(link);
          await r.page.waitForSelector('body[data-ride="rider"]', { timeout: 20_000 });
          assert.equal(await r.page.textContent('#ride-with'), 'Riding with Ana Moreno');
        }
        await host.page.waitForFunction(() => document.querySelectorAll('#ride-list > li[data-user]').length === 3, undefined, { timeout: 10_000 });
        await host.page.waitForFunction(() => document.querySelectorAll('#ride-avatars li').length === 3);
        const avatars = await host.page.$$eval('#ride-avatars li', (lis) => lis.map((l) => l.textContent ?? ''));
        assert.deepEqual(avatars.slice(0, 2), ['AM', 'BO']);
        assert.match(avatars[2], /^[0-9A-F-]{2}$/i, 'an unnamed rider: two characters of their id');
        await a.page.waitForFunction((s) => document.querySelector('#station-name')?.textContent?.trim() === s, await stationName(host.page), {
          timeout: 10_000,
        });

        // The host passes the dial to Bo: Bo steps the dial and everyone follows.
        await host.page.click('#ride-list > li[data-user] button.pass >> nth=0');
        await a.page.waitForSelector('body[data-dial="yours"]', { timeout: 10_000 });
        await b.page.waitForFunction(() => document.querySelector('#ride-dial')?.textContent === 'Bo has the dial', undefined, { timeout: 10_000 });
        const before = await stationName(host.page);
        await a.page.click('#swipe-right');
        for (const p of [host.page, b.page])
          await p.waitForFunction(
            (prev) => {
              const n = document.querySelector('#station-name')?.textContent?.trim();
              return !!n && n !== '…' && n !== prev && document.querySelector('#lock')?.classList.contains('on');
            },
            before,
            { timeout: 15_000 },
          );
        assert.equal(await stationName(a.page), await stationName(host.page));

        // A reaction from the unnamed rider floats on all three screens.
        await b.page.click('#ride-reactions button[data-reaction="fire"]');
        for (const p of [host.page, a.page, b.page]) await p.waitForSelector('#ride-floats[data-count="1"]', { state: 'attached', timeout: 5_000 });
        for (const [who, p] of [
          ['host', host.page],
          ['rider-a', a.page],
          ['rider-b', b.page],
        ] as const) {
          if (who !== 'host') await p.click('#tab-ride');
          // Each screen's own reaction floating over the stage when it is taken.
          await p.click('#ride-reactions button[data-reaction="heart"]');
          await p.waitForSelector('#ride-floats .float[data-reaction="heart"]', { timeout: 5_000 });
          await noSideScroll(p, `${who} at ${width}`);
          await laidOut(p, `${who} at ${width}`);
          await env.screenshot(`ride-${who}-${width}`, p);
        }

        // The host takes the dial back; Bo's steps are refused from then on.
        await host.page.click('#ride-take');
        await a.page.waitForSelector('body[data-dial="theirs"]', { timeout: 10_000 });
        // The host's page renders the same patch on its own frame: wait for it rather than race it.
        await host.page.waitForFunction(() => document.querySelector('#ride-dial')?.textContent === 'You have the dial', null, { timeout: 10_000 });
        assert.equal(await host.page.textContent('#ride-dial'), 'You have the dial');

        // The unnamed rider leaves; the host ends the ride and Bo is back on his own session.
        await b.page.click('#ride-leave');
        await b.page.waitForSelector('body[data-ride="none"]');
        await host.page.waitForFunction(() => document.querySelectorAll('#ride-list > li[data-user]').length === 2, undefined, { timeout: 10_000 });
        await host.page.click('#ride-end');
        await a.page.waitForSelector('body[data-ride="none"]', { timeout: 10_000 });
        await a.page.waitForSelector('#ride-status:text("the ride ended")');
        await a.page.waitForSelector('#status.connected', { timeout: 20_000 });
        assert.deepEqual(
          env.problems.filter((p) => !/NOT_YOUR_DIAL/.test(p)),
          [],
        );
      } finally {
        for (const l of [host, a, b]) await l.context.close();
      }
    });
  }
});
