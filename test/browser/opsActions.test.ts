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

    page.on('dialog', (d) => void d.accept());
    await page.goto('/ops');
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector(`tr[data-room="${room.roomId}"]`, { timeout: 15_000 });
    await page.click(`tr[data-room="${room.roomId}"] button:has-text("inspect")`);
    await page.waitForSelector(`#inspect-clients li[data-session="${room.sessionId}"]`);
    assert.match((await page.textContent(`#inspect-clients li[data-session="${room.sessionId}"]`)) ?? '', new RegExp(me.userId));
    await env.screenshot('ops-room-clients', page);
    await page.click(`#inspect-clients li[data-session="${room.sessionId}"] button[data-action="kick"]`);
    assert.equal(await left, 4000);

    await page.waitForSelector(`tr[data-room="${other.roomId}"]`);
    await page.click(`tr[data-room="${other.roomId}"] button[data-action="dispose"]`);
    await otherLeft;
    await page.waitForFunction((id) => !document.querySelector(`tr[data-room="${id}"]`), other.roomId, { timeout: 15_000 });
    // The log view tails this process's log: both actions' audit lines show up there.
    await page.waitForFunction(() => /operator removed a client/.test(document.querySelector('#logs-lines')?.textContent ?? '') && /operator disposed a room/.test(document.querySelector('#logs-lines')?.textContent ?? ''), undefined, { timeout: 15_000 });
    await env.screenshot('ops-logs', page);
  });
});
