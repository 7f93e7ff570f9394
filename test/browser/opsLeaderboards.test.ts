import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { joinSession, leaveQuietly } from '../support/session.js';
import { nextMessage } from '../support/rooms.js';
import { ADMIN_TOKEN, SCREENSHOTS, startBrowserEnv, type BrowserEnv } from './harness.js';

/**
 * An operator sees the leaderboards with their top rows and resets one (confirmed), and sees the
 * room and HTTP counters as per-second rates. The dashboard fits 390 px and 1440 px with no horizontal scroll.
 * Screenshots: artifacts/screenshots/ops-dashboard-<px>.png (full page), ops-leaderboards-<px>.png, ops-rates-<px>.png.
 */
describe('browser: /ops leaderboards (view, reset) and traffic rates', function () {
  this.timeout(120_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv();
    // Live traffic: a session tunes to a station (a station visit on artists.visits) and sends one unknown message.
    const { room } = await joinSession(env.server.baseUrl);
    const locked = nextMessage(room, 'locked');
    room.send('tune', { frequency: 105.5 });
    await locked;
    const error = nextMessage(room, 'error');
    room.send('not-a-message-type', {});
    await error;
    await leaveQuietly(room);
  });
  after(async () => env?.close());

  async function signIn(page: Page): Promise<void> {
    await page.goto('/ops');
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#dashboard:not(.hidden)');
    await page.click('#ops-nav [data-tab="analytics"]');
  }

  const visitsRows = (page: Page) => page.$$eval('[data-board="artists.visits"] tbody tr', (rows) => rows.map((r) => r.textContent ?? ''));

  it('shows each board with its top rows and the traffic rates; a confirmed reset empties the board and is listed', async () => {
    const { page } = env;
    await signIn(page);
    await page.waitForFunction(
      () => /\d/.test(document.querySelector('[data-board="artists.visits"] tbody tr td.num:last-child')?.textContent ?? ''),
      undefined,
      { timeout: 20_000 },
    );
    assert.ok((await visitsRows(page)).length >= 1);
    assert.equal(await page.$$eval('[data-board="artists.trending"] button[data-action="reset"]', (b) => b.length), 0, 'a derived board has no reset button');

    // Rates: the tune and the unknown message, the error reply, the join and leave, the HTTP polls of this page.
    await page.waitForFunction(
      () =>
        /tune/.test(document.querySelector('#rates-messages')?.textContent ?? '') &&
        /UNKNOWN_MESSAGE/.test(document.querySelector('#rates-errors')?.textContent ?? ''),
      undefined,
      { timeout: 15_000 },
    );
    assert.match((await page.textContent('#rates-connections')) ?? '', /join[\s\S]*|leave/);
    // This page's own polls show up once a sample has seen them (the server samples once a second).
    await page.waitForFunction(() => /GET \/api\/ops\/overview\s*2xx/.test(document.querySelector('#rates-http')?.textContent ?? ''), undefined, {
      timeout: 15_000,
    });
    assert.match((await page.textContent('#rates-window')) ?? '', /last \d+ s/);

    await (await page.$('#leaderboards'))!.screenshot({ path: `${SCREENSHOTS}/ops-leaderboards-before-reset.png` });

    // A cancelled confirmation changes nothing; a confirmed one resets.
    await page.click('[data-board="artists.visits"] button[data-action="reset"]');
    await page.click('dialog#confirm button[data-confirm="no"]');
    await page.waitForTimeout(500);
    assert.ok(!(await visitsRows(page)).some((t) => /no scores/.test(t)), 'dismissed: still there');
    await page.click('[data-board="artists.visits"] button[data-action="reset"]');
    const asked = (await page.textContent('dialog#confirm')) ?? '';
    await page.click('dialog#confirm button[data-confirm="yes"]');
    await page.waitForFunction(() => /artists\.visits reset: \d+ scores removed/.test(document.querySelector('#lb-status')?.textContent ?? ''), undefined, {
      timeout: 10_000,
    });
    assert.match(asked, /Reset artists\.visits\?/);
    await page.waitForFunction(() => /no scores in this window/.test(document.querySelector('[data-board="artists.visits"]')?.textContent ?? ''), undefined, {
      timeout: 5000,
    });
    assert.deepEqual(await visitsRows(page), ['no scores in this window']);
    assert.match((await page.textContent('#lb-resets')) ?? '', /artists\.visits · \d+ scores removed/);
    for (const window of ['week', 'all']) {
      await page.selectOption('#lb-window', window);
      await page.waitForFunction(() => /no scores in this window/.test(document.querySelector('[data-board="artists.visits"]')?.textContent ?? ''), undefined, {
        timeout: 5000,
      });
    }
    assert.deepEqual(env.problems, [], env.problems.join('\n'));
  });

  for (const width of [390, 1440]) {
    it(`the dashboard with its leaderboards and rates fits ${width} px with no horizontal scroll`, async () => {
      const context = await env.browser.newContext({ viewport: { width, height: width === 390 ? 844 : 900 }, baseURL: env.server.baseUrl });
      const page = await context.newPage();
      try {
        await signIn(page);
        await page.waitForFunction(
          () => !!document.querySelector('#rates-http td') && !!document.querySelector('[data-board="artists.visits"] tbody tr'),
          undefined,
          { timeout: 15_000 },
        );
        await page.waitForTimeout(500);
        const m = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth,
          lb: document.querySelector('#leaderboards')!.getBoundingClientRect().right,
          rates: document.querySelector('#rates')!.getBoundingClientRect().right,
          // For the failure message: the innermost elements reaching past the viewport.
          wide: Array.from(document.querySelectorAll('#dashboard *'))
            .filter(
              (e) =>
                e.getBoundingClientRect().right > innerWidth + 0.5 && !Array.from(e.children).some((c) => c.getBoundingClientRect().right > innerWidth + 0.5),
            )
            .slice(0, 5)
            .map((e) => `${e.tagName}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
        }));
        await env.screenshot(`ops-dashboard-${width}`, page);
        await (await page.$('#leaderboards'))!.screenshot({ path: `${SCREENSHOTS}/ops-leaderboards-${width}.png` });
        await page.click('#ops-nav [data-tab="overview"]');
        await (await page.$('#rates'))!.screenshot({ path: `${SCREENSHOTS}/ops-rates-${width}.png` });
        assert.ok(m.scrollWidth <= m.innerWidth, `/ops at ${width}: scrollWidth ${m.scrollWidth} > ${m.innerWidth}; widest: ${m.wide.join(', ')}`);
        assert.ok(m.lb <= m.innerWidth && m.rates <= m.innerWidth, JSON.stringify(m));
      } finally {
        await context.close();
      }
    });
  }
});
