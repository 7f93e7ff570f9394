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
    await page.waitForSelector('#jobs-body tr[data-job="gravity_edges"]');
    assert.equal(await page.textContent('#jobs-body tr[data-job="session_aggregation"] td:nth-child(2)'), '*/5 * * * *');
    await page.click('#jobs-body tr[data-job="cleanup"] button');
    await page.waitForFunction(() => document.querySelector('#jobs-note')?.textContent?.includes('cleanup started'));
    await page.waitForFunction(() => document.querySelector('#jobs-body tr[data-job="cleanup"] td:nth-child(4)')?.textContent === 'succeeded', undefined, { timeout: 15_000 });
    await page.locator('#jobs').scrollIntoViewIfNeeded();
    await env.screenshot('ops-4-jobs');
  });
});
