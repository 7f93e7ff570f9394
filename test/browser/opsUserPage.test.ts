import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { bearer, signIn } from '../support/auth.js';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

describe('browser: /ops user list, one user search and one user page', function () {
  this.timeout(120_000);
  let env: BrowserEnv;
  let userId = '';
  let accessToken = '';

  before(async () => {
    env = await startBrowserEnv({ JOB_CRON_DNA_MIRRORING: 'off', LEADERBOARD_ROLLUP_POLL_MS: '100' });
    const user = await signIn(env.server.baseUrl, undefined, { deviceModel: 'iPhone15,2' });
    // Other listeners, so the list has pages: phones that say their model and one that does not.
    for (let i = 0; i < 52; i++) await signIn(env.server.baseUrl, undefined, i % 2 ? { deviceModel: 'Pixel 8' } : {});
    userId = user.userId;
    accessToken = user.accessToken;
    const put = await fetch(`${env.server.baseUrl}/api/mediaid/me`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...bearer(user.accessToken) },
      body: JSON.stringify({
        displayName: 'Dami Tester',
        email: 'dmstest49@gmail.com',
        interests: ['Vinyl'],
        genrePreferences: ['Afrobeats', 'Jazz'],
        contentFlags: { explicit: false },
        locationCode: 'NG-LA',
        privacy: { shareLocation: true },
      }),
    });
    assert.equal(put.status, 200);
    for (let i = 0; i < 3; i++) {
      await env.db.sql.query(
        `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, 'player.like', 'player', ?::uuid, now() - interval '1 hour', now(), ?::jsonb, 'http')`,
        [randomUUID(), userId, JSON.stringify({ trackId: `t${i}`, artistId: 'artist_wizkid' })],
      );
    }
    await env.db.sql.query(
      `INSERT INTO sessions (id, user_id, device_id, device_model, app_version, started_at, last_active, current_frequency, total_swipes, total_captures, total_interactions)
       SELECT ?, id, device_id, 'iPhone17,3', '1.2', now() - interval '2 hours', now() - interval '1 hour', 101.3, 4, 1, 12 FROM users WHERE id = ?::uuid`,
      [randomUUID(), userId],
    );
    // A purchase two hours ago (claimed: this server has no payment webhook), for the Treasury card once the rollups count it.
    await env.db.sql.query(
      `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, 'treasury.purchase_completed', 'treasury', ?::uuid, now() - interval '2 hours', now(), '{"amountCents": 2500, "currency": "usd", "artistId": "artist_wizkid"}', 'http')`,
      [randomUUID(), userId],
    );
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const [row] = await env.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM coliseum_metrics WHERE entity_type = 'user_spent'`);
      if (row!.n > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(async () => {
    await env?.close();
  });

  const signInToUsers = async (): Promise<void> => {
    const { page } = env;
    await page.goto('/ops');
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#dashboard:not(.hidden)');
    await page.click('#ops-nav [data-tab="users"]');
  };

  it('finds a user by display name and opens one page: card, actions, sessions, passport timeline, DNA', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1440, height: 900 });
    await signInToUsers();
    await page.fill('#dia-query', 'dami t');
    await page.click('#dia-search button[type=submit]');
    await page.waitForSelector('#dia-user:not(.hidden) #dna-domains');
    await page.waitForSelector('#dia-timeline tr[data-event="player.like"]');
    assert.equal(await page.locator('#dia-results tr').count(), 1);
    assert.match((await page.textContent('#dia-results')) ?? '', /Dami Tester[\s\S]*by display name/);
    assert.match((await page.textContent('#dia-card .name')) ?? '', /^Dami Tester$/);
    assert.match((await page.textContent('#dia-card')) ?? '', /dmstest49@gmail\.com[\s\S]*4 passport entries · 1 session · 0 stars/);
    assert.equal(await page.locator('#dia-timeline tr[data-event="player.like"]').count(), 3);
    // A payload reads as a one-line summary that opens into the indented JSON (not JSON wrapped per letter).
    const payload = page.locator('#dia-timeline tr[data-event="player.like"] .payload details').first();
    assert.match((await payload.locator('summary').textContent()) ?? '', /^trackId: t\d · artistId: artist_wizkid$/);
    assert.equal(await payload.locator('pre').isVisible(), false);
    await payload.locator('summary').click();
    assert.match((await payload.locator('pre').textContent()) ?? '', /\{\n {2}"trackId": "t\d",\n {2}"artistId": "artist_wizkid"\n\}/);
    const rowHeight = await page
      .locator('#dia-timeline tr[data-event="player.like"]')
      .nth(1)
      .evaluate((r) => r.getBoundingClientRect().height);
    assert.ok(rowHeight < 40, `a closed payload row is one line (${rowHeight} px)`);
    assert.match((await page.locator('#dia-timeline td').first().textContent()) ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/, 'one date format');
    assert.match((await page.textContent('#dia-sessions')) ?? '', /iPhone17,3 1\.2[\s\S]*101\.3[\s\S]*4 \/ 0 \/ 1/);
    // The helix is drawn (SVG): one rung per base of the MediaID (A Vinyl, T Afrobeats and Jazz, G explicit, C NG-LA).
    assert.deepEqual(await page.locator('#dna-user svg.helix line[data-base]').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-base')).sort()), [
      'A',
      'C',
      'G',
      'T',
      'T',
    ]);
    assert.equal(await page.locator('#dna-user svg.helix path.strand').count(), 2);
    assert.match((await page.textContent('#dna-user')) ?? '', /5 bases · 0 signals mirrored/);
    assert.match((await page.textContent('#dna-evolution')) ?? '', /No snapshots yet/);
    assert.match((await page.textContent('#dia-treasury tr[data-side="spent"]')) ?? '', /Spent\s*\$25\.00/);
    assert.match((await page.textContent('#dia-treasury tr[data-side="earned"]')) ?? '', /Earned\s*—/);
    // Live activity: an event arriving now shows up on the open page (the feed polls every 3 s).
    await page.waitForFunction(() => document.querySelector('#dia-activity-status')?.textContent?.startsWith('live'));
    const liked = await fetch(`${env.server.baseUrl}/api/passport/log`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(accessToken) },
      body: JSON.stringify({ eventType: 'player.like', payload: { trackId: 'live-1' } }),
    });
    assert.equal(liked.status, 202);
    await page.waitForSelector('#dia-activity tr.fresh[data-event="player.like"]', { timeout: 10_000 });
    assert.ok(page.url().endsWith(`#tab=users&user=${userId}`), page.url());

    await page.click('#dna-recompute');
    await page.waitForFunction(() => document.querySelector('#dia-note')?.textContent?.includes('recomputed from 5 passport events'));
    assert.match((await page.textContent('#dna-user')) ?? '', /5 signals mirrored/);
    await page.waitForSelector('#dna-history tr[data-trigger="recompute"]');
    assert.ok(Number(await page.locator('#dna-user svg.helix').getAttribute('data-turns')) > 1.5, 'mirrored signals twist the helix');
    // ...and add bases: the events' rungs after the profile's five.
    assert.match((await page.textContent('#dna-user')) ?? '', /\d+ bases \(5 from the profile, [1-9]\d* from events\)/);
    assert.ok(Number(await page.locator('#dna-user svg.helix').getAttribute('data-rungs')) > 5, 'the events drew rungs');
    assert.match((await page.textContent('#toasts')) ?? '', /DNA recomputed from 5 passport events/);
    for (const width of [1440, 1920]) {
      await page.setViewportSize({ width, height: width === 1920 ? 1080 : 900 });
      await env.screenshot(`ops-user-page-${width}`, page);
      // The toast sits over the title bar: it covers none of the user page's sections, wherever they scroll.
      const overlaps = await page.evaluate(() => {
        const t = document.querySelector('#toasts .toast')!.getBoundingClientRect();
        return Array.from(document.querySelectorAll('#dia-constellation, #dna-user, #dna-evolution, #dia-money, #dia-sessions, table, #ops-nav, h2'))
          .map((e) => [e.tagName + (e.id ? `#${e.id}` : ''), e.getBoundingClientRect()] as const)
          .filter(([, r]) => r.width > 0 && t.left < r.right && r.left < t.right && t.top < r.bottom && r.top < t.bottom)
          .map(([name]) => name);
      });
      assert.deepEqual(overlaps, [], `the toast covers ${overlaps.join(', ')} at ${width} px`);
    }
    assert.deepEqual(env.problems, []);
  });

  it('opens the same page from its link after a reload, and explains a short partial query on a phone', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/ops#tab=users&user=${userId}`);
    await page.reload(); // a hash-only navigation keeps the page: reload it so the link alone opens the user
    await page.waitForSelector('#dashboard:not(.hidden)');
    assert.equal(await page.textContent('#dia-note'), '');
    await page.waitForSelector('#dia-user:not(.hidden) #dna-domains');
    assert.match((await page.textContent('#dia-card .name')) ?? '', /^Dami Tester$/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 0, `the user page fits 390 px (overflow ${overflow} px)`);
    await env.screenshot('ops-user-page-390', page);
    await page.fill('#dia-query', 'dam');
    await page.click('#dia-search button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#dia-note')?.textContent?.includes('needs 4+ characters'));
    assert.equal(await page.locator('#dia-results tr').count(), 0);
    assert.deepEqual(env.problems, []);
  });

  it('lists every user, newest first, 50 a page with "Load more"; "iPhone" finds the iPhone by its model', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/ops#tab=users');
    await page.reload();
    await page.waitForSelector('#dia-results tr[data-user-row]');
    assert.equal(await page.locator('#dia-results tr').count(), 50);
    assert.match((await page.textContent('#dia-list-caption')) ?? '', /All users, most recently seen first/);
    await page.click('#dia-list-more');
    await page.waitForFunction(() => document.querySelectorAll('#dia-results tr').length === 53);
    assert.equal(await page.locator('#dia-list-more').isVisible(), false, 'the last page hides "Load more"');
    assert.equal(await page.locator('#dia-results tr', { hasText: 'Pixel 8' }).count(), 26);
    // Listeners who gave no name are told apart: each by the start of its id, with when it first appeared under it.
    const names = await page.locator('#dia-results tr button.link').allTextContents();
    assert.equal(
      new Set(names).size,
      53,
      `names repeat: ${names
        .filter((n, i) => names.indexOf(n) !== i)
        .slice(0, 3)
        .join(', ')}`,
    );
    assert.match(
      (await page.locator('#dia-results tr', { hasText: 'Pixel 8' }).first().textContent()) ?? '',
      /Anonymous [0-9a-f]{8}first seen \d{4}-\d\d-\d\d/,
    );
    await env.screenshot('ops-user-list-1440', page);
    await page.fill('#dia-query', 'iPhone');
    await page.click('#dia-search button[type=submit]');
    await page.waitForSelector('#dia-user:not(.hidden) #dna-domains');
    assert.match((await page.textContent('#dia-results')) ?? '', /Dami Tester[\s\S]*iPhone15,2[\s\S]*by device model/);
    assert.match((await page.textContent('#dia-card .name')) ?? '', /^Dami Tester$/);
    assert.match((await page.textContent('#dia-card')) ?? '', /iPhone15,2/);
    for (const width of [390, 1920]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 1080 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `the users tab fits ${width} px (overflow ${overflow} px)`);
    }
    assert.deepEqual(env.problems, []);
  });
});
