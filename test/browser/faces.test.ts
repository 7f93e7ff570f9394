import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { BrowserContext, Page } from 'playwright-core';
import { ADMIN_TOKEN, locked, startBrowserEnv, stationName, type BrowserEnv } from './harness.js';
import { bearer, postJson } from '../support/auth.js';

/**
 * The pages people see, on a server the load test has just filled, at a phone, a laptop and a TV width:
 * /play after three captures, its journal, the share page, /coliseum live and frozen, a report and /ops.
 * Screenshots: artifacts/screenshots/faces-<page>-<px>.png, to be looked at; the assertions only check each
 * page drew its data. It runs a load test first (minutes on a shared box), so it runs only when asked:
 * `FACES_SCREENSHOTS=1 npx mocha --timeout 900000 test/browser/faces.test.ts`; FACES_SESSIONS sets the load
 * (default 120 session bots and 10 spectators for 20 s).
 */
(process.env.FACES_SCREENSHOTS ? describe : describe.skip)('browser: the faces people see, on a server filled by the load test', function () {
  this.timeout(900_000);
  let env: BrowserEnv;
  const WIDTHS = [
    [390, 844],
    [1440, 900],
    [1920, 1080],
  ] as const;

  before(async () => {
    env = await startBrowserEnv({ DEV_RAISED_LIMITS: 'true' });
    const sessions = process.env.FACES_SESSIONS ?? '120';
    const url = env.server.baseUrl.replace(/^http/, 'ws');
    const args = ['tsx', 'loadtest/cli.ts', '--url', url, '--sessions', sessions, '--spectators', '10', '--duration', '20', '--ramp', '10'];
    args.push('--admin-token', ADMIN_TOKEN, '--quiet', '--out', `/tmp/faces-load-${process.pid}.json`);
    const code = await new Promise<number | null>((resolve) => {
      const load = spawn('npx', args, { stdio: ['ignore', 'inherit', 'inherit'] });
      load.on('exit', resolve);
    });
    assert.equal(code, 0, 'the load test ran');
  });
  after(async () => env?.close());

  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  async function pageAt(width: number, height: number): Promise<Page> {
    const context = await env.browser.newContext({ viewport: { width, height }, baseURL: env.server.baseUrl });
    contexts.push(context);
    return context.newPage();
  }

  for (const [width, height] of WIDTHS) {
    it(`at ${width} px: /play after three captures, its journal and the share page`, async () => {
      const page = await pageAt(width, height);
      await page.goto('/play');
      await page.waitForSelector('#status.connected', { timeout: 30_000 });
      await locked(page, '');
      for (let i = 0; i < 3; i++) {
        if (i > 0) {
          const before = await stationName(page);
          await page.keyboard.press('ArrowRight');
          await locked(page, before);
        }
        await page.keyboard.press('c');
        await page.waitForFunction((n) => document.querySelector('#total-stars')?.textContent === String(n), i + 1, { timeout: 15_000 });
      }
      await page.waitForTimeout(1500); // the capture card and the recommendations settle
      await env.screenshot(`faces-play-${width}`, page, { fullPage: false });
      await env.screenshot(`faces-play-full-${width}`, page);
      await page.click('#tab-journal');
      await page.waitForSelector('#panel-journal[data-stars="3"]', { timeout: 15_000 });
      await env.screenshot(`faces-journal-${width}`, page);
      const tokens = JSON.parse((await page.evaluate(() => localStorage.getItem('ds.play.tokens'))) ?? '{}') as { accessToken: string };
      const share = await postJson(
        env.server.baseUrl,
        '/api/constellations/share',
        { message: 'Three stations from tonight: start with the first, the rest follow.' },
        bearer(tokens.accessToken),
      );
      assert.equal(share.status, 201, JSON.stringify(share.body));
      await page.goto(`/shared/${share.body.shareId}`);
      await page.waitForSelector('body[data-stars="3"]', { timeout: 15_000 });
      await page.waitForTimeout(500);
      await env.screenshot(`faces-shared-${width}`, page);
    });
  }

  it('/coliseum with live figures, then frozen (the server stopped with the connection open)', async () => {
    const pages: Array<[number, Page]> = [];
    for (const [width, height] of WIDTHS) {
      const page = await pageAt(width, height);
      await page.goto('/coliseum?window=day');
      await page.waitForSelector('#status.live', { timeout: 20_000 });
      await page.waitForSelector('.kpi', { timeout: 20_000 });
      pages.push([width, page]);
    }
    await pages[0]![1].waitForTimeout(3000);
    for (const [width, page] of pages) {
      await env.screenshot(`faces-coliseum-${width}`, page, { fullPage: false });
      if (width === 390) await env.screenshot(`faces-coliseum-full-${width}`, page);
    }
    env.server.proc.kill('SIGSTOP');
    try {
      for (const [width, page] of pages) {
        await page.waitForSelector('#paused:not([hidden])', { timeout: 30_000 });
        await env.screenshot(`faces-coliseum-frozen-${width}`, page, { fullPage: false });
      }
    } finally {
      env.server.proc.kill('SIGCONT');
    }
  });

  it('a report of the most visited artist, and /ops', async () => {
    const board = (await (await fetch(`${env.server.baseUrl}/api/leaderboards/artists.visits?window=day&limit=1`)).json()) as {
      entries?: Array<{ entityId: string }>;
      rows?: Array<{ entityId: string }>;
    };
    const top = (board.entries ?? board.rows ?? [])[0]?.entityId ?? 'artist_wizkid';
    const made = await postJson(env.server.baseUrl, '/api/reports', { type: 'artist', entityId: top, range: '7d' }, bearer(ADMIN_TOKEN));
    assert.equal(made.status, 201, JSON.stringify(made.body));
    for (const [width, height] of WIDTHS) {
      const page = await pageAt(width, height);
      await page.goto(made.body.share.url.replace(/^https?:\/\/[^/]+/, ''));
      await page.waitForSelector('main .card', { timeout: 20_000 });
      await page.waitForTimeout(1500);
      await env.screenshot(`faces-report-${width}`, page);

      const ops = await pageAt(width, height);
      await ops.goto('/ops');
      await ops.fill('#token', ADMIN_TOKEN);
      await ops.click('#login-form button[type=submit]');
      await ops.waitForSelector('#dashboard:not(.hidden)', { timeout: 20_000 });
      await ops.waitForSelector('#chart canvas', { timeout: 20_000 });
      await ops.waitForTimeout(1500);
      await env.screenshot(`faces-ops-${width}`, ops, { fullPage: false });
      await env.screenshot(`faces-ops-full-${width}`, ops);
    }
  });
});
