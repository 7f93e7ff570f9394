import assert from 'node:assert/strict';
import { clientFor, nextMessage } from '../support/rooms.js';
import { signIn } from '../support/auth.js';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

const TABS = {
  overview: ['overview', 'live', 'rates', 'processes'],
  rooms: ['rooms'],
  users: ['dia'],
  analytics: ['kpis', 'leaderboards', 'custom-leaderboards', 'reports', 'processors'],
  jobs: ['jobs', 'logs'],
};

/** /ops is tabs under a sticky bar, not one long scroll; the tab survives a reload. */
describe('browser: /ops navigation', function () {
  this.timeout(90_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv();
    const room = await clientFor(env.server.baseUrl, (await signIn(env.server.baseUrl)).accessToken).create('session', {});
    await nextMessage(room, 'welcome');
  });
  after(async () => env?.close());

  it('each tab shows its sections only, the bar stays on top while scrolling, and no tab is a 7,000 px page', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/ops');
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#jobs-body tr[data-job]', { state: 'attached', timeout: 15_000 });
    await page.waitForSelector('#kpis [data-kpi]', { state: 'attached', timeout: 15_000 });
    const heights: Record<string, number> = {};
    for (const [tab, sections] of Object.entries(TABS)) {
      await page.click(`#ops-nav [data-tab="${tab}"]`);
      const shown = await page.$$eval('#dashboard > [id]', (els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => e.id));
      assert.deepEqual(shown.sort(), [...sections].sort(), tab);
      assert.equal(await page.getAttribute(`#ops-nav [data-tab="${tab}"]`, 'aria-selected'), 'true');
      heights[tab] = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
      const top = await page.$eval('#ops-nav', (n) => n.getBoundingClientRect().top);
      assert.ok(top >= -1 && top < 80, `${tab}: the bar scrolled away (top ${top})`);
    }
    assert.ok(Math.max(...Object.values(heights)) <= 3500, JSON.stringify(heights));
    assert.match(page.url(), /#tab=jobs$/);
    await page.reload();
    await page.waitForSelector('#jobs-body tr[data-job]', { timeout: 15_000 });
    assert.equal(await page.getAttribute('#ops-nav [data-tab="jobs"]', 'aria-selected'), 'true');
    assert.deepEqual(env.problems, []);
  });

  for (const width of [390, 1440, 1920]) {
    it(`fits ${width} px without horizontal scroll (overview and rooms)`, async () => {
      const { page } = env;
      await page.setViewportSize({ width, height: width === 390 ? 844 : width === 1440 ? 900 : 1080 });
      for (const tab of ['overview', 'rooms']) {
        await page.click(`#ops-nav [data-tab="${tab}"]`);
        await page.waitForTimeout(tab === 'overview' ? 2500 : 500); // chart and tiles repaint at the new width
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        await env.screenshot(`ops-${tab}-${width}`);
        assert.ok(scrollWidth <= width, `${tab} at ${width}: scrollWidth ${scrollWidth}`);
        // Nor a column cut inside its card: no box of the tab wider than what shows it, and every tab of the bar on screen.
        const clipped = await page.$$eval('#dashboard > [id] *, #ops-tabs', (els) =>
          els
            .filter((e) => (e as HTMLElement).offsetParent !== null && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
            .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className.split(' ').join('.')} ${e.scrollWidth}>${e.clientWidth}`),
        );
        assert.deepEqual(clipped, [], `${tab} at ${width}: boxes that cut what they hold`);
      }
    });
  }
});
