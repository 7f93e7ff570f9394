import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { clientFor, nextMessage } from '../support/rooms.js';
import { signIn } from '../support/auth.js';
import fs from 'node:fs';
import { SCREENSHOTS, startBrowserEnv, type BrowserEnv } from './harness.js';

type Snapshot = Record<string, string>;

/** leaderboard/entity → "rank:score" of every row on the jumbotron. */
const snapshot = (env: BrowserEnv): Promise<Snapshot> =>
  env.page.$$eval('[data-leaderboard] li[data-entity]', (rows) =>
    Object.fromEntries(
      rows.map((r) => [
        `${r.closest('[data-leaderboard]')?.getAttribute('data-leaderboard')}/${r.getAttribute('data-entity')}`,
        `${r.getAttribute('data-rank')}:${r.getAttribute('data-score')}`,
      ]),
    ),
  );

describe('browser: /coliseum jumbotron', function () {
  this.timeout(90_000);
  let env: BrowserEnv;
  const rooms: Room[] = [];

  before(async () => {
    env = await startBrowserEnv({ COLISEUM_THROTTLE_MS: '500' });
  });

  after(async () => {
    await Promise.all(rooms.map((r) => r.leave(true).catch(() => undefined)));
    await env?.close();
  });

  async function sessionLocksAStation(): Promise<number> {
    const room = await clientFor(env.server.baseUrl, (await signIn(env.server.baseUrl)).accessToken).create('session', {});
    rooms.push(room);
    await nextMessage(room, 'welcome');
    const locked = nextMessage(room, 'locked');
    room.send('swipe', { direction: 'right', velocity: 850 });
    await locked;
    return Date.now();
  }

  it('joins the coliseum room and shows the window switcher', async () => {
    const { page } = env;
    await page.goto('/coliseum');
    await page.waitForSelector('#status.live', { timeout: 15_000 });
    assert.deepEqual(await page.$$eval('#windows button', (b) => b.map((x) => x.getAttribute('data-window'))), ['hour', 'day', 'week', '30d', 'all']);
    assert.equal(await page.getAttribute('#windows button[data-window="day"]', 'aria-pressed'), 'true');
  });

  it('shows a leaderboard entry change within 3 s after a session locks a station', async () => {
    const { page } = env;
    await page.waitForTimeout(1000); // let the first state settle
    const before = await snapshot(env);
    const updatesBefore = Number((await page.getAttribute('body', 'data-updates')) ?? 0);
    const lockedAt = await sessionLocksAStation();
    await page.waitForFunction(
      ([prev, n]) => {
        const rows = Array.from(document.querySelectorAll('[data-leaderboard] li[data-entity]'));
        const now = Object.fromEntries(
          rows.map((r) => [
            `${r.closest('[data-leaderboard]')?.getAttribute('data-leaderboard')}/${r.getAttribute('data-entity')}`,
            `${r.getAttribute('data-rank')}:${r.getAttribute('data-score')}`,
          ]),
        );
        const changed = Object.keys(now).some((k) => now[k] !== (prev as Record<string, string>)[k]);
        return changed && Number(document.body.dataset.updates ?? 0) > (n as number);
      },
      [before, updatesBefore] as const,
      { timeout: 3000 },
    );
    const elapsed = Date.now() - lockedAt;
    assert.ok(elapsed <= 3000, `leaderboard changed ${elapsed} ms after the lock`);
    await page.waitForTimeout(700); // mid-animation → settled
    await env.screenshot('coliseum-1-after-lock');
    assert.ok(Object.keys(await snapshot(env)).length > 0);
  });

  it('switches the window by re-joining, and keeps rendering', async () => {
    const { page } = env;
    await page.click('#windows button[data-window="hour"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('window') === 'hour');
    await page.waitForSelector('#status.live');
    await page.waitForSelector('[data-leaderboard]:not(.off-page)', { timeout: 5000 }); // a TV leaves empty boards out of the rotation
    assert.equal(await page.getAttribute('#windows button[data-window="hour"]', 'aria-pressed'), 'true');
    await env.screenshot('coliseum-2-hour');
    assert.deepEqual(env.problems, []);
  });

  it("each board's CSV link downloads the rows the board shows, for the window on screen", async () => {
    const { page } = env;
    // A board with rows (it may sit on a later page of the pager), read through its own link.
    const board = page
      .locator('[data-leaderboard]')
      .filter({ has: page.locator('li[data-entity]') })
      .first();
    await board.waitFor({ state: 'attached', timeout: 5000 });
    const href = (await board.locator('a.export', { hasText: 'CSV' }).getAttribute('href')) ?? '';
    assert.match(href, /^\/api\/leaderboards\/[^?]+\?window=hour&limit=100&format=csv$/);
    const shown = await board
      .locator('li[data-entity]')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-rank')},${r.getAttribute('data-entity')}`));
    const text = (await (await page.request.get(href)).text()).split('\r\n');
    assert.equal(text[0], 'rank,entity_id,name,score,previous_rank,trend,change,change_percent');
    const rows = text
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split(',').slice(0, 2).join(','));
    assert.deepEqual(rows.slice(0, shown.length), shown, 'the CSV starts with the rows on screen, in order');
    // A click on a visible board's link is a download named after the board, the window and the day.
    const visible = page.locator('[data-leaderboard]:not([hidden]):not(.off-page) a.export', { hasText: 'CSV' }).first();
    const [download] = await Promise.all([page.waitForEvent('download'), visible.click()]);
    assert.match(download.suggestedFilename(), /-hour-\d{4}-\d{2}-\d{2}\.csv$/);
  });

  it("each board's PNG link downloads the board as a picture (seed 004's export)", async () => {
    const { page } = env;
    const visible = page
      .locator('[data-leaderboard]:not([hidden]):not(.off-page)')
      .filter({ has: page.locator('li[data-entity]') })
      .first();
    const png = visible.locator('a.export', { hasText: 'PNG' });
    assert.match((await png.getAttribute('href')) ?? '', /\?window=hour&limit=25&format=png$/);
    const [download] = await Promise.all([page.waitForEvent('download'), png.click()]);
    assert.match(download.suggestedFilename(), /-hour-\d{4}-\d{2}-\d{2}\.png$/);
    const file = await download.path();
    const bytes = fs.readFileSync(file!);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
    fs.copyFileSync(file!, `${SCREENSHOTS}/coliseum-board-export.png`);
  });
});
