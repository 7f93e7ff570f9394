import assert from 'node:assert/strict';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

describe('browser: /ops scheduled jobs section', function () {
  this.timeout(90_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv();
  });
  after(async () => {
    await env?.close();
  });

  it('lists the jobs with schedules and runs one with "Run now"', async () => {
    const { page } = env;
    await page.goto('/ops');
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.click('#ops-nav [data-tab="jobs"]');
    await page.waitForSelector('#jobs-body tr[data-job="gravity_edges"]');
    // Schedules in words; the exact pattern stays in the cell's title.
    const cell = page.locator('#jobs-body tr[data-job="session_aggregation"] td:nth-child(2)');
    assert.equal(await cell.textContent(), 'every 5 minutes');
    assert.equal(await cell.getAttribute('title'), '*/5 * * * *');
    assert.equal(await page.textContent('#jobs-body tr[data-job="influence_graph"] td:nth-child(2)'), 'every day at 03:00 UTC');
    await page.click('#jobs-body tr[data-job="cleanup"] button');
    await page.waitForFunction(() => document.querySelector('#jobs-note')?.textContent?.includes('cleanup started'));
    await page.waitForFunction(() => document.querySelector('#jobs-body tr[data-job="cleanup"] td:nth-child(4)')?.textContent === 'succeeded', undefined, {
      timeout: 15_000,
    });
    await page.locator('#jobs').scrollIntoViewIfNeeded();
    await env.screenshot('ops-4-jobs');
    // On a phone each job is a card of named figures: nothing of the table past the screen's edge, its button in reach.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const cut = await page.$$eval('#jobs-body td', (tds) =>
      tds.filter((td) => td.getBoundingClientRect().right > innerWidth + 0.5).map((td) => `${td.closest('tr')?.dataset.job}: ${td.textContent}`),
    );
    assert.deepEqual(cut, [], 'job cells past the right edge of a phone');
    assert.match((await page.textContent('#jobs-body tr[data-job="cleanup"] td:nth-child(5)')) ?? '', /\d/);
    await page.locator('#jobs-body tr[data-job="cleanup"]').scrollIntoViewIfNeeded();
    await env.screenshot('ops-jobs-390', page, { fullPage: false });
  });
});
