import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserEnv, type BrowserEnv } from './harness.js';

/**
 * The /play client's identity: a device secret kept in localStorage, POST /api/auth/device on the
 * first visit, POST /api/auth/refresh when the access token is (about to be) expired, and one retry
 * with a fresh token when the server refuses the join (401, on the matchmaking request). With AUTH_ACCESS_TTL_SEC=30 every
 * stored token is inside the client's 30 s refresh margin, so each new join refreshes.
 */
describe('browser: /play signs in, refreshes and retries a refused token', function () {
  this.timeout(90_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv({ AUTH_ACCESS_TTL_SEC: '30' });
  });
  after(async () => {
    await env?.close();
  });

  /** Opens /play in a new tab of the same browser profile (shared localStorage, fresh sessionStorage: a real join). */
  async function openPlay(): Promise<{ page: Page; authCalls: string[]; matchmakes: number[] }> {
    const page = await env.page.context().newPage();
    const authCalls: string[] = [];
    const matchmakes: number[] = [];
    page.on('request', (r) => r.url().includes('/api/auth/') && authCalls.push(new URL(r.url()).pathname));
    page.on('response', (r) => r.url().includes('/matchmake/') && matchmakes.push(r.status()));
    await page.goto('/play');
    await page.waitForSelector('#status.connected', { timeout: 15_000 });
    await page.waitForFunction(() => (document.querySelector('#station-name')?.textContent ?? '…') !== '…', undefined, { timeout: 15_000 });
    return { page, authCalls, matchmakes };
  }
  const stored = (page: Page) =>
    page.evaluate(() => ({ secret: localStorage.getItem('ds.play.deviceSecret'), tokens: JSON.parse(localStorage.getItem('ds.play.tokens') ?? 'null') }));

  it('the first visit signs the device in with a generated secret; the next join refreshes and is the same user', async () => {
    const first = await openPlay();
    assert.deepEqual(first.authCalls, ['/api/auth/device']);
    const before = await stored(first.page);
    assert.match(before.secret ?? '', /^[A-Za-z0-9_-]{43}$/);
    await first.page.close();

    const second = await openPlay();
    assert.deepEqual(second.authCalls, ['/api/auth/refresh']);
    const after = await stored(second.page);
    assert.equal(after.secret, before.secret, 'the secret is generated once and kept');
    assert.equal(after.tokens.userId, before.tokens.userId);
    assert.notEqual(after.tokens.refreshToken, before.tokens.refreshToken, 'the refresh token rotated');
    await second.page.close();
  });

  it('a stored token the server refuses at matchmaking (401) is replaced and the join retried once', async () => {
    const page = env.page;
    await page.goto('/play');
    await page.waitForSelector('#status.connected', { timeout: 15_000 });
    const { tokens } = await stored(page);
    // A token that looks fresh to the client but that the server cannot verify.
    await page.evaluate(
      (t) => localStorage.setItem('ds.play.tokens', JSON.stringify({ ...t, accessToken: `${t.accessToken}x`, expiresAt: Date.now() + 3_600_000 })),
      tokens,
    );
    await page.close();
    env.page = await env.page.context().newPage();
    const retry = await openPlay();
    assert.deepEqual(retry.authCalls, ['/api/auth/refresh']);
    assert.deepEqual(retry.matchmakes, [401, 200], 'refused at matchmaking, then joined with the refreshed token');
    assert.equal((await stored(retry.page)).tokens.userId, tokens.userId);
    await env.screenshot('play-auth-retried', retry.page);
    await retry.page.close();
  });
});
