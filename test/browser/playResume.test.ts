import assert from 'node:assert/strict';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';

/**
 * A browser on a server that the test stops (SIGTERM: a deploy, `moving` + 4100) and starts again on the same
 * address, both stopped after the suite.
 */
function restartedServer() {
  let env: BrowserEnv;
  let next: ServerProcess | undefined;
  let port = '';
  before(async () => {
    env = await startBrowserEnv();
  });
  after(async () => {
    await next?.stop('SIGTERM');
    await env?.close();
  });
  return {
    get env(): BrowserEnv {
      return env;
    },
    /** Drains the server (its address kept for the next one). */
    async stop(): Promise<void> {
      port = new URL(env.server.baseUrl).port;
      await env.server.stop('SIGTERM');
    },
    /** A new server on the same address and database. */
    async startAgain(): Promise<void> {
      next = await startServerProcess({
        DATABASE_URL: env.db.url,
        REDIS_URL: undefined,
        ADMIN_TOKEN,
        LOG_LEVEL: 'warn',
        CLIENT_MESSAGE_RATE: '200',
        PASSPORT_FLUSH_MS: '20',
        PORT: port,
      });
    },
  };
}

/** What the page reported that a restart does not explain (refused connections and failed joins while the server is away). */
const unexplained = (env: BrowserEnv) => env.problems.filter((p) => !/ERR_CONNECTION_REFUSED|WebSocket|matchmake|502|503|500/.test(p));

/**
 * A deploy under an open /play page: the server drains (SIGTERM: `moving` + 4100) and a new one starts on
 * the same address. The page never shows a dead session: the connection pill appears while the server is
 * away, says neither "session closed" nor anything once it is back, and the same session continues.
 */
describe('browser: /play comes back by itself after a server restart', function () {
  this.timeout(120_000);
  const server = restartedServer();

  it('shows a small pill while the server is away, then resumes the same session with no pill', async () => {
    const { env } = server;
    const { page } = env;
    await page.goto('/play');
    await page.waitForSelector('#status.connected', { timeout: 15_000 });
    assert.equal(await page.getAttribute('#status', 'data-state'), 'connected');
    // Nothing to see while connected (the pill fades out).
    await page.waitForFunction(() => getComputedStyle(document.querySelector('#status')!).opacity === '0', undefined, { timeout: 5000 });
    const sessionId = await page.evaluate(() => localStorage.getItem('ds.play.lastSessionId'));
    assert.ok(sessionId);
    // Every state the pill takes, as the page shows it.
    await page.evaluate(() => {
      const w = window as unknown as { pill: string[] };
      w.pill = [];
      const el = document.querySelector('#status') as HTMLElement;
      new MutationObserver(() => w.pill.push(el.dataset.state ?? '')).observe(el, { attributes: true, attributeFilter: ['data-state'] });
    });

    await server.stop();
    await page.waitForSelector('#status[data-state="moving"], #status[data-state="reconnecting"], #status[data-state="offline"]', { timeout: 15_000 });
    // The pill fades in (a 0.4 s opacity transition): its first frame may still be at 0.
    await page
      .waitForFunction(() => Number(getComputedStyle(document.querySelector('#status')!).opacity) > 0.5, undefined, { timeout: 5000 })
      .catch(() => assert.fail('the pill shows while the server is away'));
    // A capture pressed now is kept and says so: the button is busy, the stage says it goes when the server is back.
    await page.click('#capture');
    assert.equal((await page.textContent('#capture'))?.trim(), '★ Waiting to send…');
    assert.equal(await page.getAttribute('#capture', 'aria-busy'), 'true');
    assert.match((await page.textContent('.stage-notice')) ?? '', /sent as soon as the connection is back/);
    await env.screenshot('play-resume-away');

    await server.startAgain();
    await page.waitForSelector('#status[data-state="connected"]', { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('#total-stars')?.textContent === '1', undefined, { timeout: 10_000 });
    assert.equal((await page.textContent('#capture'))?.trim(), 'Captured ✓', 'the kept capture went through once the session was back');
    const seen = await page.evaluate(() => (window as unknown as { pill: string[] }).pill);
    assert.equal(seen.includes('closed'), false, `pill states: ${seen.join(' → ')}`);
    assert.equal(await page.evaluate(() => localStorage.getItem('ds.play.lastSessionId')), sessionId, 'the same session');
    assert.equal(((await page.textContent('#station-name')) ?? '').trim(), 'Wizkid', 'the station is still on screen');
    await page.waitForFunction(() => getComputedStyle(document.querySelector('#status')!).opacity === '0', undefined, { timeout: 5000 });
    assert.deepEqual(unexplained(env), []);
  });
});

describe('browser: /coliseum comes back by itself after a server restart', function () {
  this.timeout(120_000);
  const server = restartedServer();

  it('keeps its boards on screen while the server is away, shows the pill, then rejoins a coliseum room without a reload', async () => {
    const { env } = server;
    const { page } = env;
    await page.goto('/coliseum');
    await page.waitForSelector('#status[data-state="connected"]', { timeout: 15_000 });
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    const boards = await page.$$eval('#leaderboards > *', (els) => els.length);
    assert.ok(boards > 0, 'boards on screen');

    await server.stop();
    await page.waitForSelector('#status[data-state="reconnecting"], #status[data-state="offline"]', { timeout: 15_000 });
    assert.equal(await page.$$eval('#leaderboards > *', (els) => els.length), boards, 'the boards stay on screen while the server is away');
    await page.waitForSelector('#paused:not([hidden])', { timeout: 5000 });
    assert.match((await page.textContent('#paused')) ?? '', /Paused — reconnecting/);
    await env.screenshot('coliseum-resume-away');

    await server.startAgain();
    await page.waitForSelector('#status[data-state="connected"]', { timeout: 30_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), true, 'no reload');
    assert.equal(await page.isHidden('#paused'), true, 'live again: the banner is gone');
    assert.ok((await page.$$eval('#leaderboards > *', (els) => els.length)) > 0);
    assert.deepEqual(unexplained(env), []);
  });
});
