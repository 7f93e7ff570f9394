import assert from 'node:assert/strict';
import sharp from 'sharp';
import { portraitPng } from '../support/assetsFixtures.js';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

/**
 * The artist image review queue in /ops (seed 000 step 10.2 Option B): every upload waits here
 * (ASSET_REVIEW=always), the operator sees before and after side by side at phone and desktop widths,
 * approves one (it goes live) and rejects another (never served).
 */
describe('browser: /ops artist image review queue', function () {
  this.timeout(120_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv({ ASSET_REVIEW: 'always', ASSET_MIN_SIDE_PX: '64', ASSET_ARTWORK: 'false' });
  });
  after(async () => env?.close());

  const upload = async (artist: string, png: Buffer) => {
    const res = await fetch(`${env.server.baseUrl}/api/admin/artists/${artist}/image`, {
      method: 'POST',
      body: new Uint8Array(png),
      headers: { 'content-type': 'image/png', authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(res.status, 202);
    return (await res.json()) as { reviewId: string; variants: Array<{ url: string }> };
  };

  it('shows before and after at 390 and 1440 px; approve puts the image live, reject never serves it', async () => {
    const { page } = env;
    const approved = await upload('artist_wizkid', await portraitPng());
    const rejected = await upload(
      'artist_burna_boy',
      await sharp(await portraitPng())
        .negate({ alpha: false })
        .png()
        .toBuffer(),
    );
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/ops#tab=assets');
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-form button[type=submit]');
    const card = (id: string) => page.locator(`#asset-reviews [data-review="${id}"]`);
    await card(approved.reviewId).waitFor();
    // Both previews loaded (admin-only bytes, shown from blob URLs).
    await page.waitForFunction(
      (id) => Array.from(document.querySelectorAll<HTMLImageElement>(`[data-review="${id}"] img`)).every((img) => img.complete && img.naturalWidth > 0),
      approved.reviewId,
    );
    assert.equal(await card(approved.reviewId).locator('img').count(), 2);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scroll at 390 px (${overflow} px)`);
    await env.screenshot('ops-assets-review-390', page);
    await page.setViewportSize({ width: 1440, height: 900 });
    const [before, after] = await card(approved.reviewId).locator('img').all();
    const [b, a] = [await before.boundingBox(), await after.boundingBox()];
    assert.ok(b && a && Math.abs(b.y - a.y) < 2 && a.x > b.x, 'side by side on a desktop');
    await env.screenshot('ops-assets-review-1440', page);

    await card(approved.reviewId).locator('button[data-action="approve"]').click();
    await page.waitForFunction((id) => document.querySelector(`[data-review="${id}"] [data-field="status"]`)?.textContent === 'approved', approved.reviewId);
    await card(rejected.reviewId).locator('button[data-action="reject"]').click();
    await page.waitForFunction((id) => document.querySelector(`[data-review="${id}"] [data-field="status"]`)?.textContent === 'rejected', rejected.reviewId);
    assert.equal((await fetch(`${env.server.baseUrl}${approved.variants[0].url}`)).status, 200, 'approved: live');
    assert.equal((await fetch(`${env.server.baseUrl}${rejected.variants[0].url}`)).status, 404, 'rejected: never served');
    await env.screenshot('ops-assets-review-decided', page);
    assert.deepEqual(env.problems, []);
  });
});
