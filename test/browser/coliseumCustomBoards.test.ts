import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

const ARTISTS = Array.from({ length: 6 }, (_, i) => ({ id: `artist-c${i}`, name: `Ẹ̀gbẹ́ Jùjú Ṣẹ́gun Orchestra ${i + 1}` }));

/** Operator-defined boards (made in /ops) shown on the jumbotron beside the streamed ones, still one screen. */
describe('browser: /coliseum shows the custom leaderboards', function () {
  this.timeout(90_000);
  let env: BrowserEnv;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

  before(async () => {
    env = await startBrowserEnv({ COLISEUM_THROTTLE_MS: '200' });
    const base = env.server.baseUrl;
    const userId = randomUUID();
    const occurredAt = new Date().toISOString();
    const events = ARTISTS.flatMap((a, i) =>
      Array.from({ length: i + 1 }, () => ({
        eventId: randomUUID(),
        eventType: 'station.visited',
        userId,
        occurredAt,
        payload: { artistId: a.id, artistName: a.name, frequency: 90 + i, method: 'swipe' },
      })),
    );
    const res = await fetch(`${base}/api/passport/batch`, { method: 'POST', headers: admin, body: JSON.stringify({ events }) });
    assert.equal(res.status, 202, await res.text());
    for (const board of [
      { title: 'Festival line-up', base: 'artists.visits', entityIds: [ARTISTS[1].id, ARTISTS[4].id] },
      { title: 'Sponsor picks', base: 'artists.visits', entityIds: [ARTISTS[0].id, ARTISTS[5].id, ARTISTS[3].id] },
    ]) {
      const made = await fetch(`${base}/api/ops/custom-leaderboards`, { method: 'POST', headers: admin, body: JSON.stringify(board) });
      assert.equal(made.status, 201, await made.text());
    }
  });

  after(async () => {
    await env?.close();
  });

  async function boardsSeen(height: number): Promise<Set<string>> {
    const { page } = env;
    const seen = new Set<string>();
    const pages = Number(await page.$eval('#leaderboards', (b) => (b as HTMLElement).dataset.pages));
    for (let i = 0; i < pages; i++) {
      if (i > 0)
        await page.waitForFunction((n) => document.querySelector<HTMLElement>('#leaderboards')?.dataset.page === String(n), i + 1, { timeout: 15_000 });
      for (const b of await page.$$eval('[data-leaderboard]', (bs) =>
        bs.filter((b) => (b as HTMLElement).offsetParent !== null).map((b) => b.getAttribute('data-leaderboard')),
      ))
        seen.add(b!);
      assert.ok((await page.evaluate(() => document.documentElement.scrollHeight)) <= height, `page ${i + 1} scrolls`);
    }
    return seen;
  }

  for (const [width, height] of [
    [1920, 1080],
    [1440, 900],
  ]) {
    it(`rotates the custom boards with the others at ${width}×${height}, without scrolling`, async () => {
      const { page } = env;
      await page.setViewportSize({ width, height });
      await page.goto('/coliseum?window=day');
      await page.waitForSelector('#status.live', { timeout: 15_000 });
      await page.waitForFunction(() => document.querySelectorAll('[data-leaderboard="custom.sponsor-picks"] li[data-entity]').length === 3, undefined, {
        timeout: 20_000,
      });
      const rows = await page.$$eval('[data-leaderboard="custom.sponsor-picks"] li[data-entity]', (ls) => ls.map((l) => l.getAttribute('data-entity')));
      assert.deepEqual(rows, [ARTISTS[5].id, ARTISTS[3].id, ARTISTS[0].id], 'the line-up only, ranked by the base board');
      assert.match((await page.textContent('[data-leaderboard="custom.festival-line-up"]')) ?? '', /Festival line-up/);
      await env.screenshot(`coliseum-custom-${width}`);
      const seen = await boardsSeen(height);
      assert.ok(seen.has('custom.festival-line-up') && seen.has('custom.sponsor-picks') && seen.has('artists.visits'), [...seen].join());
      assert.deepEqual(env.problems, []);
    });
  }

  it('on a 390 px phone lists the custom boards after the streamed ones, without horizontal scroll', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/coliseum?window=day');
    await page.waitForSelector('[data-leaderboard="custom.sponsor-picks"] li[data-entity]', { timeout: 20_000 });
    const order = await page.$$eval('[data-leaderboard]:not([hidden])', (bs) => bs.map((b) => b.getAttribute('data-leaderboard')));
    assert.ok(order.indexOf('custom.sponsor-picks') > order.indexOf('artists.visits'), order.join());
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
    await env.screenshot('coliseum-custom-390');
  });
});
