import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { locked, startBrowserEnv, stationName, type BrowserEnv } from './harness.js';
import { bearer, newDeviceSecret, postJson, signIn } from '../support/auth.js';
import { captureStars } from '../support/session.js';

/**
 * /play's panels as a listener uses them, on a phone and a desktop: the journal shows the stars just
 * captured with their clusters, insights and numbers; search finds an artist and tapping it tunes there;
 * share makes a link, copies it, previews it, and the link opens a page whose HTML carries og: tags.
 * Screenshots: artifacts/screenshots/play-{journal,search,share,shared}-<px>.png.
 */
describe('browser: /play journal, search and share panels', function () {
  this.timeout(120_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv();
  });
  after(async () => env?.close());

  async function noSideScroll(page: Page, where: string): Promise<void> {
    const m = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth }));
    assert.ok(m.scrollWidth <= m.innerWidth, `${where}: scrollWidth ${m.scrollWidth} > innerWidth ${m.innerWidth}`);
  }

  /** Captures the station on air, then steps right and captures again: `count` stars, their names. */
  async function captureStations(page: Page, count: number): Promise<string[]> {
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      if (i > 0) {
        const before = await stationName(page);
        await page.keyboard.press('ArrowRight');
        await locked(page, before);
      }
      names.push(await stationName(page));
      await page.keyboard.press('c');
      await page.waitForFunction((n) => document.querySelector('#total-stars')?.textContent === String(n), i + 1, { timeout: 10_000 });
    }
    return names;
  }

  for (const [width, height] of [
    [390, 844],
    [1440, 900],
  ]) {
    it(`at ${width} px: journal after captures, search → tune, share → a page with og: tags`, async () => {
      const context = await env.browser.newContext({ viewport: { width, height }, baseURL: env.server.baseUrl });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.baseUrl });
      const page = await context.newPage();
      page.on('pageerror', (e) => env.problems.push(`pageerror: ${e.message}`));
      page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && env.problems.push(`${r.status()} ${r.url()}`));
      try {
        await page.goto('/play');
        await page.waitForSelector('#status.connected', { timeout: 20_000 });
        await locked(page, '');
        const captured = await captureStations(page, 3);

        // Journal: the three stars, grouped into named clusters, with insights and numbers.
        await page.click('#tab-journal');
        await page.waitForSelector('#panel-journal[data-stars="3"]', { timeout: 10_000 });
        const clusters = await page.$$eval('#journal-clusters li', (lis) =>
          lis.map((li) => ({ name: li.querySelector('strong')?.textContent ?? '', members: li.querySelector('span')?.textContent ?? '' })),
        );
        assert.ok(clusters.length >= 1 && clusters.every((c) => c.name.length > 0), JSON.stringify(clusters));
        assert.deepEqual(clusters.flatMap((c) => c.members.split(' · ')).sort(), [...captured].sort());
        assert.match((await page.textContent('#journal-insights')) ?? '', /3 stars captured/);
        assert.match((await page.textContent('#journal-stats')) ?? '', /Stars3/);
        assert.equal(await page.locator('#panel-journal .sky-label:not([hidden])').count(), 3, 'each star is named on the journal sky');
        // Seed 8.7's recommendations: artists not yet captured; a tap tunes the dial to one.
        const picks = page.locator('#journal-recommendations button');
        await picks.first().waitFor({ timeout: 10_000 });
        const pick = ((await picks.first().locator('.name').textContent()) ?? '').trim();
        assert.ok(pick && !captured.includes(pick), `${pick} is a new artist`);
        assert.match((await picks.first().textContent()) ?? '', /, like /);
        await noSideScroll(page, 'journal');
        await page.locator('aside').scrollIntoViewIfNeeded();
        await env.screenshot(`play-journal-${width}`, page);
        const beforePick = await stationName(page);
        await picks.first().click();
        await locked(page, beforePick);
        assert.equal(await stationName(page), pick);

        // Search: type, tap the result, the dial tunes there.
        await page.click('#tab-search');
        // (The pick above may have tuned to Fela Kuti already: then search for Sade.)
        const target = (await stationName(page)) === 'Fela Kuti' ? 'Sade' : 'Fela Kuti';
        await page.fill('#search-input', target.split(' ')[0]);
        const result = page.locator('#search-results button', { hasText: target }).first();
        await result.waitFor({ timeout: 10_000 });
        await env.screenshot(`play-search-${width}`, page);
        const before = await stationName(page);
        await result.click();
        await locked(page, before);
        assert.equal(await stationName(page), target);
        await noSideScroll(page, 'search');

        // Share: the link is made, copied and previewed; it opens the share page with its og: tags.
        await page.click('#tab-share');
        await page.fill('#share-message', 'Three stars from the dial');
        await page.click('#share-create');
        await page.waitForSelector('#share-result:not([hidden])', { timeout: 10_000 });
        const url = await page.inputValue('#share-url');
        assert.match(url, /^http:\/\/[^/]+\/shared\/[A-Za-z0-9_-]{22}$/);
        await page.waitForFunction(() => document.querySelector('#share-status')?.textContent === 'link copied');
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
        assert.match((await page.textContent('#share-og-title')) ?? '', /3 stars/);
        await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('#share-og-image')?.naturalWidth ?? 0) === 1200, undefined, {
          timeout: 10_000,
        });
        assert.equal(await page.getAttribute('#share-link', 'href'), url);
        await noSideScroll(page, 'share');
        await env.screenshot(`play-share-${width}`, page);

        const html = await (await fetch(url)).text();
        assert.match(html, /<meta property="og:title" content="[^"]*3 stars[^"]*">/);
        assert.match(html, /<meta property="og:description" content="“Three stars from the dial”/);
        const shared = await context.newPage();
        await shared.goto(url);
        await shared.waitForSelector('body[data-stars="3"]', { timeout: 10_000 });
        assert.deepEqual((await shared.locator('#stars li').allTextContents()).map((s) => s.split(' · ')[0]).sort(), [...captured].sort());
        await env.screenshot(`play-shared-${width}`, shared);
        assert.deepEqual(env.problems, []);
      } finally {
        await context.close();
      }
    });
  }

  it('the inbox: a share sent before the visit and one sent during it counted on the header and the tab, listed, marked read one by one and all at once', async () => {
    const base = env.server.baseUrl;
    const secret = newDeviceSecret();
    const listener = await signIn(base, secret);
    const sender = await signIn(base);
    await captureStars(base, sender, ['artist_wizkid']);
    const share = async (message: string) =>
      assert.equal(
        (await postJson(base, '/api/constellations/share', { shareType: 'direct_user', recipientId: listener.userId, message }, bearer(sender.accessToken)))
          .status,
        201,
      );
    await share('Before you came: listen to Wizkid');
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: base });
    await context.addInitScript((s) => localStorage.setItem('ds.play.deviceSecret', s), secret);
    const page = await context.newPage();
    page.on('pageerror', (e) => env.problems.push(`pageerror: ${e.message}`));
    const badges = () =>
      page.evaluate(() =>
        [document.querySelector<HTMLElement>('#inbox-badge')!, document.querySelector<HTMLElement>('#inbox-tab-badge')!].map((b) =>
          b.hidden ? '' : b.textContent,
        ),
      );
    const unread = async () =>
      ((await (await fetch(`${base}/api/notifications`, { headers: bearer(listener.accessToken) })).json()) as { unread: number }).unread;
    try {
      await page.goto('/play');
      // The unread entry comes with the join (`notifications`), the next one live (`notification`) with a notice on the stage.
      await page.waitForFunction(() => document.body.dataset.unread === '1', undefined, { timeout: 20_000 });
      await share('While you listen: Fela next');
      await page.waitForFunction(() => document.body.dataset.unread === '2', undefined, { timeout: 10_000 });
      assert.deepEqual(await badges(), ['2', '2']);
      assert.match((await page.textContent('.stage-notice')) ?? '', /shared their constellation/);
      const header = (await page.locator('#inbox-button').boundingBox())!;
      assert.ok(header.y >= 0 && header.x + header.width <= 390, `the inbox button is on screen: ${JSON.stringify(header)}`);

      await page.click('#inbox-button');
      assert.equal(await page.getAttribute('#tab-inbox', 'aria-selected'), 'true');
      await page.waitForFunction(() => document.querySelectorAll('#inbox-list li.unread').length === 2, undefined, { timeout: 10_000 });
      assert.match((await page.textContent('#inbox-list')) ?? '', /While you listen: Fela next[\s\S]*Before you came/);
      await env.screenshot('play-inbox-390', page, { fullPage: false });
      await page.click('#inbox-list li.unread .mark-read');
      await page.waitForFunction(() => document.body.dataset.unread === '1', undefined, { timeout: 5000 });
      for (let i = 0; i < 50 && (await unread()) !== 1; i++) await page.waitForTimeout(100);
      assert.equal(await unread(), 1, 'marked read on the server');
      await page.click('#inbox-read-all');
      await page.waitForFunction(() => document.body.dataset.unread === '0', undefined, { timeout: 5000 });
      assert.deepEqual(await badges(), ['', '']);
      for (let i = 0; i < 50 && (await unread()) !== 0; i++) await page.waitForTimeout(100);
      assert.equal(await unread(), 0);
      assert.equal(await page.locator('#inbox-list li.read').count(), 2);
      assert.deepEqual(env.problems, []);
    } finally {
      await context.close();
    }
  });

  it('the inbox: a pick of an artist the listener then captures leaves the inbox, and stays out after a reload', async () => {
    const base = env.server.baseUrl;
    const secret = newDeviceSecret();
    const listener = await signIn(base, secret);
    const [artist] = await env.db.sql.query<{ id: string; name: string; station: string }>(
      `SELECT id, name, station_frequency::text AS station FROM artists WHERE station_frequency IS NOT NULL ORDER BY station_frequency DESC LIMIT 1`,
    );
    const [told] = await env.db.sql.query<{ id: string }>(
      `INSERT INTO notifications (user_id, type, artist_id, title, body, deep_link, created_at) VALUES (?, 'top_recommendation', ?, 'New artist to explore', ?, ?, now())
       RETURNING id::text AS id`,
      [listener.userId, artist!.id, `${artist!.name} - Trending today`, `deepstream://station/${Number(artist!.station)}`],
    );
    const entry = `#inbox-list li[data-id="${told!.id}"]`;
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: base });
    await context.addInitScript((s) => localStorage.setItem('ds.play.deviceSecret', s), secret);
    const page = await context.newPage();
    page.on('pageerror', (e) => env.problems.push(`pageerror: ${e.message}`));
    try {
      await page.goto('/play');
      await page.waitForFunction(() => document.body.dataset.unread === '1', undefined, { timeout: 20_000 });
      await page.click('#inbox-button');
      await page.waitForSelector(`${entry} button:not(.mark-read)`, { timeout: 10_000 });
      await page.click(`${entry} button:not(.mark-read)`); // "Tune …": marks it read and tunes to the pick
      await page.waitForFunction((name) => document.querySelector('#station-name')?.textContent?.trim() === name, artist!.name, { timeout: 10_000 });
      await page.waitForFunction(() => document.querySelector('#lock')?.classList.contains('on'), undefined, { timeout: 10_000 });
      await page.keyboard.press('c');
      await page.waitForFunction(() => document.querySelector('#total-stars')?.textContent === '1', undefined, { timeout: 10_000 });
      await page.waitForSelector(entry, { state: 'detached', timeout: 5000 });
      await page.reload();
      await page.waitForSelector('#status.connected', { timeout: 20_000 });
      await page.click('#inbox-button');
      await page.waitForFunction(() => document.querySelector('#inbox-status')?.textContent === '' && !!document.querySelector('#inbox-list li'), undefined, {
        timeout: 10_000,
      });
      assert.equal(await page.locator(entry).count(), 0, 'the captured pick is not read back');
      // The capture's own recompute may tell a new pick: any but the captured artist.
      const inbox = (await (await fetch(`${base}/api/notifications`, { headers: bearer(listener.accessToken) })).json()) as {
        notifications: Array<{ artistId: string | null }>;
      };
      assert.deepEqual(
        inbox.notifications.filter((n) => n.artistId === artist!.id),
        [],
      );
    } finally {
      await context.close();
    }
  });

  it('before any capture: /play#journal opens on the journal, an empty search says so, sharing explains why not', async () => {
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: env.server.baseUrl });
    const page = await context.newPage();
    try {
      await page.goto('/play#journal');
      await page.waitForSelector('#status.connected', { timeout: 20_000 });
      assert.equal(await page.getAttribute('#tab-journal', 'aria-selected'), 'true');
      await page.waitForSelector('#panel-journal[data-stars="0"]', { timeout: 10_000 });
      assert.equal(await page.isVisible('#panel-now'), false);

      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input', '"/" jumps to the search box');
      await page.keyboard.type('zzqxv');
      await page.waitForFunction(() => /nothing found for “zzqxv”/.test(document.querySelector('#search-status')?.textContent ?? ''), undefined, {
        timeout: 10_000,
      });
      assert.equal(await page.locator('#search-results li').count(), 0);

      await page.click('#tab-share');
      const refused = page.waitForResponse((r) => r.url().endsWith('/api/constellations/share'));
      await page.click('#share-create');
      assert.equal((await refused).status(), 409);
      await page.waitForFunction(() => /no stars yet/.test(document.querySelector('#share-status')?.textContent ?? ''), undefined, { timeout: 5000 });
      assert.equal(await page.isVisible('#share-result'), false);
    } finally {
      await context.close();
    }
  });
});
