import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Room } from '@colyseus/sdk';
import { clientFor, nextMessage } from '../support/rooms.js';
import { signIn } from '../support/auth.js';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

/** The page never scrolls sideways: everything fits the viewport (wide tables scroll in their own box). */
async function noSideScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wide: Array.from(document.body.querySelectorAll('*'))
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.MuiPaper-root, .MuiTableContainer-root, #ops-tabs, .monitor-nav'))
      .slice(0, 3)
      .map((e) => `${e.tagName}.${e.className}`),
  }));
  assert.ok(scrollWidth <= innerWidth, `scrollWidth ${scrollWidth} > ${innerWidth}: ${wide.join(', ')}`);
}

/** /monitor in the console's look: sign-in page without a token, the console's header and colours after it. */
describe('browser: /monitor', function () {
  this.timeout(90_000);
  let env: BrowserEnv;
  let room: Room | undefined;

  before(async () => {
    env = await startBrowserEnv();
    const device = await signIn(env.server.baseUrl, undefined, { deviceModel: 'iPhone17,3' });
    room = await clientFor(env.server.baseUrl, device.accessToken).create('session', { deviceModel: 'iPhone17,3' });
    await nextMessage(room, 'welcome');
  });

  after(async () => {
    await room?.leave(true).catch(() => undefined);
    await env?.close();
  });

  it('opened directly without the token: the console sign-in page (401), at 390 px without side scroll', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 390, height: 844 });
    const response = await page.goto('/monitor');
    assert.equal(response?.status(), 401);
    await page.waitForSelector('#login:not(.hidden)');
    assert.equal(await page.title(), 'DeepStream · Monitor');
    assert.equal(await page.textContent('#login h2'), 'Sign in to open the monitor');
    assert.equal(await page.textContent('.topbar h1'), 'DeepStream Ops');
    assert.equal(await page.getAttribute('link[rel="icon"]', 'href'), '/favicon.svg');
    assert.equal(await page.isVisible('#dashboard'), false);
    await noSideScroll(page);
    await env.screenshot('monitor-signin-390');

    env.problems.length = 0; // the 401 of the page itself was the point
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('body.ds-monitor .monitor-topbar', { timeout: 15_000 });
    await page.waitForFunction(() => document.body.innerText.includes('session'), undefined, { timeout: 15_000 });
    assert.equal(new URL(page.url()).pathname, '/monitor');
  });

  for (const width of [390, 1440, 1920]) {
    it(`signed in: the monitor under the console's header, colours and fonts at ${width} px, no side scroll`, async () => {
      const { page } = env;
      await page.setViewportSize({ width, height: 900 });
      await page.goto('/monitor');
      await page.waitForFunction(() => document.body.innerText.includes('session'), undefined, { timeout: 15_000 });
      const look = await page.evaluate(() => {
        const body = getComputedStyle(document.body);
        return {
          bg: body.backgroundColor,
          font: body.fontFamily,
          title: document.title,
          current: document.querySelector('.monitor-nav [aria-current="page"]')?.textContent,
        };
      });
      assert.equal(look.bg, 'rgb(11, 10, 20)', 'the console background (--bg)');
      assert.match(look.font, /system-ui/);
      assert.equal(look.title, 'DeepStream · Monitor');
      assert.equal(look.current, 'Monitor');
      await noSideScroll(page);
      await env.screenshot(`monitor-${width}`);
      assert.deepEqual(env.problems, []);
    });
  }

  it('at 390 px the rooms grid scrolls inside its card to the last column, and a room opens without side scroll', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/monitor');
    await page.waitForSelector('.MuiDataGrid-root');
    const card = await page.evaluate(() => {
      const box = document.querySelector('.MuiDataGrid-root')!.closest('.MuiPaper-root')!;
      box.scrollLeft = 10_000;
      const inspect = Array.from(document.querySelectorAll('button'))
        .find((b) => /inspect/i.test(b.textContent ?? ''))!
        .getBoundingClientRect();
      return { scrolled: box.scrollLeft, right: inspect.right, width: innerWidth };
    });
    assert.ok(card.scrolled > 0, 'the grid is wider than the phone: its card scrolls');
    assert.ok(card.right <= card.width, `the row's Inspect button is reachable (right edge ${card.right})`);
    await noSideScroll(page);
    await page.click('button:has-text("Inspect")');
    await page.waitForFunction(() => /state size/i.test(document.body.innerText), undefined, { timeout: 10_000 });
    await noSideScroll(page);
    await env.screenshot('monitor-room-390');
  });

  it('opened in a new tab from a signed-in console, the monitor needs no second sign-in', async () => {
    const { page } = env;
    await page.context().clearCookies(); // no cookie left from the tests before: the console must get it itself
    await page.goto('/ops');
    await page.waitForSelector('#dashboard:not(.hidden)');
    await page.waitForTimeout(300); // the console asks for the monitor's cookie as it shows
    const tab = await page.context().newPage();
    const res = await tab.goto('/monitor');
    assert.equal(res?.status(), 200);
    await tab.waitForSelector('body.ds-monitor', { timeout: 10_000 });
    await tab.close();
  });

  it('is reached from the /ops navigation, and leads back to it', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/ops');
    await page.waitForSelector('#dashboard:not(.hidden)');
    await page.click('#open-monitor');
    await page.waitForURL(/\/monitor$/);
    await page.waitForSelector('body.ds-monitor');
    await page.click('.monitor-nav a[href="/ops#tab=rooms"]');
    await page.waitForSelector('#rooms:not(.off-tab)');
    assert.deepEqual(env.problems, []);
  });
});
