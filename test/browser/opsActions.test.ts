import assert from 'node:assert/strict';
import { clientFor, nextMessage } from '../support/rooms.js';
import { signIn } from '../support/auth.js';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

/** An operator sees who is in a room and removes a client, then disposes a room, from /ops. */
describe('browser: /ops room actions (kick, dispose)', function () {
  this.timeout(90_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv({ LOG_LEVEL: 'info' }); // the audit lines are info
  });
  after(async () => env?.close());

  it('inspect lists the client with its userId; kick closes that client; dispose removes the room', async () => {
    const { page } = env;
    const me = await signIn(env.server.baseUrl);
    const room = await clientFor(env.server.baseUrl, me.accessToken).create('session', {});
    await nextMessage(room, 'welcome');
    const left = new Promise<number>((resolve) => room.onLeave((code: number) => resolve(code)));
    const other = await clientFor(env.server.baseUrl, (await signIn(env.server.baseUrl)).accessToken).create('session', {});
    await nextMessage(other, 'welcome');
    const otherLeft = new Promise<number>((resolve) => other.onLeave((code: number) => resolve(code)));

    await page.goto('/ops');
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.click('#ops-nav [data-tab="rooms"]');
    await page.waitForSelector(`tr[data-room="${room.roomId}"]`, { timeout: 15_000 });
    await page.click(`tr[data-room="${room.roomId}"] button:has-text("inspect")`);
    await page.waitForSelector(`#inspect-clients li[data-session="${room.sessionId}"]`);
    assert.match((await page.textContent(`#inspect-clients li[data-session="${room.sessionId}"]`)) ?? '', new RegExp(me.userId));
    await env.screenshot('ops-room-clients', page);
    // The confirmation is in the page (no browser dialog): cancelling keeps the client.
    page.on('dialog', (d) => assert.fail(`a browser dialog opened: ${d.message()}`));
    await page.click(`#inspect-clients li[data-session="${room.sessionId}"] button[data-action="kick"]`);
    await page.click('dialog#confirm button[data-confirm="no"]');
    assert.ok(await page.$(`#inspect-clients li[data-session="${room.sessionId}"]`), 'cancelled: still listed');
    await page.click(`#inspect-clients li[data-session="${room.sessionId}"] button[data-action="kick"]`);
    await page.click('dialog#confirm button[data-confirm="yes"]');
    assert.equal(await left, 4000);
    // Without a reload: a success toast, the client gone from the inspector and not counted in the room's row.
    await page.waitForSelector('.toast.ok:has-text("removed from room")', { timeout: 3000 });
    await page.waitForFunction(
      ([roomId, sessionId]) =>
        !document.querySelector(`#inspect-clients li[data-session="${sessionId}"]`) &&
        !/^1\//.test(document.querySelector(`tr[data-room="${roomId}"] td.num`)?.textContent ?? '0/'),
      [room.roomId, room.sessionId],
      { timeout: 3000 },
    );
    await env.screenshot('ops-after-kick', page);

    await page.waitForSelector(`tr[data-room="${other.roomId}"]`);
    await page.click(`tr[data-room="${other.roomId}"] button[data-action="dispose"]`);
    await page.click('dialog#confirm button[data-confirm="yes"]');
    await otherLeft;
    await page.waitForFunction((id) => !document.querySelector(`tr[data-room="${id}"]`), other.roomId, { timeout: 15_000 });
    await page.waitForSelector('.toast.ok:has-text("disposed")');
    // The log view tails this process's log: both actions' audit lines show up there.
    await page.waitForFunction(
      () =>
        /operator removed a client/.test(document.querySelector('#logs-lines')?.textContent ?? '') &&
        /operator disposed a room/.test(document.querySelector('#logs-lines')?.textContent ?? ''),
      undefined,
      { timeout: 15_000 },
    );
    await page.click('#ops-nav [data-tab="jobs"]');
    await env.screenshot('ops-logs', page);
  });

  it('an action on a room that is gone meanwhile says so in words, not the API text', async () => {
    const { page } = env;
    const room = await clientFor(env.server.baseUrl, (await signIn(env.server.baseUrl)).accessToken).create('session', {});
    await nextMessage(room, 'welcome');
    await page.click('#ops-nav [data-tab="rooms"]');
    await page.waitForSelector(`tr[data-room="${room.roomId}"]`, { timeout: 15_000 });
    // The operator asks to dispose it; meanwhile another operator disposes it.
    await page.click(`tr[data-room="${room.roomId}"] button[data-action="dispose"]`);
    await page.waitForSelector('dialog#confirm');
    const res = await fetch(`${env.server.baseUrl}/api/ops/rooms/${room.roomId}/dispose`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(res.status, 200);
    await page.click('dialog#confirm button[data-confirm="yes"]');
    const toast = (await (await page.waitForSelector('.toast.error', { timeout: 5000 })).textContent()) ?? '';
    assert.match(toast, new RegExp(`Room ${room.roomId} is gone already`));
    assert.doesNotMatch(toast, /GET \/api|not running/, 'no API text');
    await page.waitForFunction((id) => !document.querySelector(`tr[data-room="${id}"]`), room.roomId, { timeout: 10_000 });
    await env.screenshot('ops-action-error', page);
  });
});
