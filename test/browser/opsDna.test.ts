import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { bearer, signIn } from '../support/auth.js';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

describe('browser: /ops MediaID DNA (DIA)', function () {
  this.timeout(120_000);
  let env: BrowserEnv;
  let userId = '';

  before(async () => {
    env = await startBrowserEnv({ JOB_CRON_DNA_MIRRORING: 'off' });
    const user = await signIn(env.server.baseUrl);
    userId = user.userId;
    const put = await fetch(`${env.server.baseUrl}/api/mediaid/me`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...bearer(user.accessToken) },
      body: JSON.stringify({ displayName: 'Dami Tester', email: 'dmstest49@gmail.com', interests: ['Vinyl'], genrePreferences: ['Afrobeats', 'Jazz'], contentFlags: { explicit: false }, locationCode: 'NG-LA', privacy: { shareLocation: true } }),
    });
    assert.equal(put.status, 200);
    for (let i = 0; i < 3; i++) {
      await env.db.sql.query(
        `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, 'player.like', 'player', ?::uuid, now() - interval '1 hour', now(), ?::jsonb, 'http')`,
        [randomUUID(), userId, JSON.stringify({ trackId: `t${i}`, artistId: 'artist_wizkid' })],
      );
    }
  });

  after(async () => {
    await env?.close();
  });

  it('finds the seed\'s test user by email, shows the ATGC bases and domains, recomputes the DNA from the passport', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/ops');
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#dashboard:not(.hidden)');
    await page.click('#ops-nav [data-tab="users"]');
    await page.fill('#dna-query', 'dms');
    await page.click('#dna-search button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#dna-note')?.textContent?.includes('at least 4 characters'));
    await page.fill('#dna-query', 'DMSTEST49@');
    await page.click('#dna-search button[type=submit]');
    await page.waitForSelector('#dna-user:not(.hidden) #dna-domains');
    const text = (await page.textContent('#dna-user')) ?? '';
    assert.match(text, /Dami Tester/);
    assert.match(text, /helix ATTGC/);
    assert.match(text, /0 signals mirrored/);
    await page.click('#dna-recompute');
    await page.waitForFunction(() => document.querySelector('#dna-note')?.textContent?.includes('recomputed from 3 passport events'));
    assert.match((await page.textContent('#dna-user')) ?? '', /3 signals mirrored/);
    await page.locator('#dna').scrollIntoViewIfNeeded();
    await env.screenshot('ops-dna', page);
    assert.deepEqual(env.problems, []);
  });
});
