import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserEnv, type BrowserEnv } from './harness.js';
import { bearer, postJson, signIn } from '../support/auth.js';
import { captureStars } from '../support/session.js';

/**
 * The pages' budget on the loopback, as a phone would load them cold (no cache): bytes transferred (every
 * response's encoded size as Chromium's network layer counted it) and the time until the page is usable
 * (/play: joined and locked on a station; /shared/:id: the sky drawn). Figures: BENCHMARKS.md "Web pages".
 */
const BUDGET = {
  // Measured 76 KB / 350 ms and 14 KB / 100 ms on the 2-core CI box: room for growth and a busy machine.
  play: { bytes: 120_000, ms: 2500 },
  shared: { bytes: 60_000, ms: 1500 },
};

async function load(page: Page, path: string, ready: string): Promise<{ bytes: number; ms: number; requests: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
    bytes += e.encodedDataLength;
    requests++;
  });
  const started = Date.now();
  await page.goto(path);
  await page.waitForSelector(ready, { timeout: 15_000 });
  const ms = Date.now() - started;
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  return { bytes, ms, requests };
}

describe('browser: page budget (bytes transferred, time to usable) on the loopback', function () {
  this.timeout(90_000);
  let env: BrowserEnv;
  let shareId = '';

  before(async () => {
    env = await startBrowserEnv();
    const owner = await signIn(env.server.baseUrl);
    await captureStars(env.server.baseUrl, owner, ['artist_wizkid', 'artist_burna_boy', 'artist_fela_kuti']);
    shareId = (await postJson(env.server.baseUrl, '/api/constellations/share', {}, bearer(owner.accessToken))).body.shareId;
  });
  after(async () => env?.close());

  it(`/play at 390 px: at most ${BUDGET.play.bytes / 1000} KB and ${BUDGET.play.ms} ms to a locked station`, async () => {
    await env.page.setViewportSize({ width: 390, height: 844 });
    const m = await load(env.page, '/play', '#status.connected');
    await env.page.waitForSelector('#lock.on');
    console.log(`      /play: ${m.bytes} bytes in ${m.requests} requests, usable after ${m.ms} ms`);
    assert.ok(m.bytes <= BUDGET.play.bytes, `${m.bytes} bytes`);
    assert.ok(m.ms <= BUDGET.play.ms, `${m.ms} ms`);
  });

  it(`/shared/:id at 390 px: at most ${BUDGET.shared.bytes / 1000} KB and ${BUDGET.shared.ms} ms to the drawn sky`, async () => {
    const m = await load(env.page, `/shared/${shareId}`, 'body[data-stars="3"]');
    console.log(`      /shared/:id: ${m.bytes} bytes in ${m.requests} requests, usable after ${m.ms} ms`);
    assert.ok(m.bytes <= BUDGET.shared.bytes, `${m.bytes} bytes`);
    assert.ok(m.ms <= BUDGET.shared.ms, `${m.ms} ms`);
  });
});
