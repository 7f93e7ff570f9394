import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { clientFor, nextMessage } from '../support/rooms.js';
import { insertUser, signIn } from '../support/auth.js';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

describe('browser: /ops panel', function () {
  this.timeout(90_000);
  let env: BrowserEnv;
  let room: Room | undefined;
  let deviceId = '';

  before(async () => {
    env = await startBrowserEnv();
  });

  after(async () => {
    await room?.leave(true).catch(() => undefined);
    await env?.close();
  });

  it('without the token: a login form, no data on the page, and the API answers 401', async () => {
    const { page } = env;
    await page.goto('/ops');
    await page.waitForSelector('#login:not(.hidden)');
    assert.equal(await page.isVisible('#dashboard'), false);
    assert.equal((await page.textContent('#tiles'))?.trim(), '');
    assert.equal((await page.textContent('#processes-body'))?.trim(), '');
    const statuses = await page.evaluate(async (token) => {
      const anonymous = await fetch('/api/ops/overview');
      const wrong = await fetch('/api/ops/overview', { headers: { authorization: 'Bearer not-the-token-at-all' } });
      const users = await fetch(`/api/ops/users?q=${encodeURIComponent(token)}`);
      return [anonymous.status, wrong.status, users.status, (await anonymous.text()).includes('ccu')];
    }, ADMIN_TOKEN);
    assert.deepEqual(statuses, [401, 401, 401, false]);

    await page.fill('#token', 'wrong-token-wrong-token');
    await page.click('#login-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#login-error')?.textContent?.includes('not accepted'));
    assert.equal(await page.isVisible('#dashboard'), false);
    await env.screenshot('ops-1-login-rejected');
  });

  it('with the token: the live view shows a non-zero client count, and the token never enters a URL', async () => {
    const { page } = env;
    // The DIA lookup finds a user by the id of their first device (the one POST /api/auth/device assigned).
    const device = await signIn(env.server.baseUrl, undefined, { deviceModel: 'iPhone17,3' });
    deviceId = device.deviceId;
    room = await clientFor(env.server.baseUrl, device.accessToken).create('session', { deviceModel: 'iPhone17,3' });
    await nextMessage(room, 'welcome');
    room.send('swipe', { direction: 'right', velocity: 850 });
    await nextMessage(room, 'locked');

    env.problems.length = 0; // the 401s of the previous test were the point of it
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#dashboard:not(.hidden)');
    await page.waitForFunction(() => Number(document.querySelector('[data-tile="ccu"] .value')?.textContent?.replace(/,/g, '')) > 0, undefined, {
      timeout: 10_000,
    });
    await page.waitForSelector('[data-room-type="session"]');
    await page.waitForSelector('#processes-body tr[data-process]');
    await page.waitForSelector('[data-probe="database"].up');
    // Two refreshes later the chart has points and the rooms table is filled.
    await page.waitForSelector('#chart canvas');
    await page.click('#ops-nav [data-tab="rooms"]');
    await page.waitForSelector('#rooms-body tr[data-room]');
    await page.click('#ops-nav [data-tab="overview"]');
    await page.waitForTimeout(2500);
    await env.screenshot('ops-2-live');
    // A session row the database has not closed (its listener gone, its room waiting out the resume window) is not a
    // live session: the DIA tile counts the connected sessions, as the rooms table does.
    const gone = await insertUser(env.db.sql);
    await env.db.sql.query(`INSERT INTO sessions (id, user_id, device_id, started_at, last_active) VALUES (gen_random_uuid(), ?, ?, now(), now())`, [
      gone.userId,
      gone.deviceId,
    ]);
    await page.waitForFunction(
      () => {
        const live = Array.from(document.querySelectorAll('#system .tile')).find((t) => t.querySelector('.label')?.textContent === 'Live sessions');
        const clients = document.querySelector('[data-room-type="session"] td:last-child')?.textContent;
        return live?.querySelector('.value')?.textContent === '1' && clients === '1';
      },
      undefined,
      { timeout: 15_000 },
    );

    assert.ok(!page.url().includes(ADMIN_TOKEN));
    assert.ok(
      requested.every((u) => !u.includes(ADMIN_TOKEN)),
      'no request URL carries the token',
    );
    assert.equal(await page.evaluate(() => sessionStorage.getItem('ds.ops.token')), ADMIN_TOKEN);
    assert.deepEqual(env.problems, []);
  });

  it('DIA: finds the user by device id and shows sessions and the passport timeline, newest first', async () => {
    const { page } = env;
    await page.click('#ops-nav [data-tab="users"]');
    await page.fill('#dia-query', deviceId);
    await page.click('#dia-search button[type=submit]');
    await page.waitForSelector('#dia-user:not(.hidden)');
    await page.waitForSelector('#dia-timeline tr[data-event="station.visited"]', { timeout: 10_000 });
    const events = await page.$$eval('#dia-timeline tr[data-event]', (rows) => rows.map((r) => r.getAttribute('data-event')));
    assert.ok(events.includes('session.started') || events.includes('station.swiped'), events.join(','));
    assert.ok((await page.textContent('#dia-card'))?.includes(deviceId));
    await page.locator('#dia').scrollIntoViewIfNeeded();
    await env.screenshot('ops-3-dia');
  });

  it('opens the Colyseus monitor from the navigation behind the same sign-in (cookie scoped to /monitor)', async () => {
    const { page } = env;
    await page.click('#open-monitor');
    await page.waitForURL(/\/monitor$/);
    await page.waitForFunction(() => document.body.innerText.includes('session'), undefined, { timeout: 15_000 });
    await env.screenshot('ops-4-monitor');
    const anonymous = await fetch(`${env.server.baseUrl}/monitor/api`);
    assert.equal(anonymous.status, 401);
    // Back to the console through the monitor's header: still signed in (the token stays in this tab).
    await page.click('.monitor-nav a[href="/ops#tab=overview"]');
    await page.waitForSelector('#dashboard:not(.hidden)');
  });

  it('signing out clears the page and the stored token', async () => {
    const { page } = env;
    await page.click('#sign-out');
    await page.waitForSelector('#login:not(.hidden)');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('ds.ops.token')), null);
    assert.equal((await page.textContent('#tiles'))?.trim(), '');
    await page.reload();
    await page.waitForSelector('#login:not(.hidden)');
    assert.equal(await page.isVisible('#dashboard'), false);
  });
});
