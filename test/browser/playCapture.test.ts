import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserEnv, type BrowserEnv } from './harness.js';

/** Capturing on /play as a moment: the button's state, "1 star", the new star in view on a phone, the band's end. */
describe('browser: /play capture as a moment', function () {
  this.timeout(90_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv();
  });
  after(async () => env?.close());

  /** A fresh listener (a new browser context: a new device) on /play at this size. */
  async function listener(width: number, height: number): Promise<Page> {
    const context = await env.browser.newContext({ viewport: { width, height }, baseURL: env.server.baseUrl });
    const page = await context.newPage();
    page.on('pageerror', (e) => env.problems.push(`pageerror: ${e.message}`));
    await page.addInitScript('window.__name = (f) => f');
    await page.goto('/play');
    await page.waitForSelector('#status.connected', { timeout: 15_000 });
    await page.waitForFunction(() => (document.querySelector('#station-name')?.textContent ?? '…') !== '…', undefined, { timeout: 10_000 });
    return page;
  }

  for (const [width, height] of [
    [390, 844],
    [1440, 900],
    [1920, 1080],
  ]) {
    it(`at ${width}×${height}: Captured ✓ and disabled, "1 star", the new star and its name inside the viewport`, async () => {
      const page = await listener(width, height);
      const name = (await page.textContent('#station-name'))!.trim();
      assert.equal((await page.textContent('#capture'))?.trim(), '★ Capture');
      assert.equal(await page.isDisabled('#capture'), false);
      await page.click('#capture');
      await page.waitForFunction(() => document.querySelector('#total-stars')?.textContent === '1', undefined, { timeout: 5000 });
      await page.waitForTimeout(1400); // the fly-in (1.2 s) has landed; on a phone the map is still in the corner
      const seen = await page.evaluate((artist) => {
        const label = Array.from(document.querySelectorAll<HTMLElement>('#panel-now .sky-label')).find((l) => l.textContent === artist && !l.hidden);
        const map = document.querySelector('#panel-now > .sky')!.getBoundingClientRect();
        const r = label?.getBoundingClientRect();
        const inside = (b: DOMRect) => b.top >= 0 && b.left >= 0 && b.bottom <= innerHeight && b.right <= innerWidth;
        // The map in the corner leaves the header's frequency and inbox button uncovered.
        const covers = ['#frequency', '#inbox-button'].filter((sel) => {
          const b = document.querySelector(sel)!.getBoundingClientRect();
          return b.left < map.right && map.left < b.right && b.top < map.bottom && map.top < b.bottom;
        });
        return { label: r ? inside(r) : false, map: inside(map), width: map.width, covers };
      }, name);
      // A notice told while the map is in the corner (the capture's new pick arriving in the inbox) is not under it.
      const hidden = await page.evaluate(() => {
        if (!document.body.classList.contains('capture-pip')) return null;
        const notice = document.querySelector<HTMLElement>('.stage-notice')!;
        [notice.textContent, notice.hidden] = ['✉ New artist to explore', false];
        const [n, map] = [notice.getBoundingClientRect(), document.querySelector('#panel-now > .sky')!.getBoundingClientRect()];
        return n.left < map.right && map.left < n.right && n.top < map.bottom && map.top < n.bottom ? JSON.stringify({ n, map }) : '';
      });
      assert.equal(hidden, width === 390 ? '' : null, 'on a phone the map comes into the corner and a notice stays beside it');
      await env.screenshot(`play-capture-${width}`, page, { fullPage: false });
      assert.ok(seen.map && seen.map.valueOf() && seen.width >= 120, `the map is in view after a capture: ${JSON.stringify(seen)}`);
      assert.ok(seen.label, `${name}'s name is in view: ${JSON.stringify(seen)}`);
      assert.deepEqual(seen.covers, [], 'the map after a capture covers nothing of the header');
      assert.equal((await page.textContent('#stars-count'))?.replace(/\s+/g, ' ').trim(), '1 star');
      assert.equal((await page.textContent('#capture'))?.trim(), 'Captured ✓');
      assert.equal(await page.isDisabled('#capture'), true, 'a captured artist cannot be captured again');
      // Moving to another station makes the button a capture button again.
      await page.keyboard.press('ArrowLeft');
      await page.waitForFunction((n) => document.querySelector('#station-name')?.textContent?.trim() !== n, name, { timeout: 5000 });
      await page.waitForFunction(() => document.querySelector('#capture')?.textContent?.trim() === '★ Capture', undefined, { timeout: 5000 });
      await page.context().close();
    });
  }

  it('For you never offers an artist already captured: a pick captured leaves the list at once, at 390 px', async () => {
    const page = await listener(390, 844);
    await page.click('#capture');
    // The first capture brings a pushed list; pick one of its tunable artists and capture it too.
    await page.waitForSelector('#recommendations button[data-artist]:not([disabled])', { timeout: 20_000 });
    const pick = await page.evaluate(() => {
      const b = document.querySelector<HTMLButtonElement>('#recommendations button[data-artist]:not([disabled])')!;
      return { id: b.dataset.artist!, label: b.textContent! };
    });
    const pushes = await page.getAttribute('#recommendations', 'data-pushes');
    await page.click(`#recommendations button[data-artist="${pick.id}"]`);
    await page.waitForFunction((name) => (document.querySelector('#station-name')?.textContent ?? '').trim() === name, pick.label.split(' · ')[0], {
      timeout: 8000,
    });
    await page.waitForFunction(
      () => document.querySelector('#capture')?.textContent?.trim() === '★ Capture' && document.querySelector('#lock')?.textContent === 'locked',
      undefined,
      { timeout: 5000 },
    );
    await page.click('#capture');
    await page.waitForFunction(() => document.querySelector('#total-stars')?.textContent === '2', undefined, { timeout: 5000 });
    // Gone without waiting for the server's next push (recommendations are coalesced for 30 s).
    assert.equal(await page.locator(`#recommendations button[data-artist="${pick.id}"]`).count(), 0, `${pick.label} is still offered after its capture`);
    const stars = await page.locator('#star-list li').allTextContents();
    const offered = await page.locator('#recommendations button').allTextContents();
    for (const o of offered) assert.ok(!stars.includes(o.split(' · ')[0]), `${o} is a star and still in For you`);
    await env.screenshot(`play-foryou-390`, page);
    assert.ok(Number(await page.getAttribute('#recommendations', 'data-pushes')) >= Number(pushes));
    // A reload and a new tab bring no push (nothing is captured there): For you is read, never left empty.
    for (const tab of [page, await page.context().newPage()]) {
      if (tab === page) await tab.reload();
      else await tab.goto('/play');
      await tab.waitForFunction(() => document.querySelectorAll('#star-list li').length === 2, undefined, { timeout: 10_000 });
      await tab.waitForSelector('#recommendations button[data-artist]', { timeout: 10_000 });
      const again = await tab.locator('#recommendations button').allTextContents();
      for (const o of again) assert.ok(!stars.includes(o.split(' · ')[0]), `${o} is a star and offered after a reload`);
    }
    await page.context().close();
  });

  it('▶ at the top of the band says so, instead of doing nothing', async () => {
    const page = await listener(1440, 900);
    const top = await page.evaluate(async () =>
      Math.max(...((await (await fetch('/api/stations')).json()) as { stations: Array<{ frequency: number }> }).stations.map((s) => s.frequency)),
    );
    for (let i = 0; i < 80; i++) {
      const frequency = await page.textContent('#frequency');
      if (frequency === `${top.toFixed(1)} MHz` && (await page.textContent('#lock')) === 'locked') break;
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((f) => document.querySelector('#frequency')?.textContent !== f, frequency, { timeout: 3000 }).catch(() => undefined);
    }
    assert.equal(await page.textContent('#frequency'), `${top.toFixed(1)} MHz`, 'reached the top of the band');
    await page.click('#swipe-right');
    await page.waitForSelector('.stage-notice.edge:not([hidden])', { timeout: 2000 });
    assert.match((await page.textContent('.stage-notice')) ?? '', new RegExp(`End of the band: ${top.toFixed(1).replace('.', '\\.')} MHz is the last station`));
    await env.screenshot(`play-end-of-band-1440`, page, { fullPage: false });
    // On a phone the notice stays on screen while it pulses (its pulse once undid its centring: 3 px past the edge).
    await page.setViewportSize({ width: 390, height: 844 });
    await page.click('#swipe-right');
    await page.waitForTimeout(250);
    const box = await page.evaluate(() => {
      const b = document.querySelector('.stage-notice')!.getBoundingClientRect();
      return { left: b.left, right: b.right, innerWidth, scrollWidth: document.documentElement.scrollWidth };
    });
    assert.ok(box.left >= 0 && box.right <= box.innerWidth && box.scrollWidth <= box.innerWidth, JSON.stringify(box));
    await env.screenshot(`play-end-of-band-390`, page, { fullPage: false });
    await page.context().close();
    assert.deepEqual(env.problems, []);
  });
});
