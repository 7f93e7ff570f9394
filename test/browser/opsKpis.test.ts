import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

/** The platform KPI section of /ops, fed by GET /api/admin/metrics over seeded sessions. */
describe('browser: /ops platform KPIs', function () {
  this.timeout(90_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv();
    const user = randomUUID();
    await env.db.sql.query(`INSERT INTO users (id, device_id) VALUES (?, 'kpi-dev')`, [user]);
    // Two 30-minute sessions with 2 and 4 orbs (avg 3.0: meeting the 3.0 goal), one with sensor use.
    for (const [orbs, sensor] of [[2, 0], [4, 4]]) {
      await env.db.sql.query(
        `INSERT INTO sessions (id, user_id, device_id, started_at, last_active, total_orbs_explored, sensor_engagement_count, total_captures) VALUES (?, ?, 'd', now() - interval '2 hours', now() - interval '90 minutes', ?, ?, 1)`,
        [randomUUID(), user, orbs, sensor],
      );
    }
  });

  after(async () => {
    await env?.close();
  });

  it('signs in and shows the goal tiles, brackets and API table without horizontal scroll', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto('/ops');
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.click('#ops-nav [data-tab="analytics"]');
    await page.waitForSelector('#kpis [data-kpi="orbs"]', { timeout: 15_000 });
    assert.equal(await page.textContent('#kpis [data-kpi="orbs"] .value'), '3');
    assert.match((await page.textContent('#kpis [data-kpi="orbs"]')) ?? '', /Meeting goal/);
    assert.equal(await page.textContent('#kpis [data-kpi="sensor"] .value'), '50%');
    assert.match((await page.textContent('#kpis [data-kpi="length"]')) ?? '', /30 min.*\+20\.0% vs 25 min benchmark/);
    // Captures ÷ sessions is a per-session figure (it reached "420%" on a busy day), not a rate.
    assert.equal(await page.textContent('#kpis [data-kpi="capture"] .value'), '1');
    assert.match((await page.textContent('#kpis [data-kpi="capture"]')) ?? '', /Captures per session/);
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    assert.ok(scrollWidth <= innerWidth, `scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`);
    await page.locator('#kpis').screenshot({ path: (await env.screenshot('ops-kpis-full')).replace('ops-kpis-full', 'ops-kpis') });
    assert.deepEqual(env.problems, []);
  });
});
