import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { clientFor, nextMessage } from '../support/rooms.js';
import { signIn } from '../support/auth.js';
import { startBrowserEnv, type BrowserEnv } from './harness.js';

type Snapshot = Record<string, string>;

/** leaderboard/entity → "rank:score" of every row on the jumbotron. */
const snapshot = (env: BrowserEnv): Promise<Snapshot> =>
  env.page.$$eval('[data-leaderboard] li[data-entity]', (rows) =>
    Object.fromEntries(rows.map((r) => [`${r.closest('[data-leaderboard]')?.getAttribute('data-leaderboard')}/${r.getAttribute('data-entity')}`, `${r.getAttribute('data-rank')}:${r.getAttribute('data-score')}`])),
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
        const now = Object.fromEntries(rows.map((r) => [`${r.closest('[data-leaderboard]')?.getAttribute('data-leaderboard')}/${r.getAttribute('data-entity')}`, `${r.getAttribute('data-rank')}:${r.getAttribute('data-score')}`]));
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
    await page.waitForSelector('[data-leaderboard]', { timeout: 5000 });
    assert.equal(await page.getAttribute('#windows button[data-window="hour"]', 'aria-pressed'), 'true');
    await env.screenshot('coliseum-2-hour');
    assert.deepEqual(env.problems, []);
  });
});
