import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { signIn } from '../support/auth.js';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

/**
 * Seed 004's tournament and brand-campaign reports as an operator makes them (the /ops Reports form) and as
 * an artist manager or a brand reads them (the report page at 390 and 1440 px).
 */
describe('browser: tournament and brand-campaign reports (/ops form → /coliseum/reports/:id)', function () {
  this.timeout(120_000);
  let env: BrowserEnv;
  const pages = new Map<string, string>();

  before(async () => {
    env = await startBrowserEnv({ JOB_CRON_DNA_MIRRORING: 'off' });
    const base = env.server.baseUrl;
    const [a, b] = [await signIn(base), await signIn(base)];
    const log = (user: string, type: string, category: string, payload: object) =>
      env.db.sql.query(
        `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, ?, ?, ?::uuid, now() - interval '2 hours', now(), ?::jsonb, 'http')`,
        [randomUUID(), type, category, user, JSON.stringify(payload)],
      );
    for (let i = 0; i < 6; i++) await log(a.userId, 'player.track_played', 'player', { trackId: `t${i}`, city: 'Ìbàdàn', campaignId: 'cmp_harmattan' });
    for (let i = 0; i < 4; i++) await log(b.userId, 'player.track_played', 'player', { trackId: `u${i}`, city: 'Port Harcourt' });
    await log(a.userId, 'treasury.purchase_completed', 'treasury', { amountCents: 4200, currency: 'NGN', campaignId: 'cmp_harmattan' });
    // Wizkid was visited, never played: the artist the form suggests, ranked on the board that has him.
    // Through ingest, as a session writes them: the live boards count them as well as the rollups.
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${base}/api/passport/log`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          eventId: randomUUID(),
          eventType: 'station.visited',
          userId: b.userId,
          occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
          payload: { artistId: 'artist_wizkid', frequency: 99.9, method: 'swipe' },
        }),
      });
      assert.equal(res.status, 202, await res.text());
    }
    for (let i = 0; i < 100; i++) {
      const [row] = await env.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM coliseum_metrics WHERE entity_type = 'city' AND period = 'day'`);
      const [visits] = await env.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM coliseum_metrics WHERE entity_type = 'artist' AND period = 'day'`);
      if (row.n >= 2 && visits.n >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(async () => {
    await env?.close();
  });

  it('the /ops Reports form generates a tournament and a brand campaign with a budget; the history lists both', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/ops');
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#dashboard:not(.hidden)');
    await page.click('#ops-nav [data-tab="analytics"]');
    const form = page.locator('#reports form.report-form');
    await form.locator('select[name=type]').selectOption('tournament');
    assert.match((await form.locator('input[name=entityId]').getAttribute('placeholder')) ?? '', /vs/);
    assert.equal(await form.locator('.budget').isHidden(), true, 'no budget for a tournament');
    await form.locator('input[name=entityId]').fill('Ìbàdàn vs Port Harcourt');
    const [tournamentTab] = await Promise.all([page.context().waitForEvent('page'), form.locator('button[type=submit]').click()]);
    pages.set('tournament', tournamentTab.url());
    await tournamentTab.close();
    await form.locator('select[name=type]').selectOption('brand_campaign');
    assert.equal(await form.locator('.budget').isVisible(), true, 'a brand campaign takes a budget');
    await form.locator('input[name=entityId]').fill('cmp_harmattan');
    await form.locator('input[name=budget]').fill('30.00');
    await form.locator('input[name=currency]').fill('ngn');
    const [campaignTab] = await Promise.all([page.context().waitForEvent('page'), form.locator('button[type=submit]').click()]);
    pages.set('campaign', campaignTab.url());
    await campaignTab.close();
    await page.waitForFunction(() => document.querySelectorAll('#reports-body tr[data-report]').length === 2);
    const subjects = await page.$$eval('#reports-body tr[data-report] td:nth-child(2)', (tds) => tds.map((t) => t.textContent));
    assert.deepEqual(subjects, ['cmp_harmattan brand campaign', 'Ìbàdàn vs Port Harcourt tournament']);
    await env.screenshot('ops-reports-form-1440');
    await form.locator('select[name=type]').selectOption('tournament');
    await form.locator('input[name=entityId]').fill('Ìbàdàn');
    await form.locator('button[type=submit]').click();
    await page.waitForSelector('#toasts .error');
    assert.match((await page.textContent('#toasts')) ?? '', /vs/, 'the refusal says how to name a tournament');
  });

  it("the form's hint names an artist with data; that artist typed by name makes a report with its visits, ranked on the board that has them", async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/ops');
    if (await page.isVisible('#token')) {
      await page.fill('#token', ADMIN_TOKEN);
      await page.click('#login-form button[type=submit]');
    }
    await page.waitForSelector('#dashboard:not(.hidden)');
    await page.click('#ops-nav [data-tab="analytics"]');
    const form = page.locator('#reports form.report-form');
    await form.locator('select[name=type]').selectOption('artist');
    await page.waitForFunction(() => /e\.g\. artist_wizkid$/.test(document.querySelector<HTMLInputElement>('#reports input[name=entityId]')!.placeholder));
    assert.equal(await page.locator('#report-subjects option[value="artist_wizkid"]').textContent(), 'Wizkid');
    await form.locator('input[name=entityId]').fill('Wizkid');
    const [tab] = await Promise.all([page.context().waitForEvent('page'), form.locator('button[type=submit]').click()]);
    await tab.waitForSelector('#leaderboard');
    const tiles = await tab.$$eval('#metrics .tile', (ms) => ms.map((m) => m.textContent ?? ''));
    assert.ok(
      tiles.some((t) => /^Station visits3/.test(t)),
      `visits in the report: ${tiles.join(' | ')}`,
    );
    assert.match((await tab.textContent('#leaderboard')) ?? '', /#1[\s\S]*Top Artists by Station Visits · of 1 · score 3/);
    await tab.close();
  });

  for (const width of [390, 1440]) {
    it(`a tournament shows its standings and a campaign its funnel and return, without side scroll, at ${width} px`, async () => {
      const { page } = env;
      await page.setViewportSize({ width, height: 900 });
      await page.goto(pages.get('tournament')!);
      await page.waitForSelector('#standings tbody tr');
      const rows = await page.$$eval('#standings tbody tr', (trs) =>
        trs.map((tr) => [tr.querySelector('.rank')?.textContent, tr.querySelector('.city')?.textContent, tr.querySelector('.score')?.textContent]),
      );
      assert.deepEqual(rows, [
        ['#1', 'Ìbàdàn', '6'],
        ['#2', 'Port Harcourt', '4'],
      ]);
      // Whole names: "Port Harcourt" breaks between its words at most, never inside one.
      const lines = await page.$eval('#standings tbody tr:nth-child(2) .city', (c) => {
        const cs = getComputedStyle(c);
        return Math.round(c.getBoundingClientRect().height / (parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.25));
      });
      assert.ok(lines <= 2, `Port Harcourt on ${lines} lines`);
      assert.match((await page.textContent('#standings')) ?? '', /Ìbàdàn leads by 2/);
      assert.equal(await page.$('#leaderboard'), null, 'the standings take the rank card place');
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no side scroll');
      await env.screenshot(`report-tournament-${width}`);
      await page.goto(pages.get('campaign')!);
      await page.waitForSelector('#campaign tbody tr');
      const text = (await page.textContent('#campaign')) ?? '';
      assert.match(text, /Listeners reached1/);
      assert.match(text, /Return on budget40\.0%/, '42.00 NGN on a 30.00 NGN budget');
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no side scroll');
      await env.screenshot(`report-campaign-${width}`);
    });
  }
});
