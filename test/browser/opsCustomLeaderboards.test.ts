import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { joinSession, leaveQuietly } from '../support/session.js';
import { nextMessage } from '../support/rooms.js';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

/** An operator creates a line-up leaderboard in /ops, edits it and deletes it (seed 004 "leaderboard management"). */
describe('browser: /ops custom leaderboards (create, edit, delete)', function () {
  this.timeout(120_000);
  let env: BrowserEnv;
  let artist = { entityId: '', name: '' };

  before(async () => {
    env = await startBrowserEnv();
    // One live station visit, so the line-up has one artist with a score.
    const { room } = await joinSession(env.server.baseUrl);
    const locked = nextMessage(room, 'locked');
    room.send('tune', { frequency: 105.5 });
    await locked;
    await leaveQuietly(room);
    for (let i = 0; i < 50 && !artist.entityId; i++) {
      const res = await fetch(`${env.server.baseUrl}/api/leaderboards/artists.visits?window=day&limit=1`);
      const body = (await res.json()) as { entries?: Array<{ entityId: string; name: string | null }> };
      if (body.entries?.[0]) artist = { entityId: body.entries[0].entityId, name: body.entries[0].name ?? body.entries[0].entityId };
      else await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(artist.entityId, 'the visit reached artists.visits');
  });
  after(async () => env?.close());

  const board = (page: Page) => page.locator('#custom-leaderboards [data-board="custom.lagos-fest"]');

  it('creates a line-up board, shows it ranked with names, edits its title and deletes it after confirming', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/ops#tab=analytics');
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#cb-base option[value="artists.visits"]', { state: 'attached' });
    await page.fill('#cb-title', 'Lagos Fest');
    await page.selectOption('#cb-base', 'artists.visits');
    await page.fill('#cb-lineup', `artist_nobody_here, ${artist.entityId}`);
    await page.click('#cb-submit');
    await board(page).waitFor();
    assert.match((await page.textContent('#toasts')) ?? '', /Leaderboard “Lagos Fest” created as custom\.lagos-fest/);
    const rows = await board(page).locator('tbody tr').allTextContents();
    assert.equal(rows.length, 2);
    assert.match(rows[0], new RegExp(`^1${artist.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[1-9]`), 'the artist with a visit first, by name');
    assert.match(rows[1], /^2artist_nobody_here0$/);
    assert.match((await board(page).textContent()) ?? '', /line-up of 2 · artists\.visits · day/);

    // The same title again is refused in words, not with API text.
    await page.fill('#cb-title', 'Lagos Fest');
    await page.click('#cb-submit');
    await page.waitForSelector('#toasts .toast.error');
    assert.match((await page.textContent('#toasts .toast.error')) ?? '', /exists already: choose another title, or edit that one/);
    await page.click('#toasts .toast.error button');

    await board(page).locator('[data-action="edit"]').click();
    assert.equal(await page.inputValue('#cb-lineup'), `artist_nobody_here, ${artist.entityId}`);
    await page.fill('#cb-title', 'Lagos Fest 2026');
    await page.click('#cb-submit');
    await page.waitForFunction(() =>
      /Lagos Fest 2026/.test(document.querySelector('#custom-leaderboards [data-board="custom.lagos-fest"] .lb-head b')?.textContent ?? ''),
    );
    for (const width of [390, 1440, 1920]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : width === 1920 ? 1080 : 900 });
      await page.locator('#custom-leaderboards').screenshot({ path: `${process.cwd()}/artifacts/screenshots/ops-custom-leaderboards-${width}.png` });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `no horizontal scroll at ${width} px (${overflow} px)`);
    }

    await board(page).locator('[data-action="delete"]').click();
    await page.click('dialog#confirm button[data-confirm="yes"]');
    await board(page).waitFor({ state: 'detached' });
    assert.match((await page.textContent('#toasts')) ?? '', /Leaderboard “Lagos Fest 2026” deleted/);
    assert.deepEqual(
      env.problems.filter((p) => !/^409 POST .*custom-leaderboards$/.test(p)),
      [],
      'only the refused duplicate',
    );
  });
});
