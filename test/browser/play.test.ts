import assert from 'node:assert/strict';
import { flick } from './flick.js';
import { startBrowserEnv, type BrowserEnv } from './harness.js';

describe('browser: /play session player', function () {
  this.timeout(90_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv();
  });

  after(async () => {
    await env?.close();
  });

  async function stationName(): Promise<string> {
    return ((await env.page.textContent('#station-name')) ?? '').trim();
  }

  it('joins a session and shows the first station with its orbs', async () => {
    const { page } = env;
    await page.goto('/play');
    await page.waitForFunction(() => (document.querySelector('#station-name')?.textContent ?? '…') !== '…', undefined, { timeout: 15_000 });
    await page.waitForSelector('#status.connected');
    assert.equal(await stationName(), 'Wizkid');
    await page.waitForTimeout(800); // a few orb syncs, so the screenshot shows them mid-orbit
    await env.screenshot('play-1-joined');
  });

  it('a mouse drag-flick on the scene swipes the dial to a new station', async () => {
    const { page } = env;
    const before = await stationName();
    const box = (await page.locator('#scene').boundingBox())!;
    const y = box.y + box.height * 0.8;
    // A short, fast rightwards flick (25 px every 16 ms, ≈ 1500 px/s): right moves up the band. Dispatched with
    // its own timestamps (flick.ts), so a loaded machine cannot turn it into a drag that stopped; a user whose
    // flick landed on the station it left flicks again, and so does this test.
    const flicked = async () => {
      await flick(page, { x: box.x + 100, y, stepPx: 25, steps: 6 });
      return page
        .waitForFunction(
          (b) => {
            const name = document.querySelector('#station-name')?.textContent?.trim();
            return !!name && name !== b && document.querySelector('#lock')?.classList.contains('on');
          },
          before,
          { timeout: 4000 },
        )
        .then(
          () => true,
          () => false,
        );
    };
    // The glide is not streamed: the page draws it from the formula, so the label passes through the band.
    await page.evaluate(() => {
      const w = window as unknown as { shown: string[] };
      w.shown = [];
      const label = document.querySelector('#frequency')!;
      new MutationObserver(() => w.shown.push(label.textContent ?? '')).observe(label, { childList: true, characterData: true, subtree: true });
    });
    let moved = false;
    for (let attempt = 0; attempt < 3 && !moved; attempt++) moved = await flicked();
    assert.ok(moved, 'three flicks did not move the dial');
    const shown = await page.evaluate(() => (window as unknown as { shown: string[] }).shown);
    assert.ok(new Set(shown).size >= 3, `the dial label moved through intermediate frequencies during the glide: ${shown.join(', ')}`);
    const after = await stationName();
    assert.notEqual(after, before);
    assert.match((await page.textContent('#log')) ?? '', /swipe right at \d+ px\/s/);
    assert.match((await page.textContent('#log')) ?? '', /locked on \d+\.\d MHz/);
    await env.screenshot('play-2-swiped');
  });

  it('capture adds a star to the constellation; clicking an orb flies to its artist', async () => {
    const { page } = env;
    const here = await stationName();
    await page.keyboard.press('c');
    await page.waitForFunction((name) => Array.from(document.querySelectorAll('#star-list li')).some((li) => li.textContent === name), here, { timeout: 5000 });
    await page.waitForFunction(() => document.querySelector('#total-stars')?.textContent === '1', undefined, { timeout: 3000 });

    // Find an orb on the canvas the way a user would: hover until the cursor turns into a pointer, then
    // click there. The probing runs inside the page (one evaluate); orbs keep moving, so on a loaded
    // machine the orb may have left the spot before the real click lands: then the user tries again.
    const findOrb = () =>
      page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('#scene')!;
        const r = canvas.getBoundingClientRect();
        for (let y = r.top + 10; y < r.bottom - 10; y += 8) {
          for (let x = r.left + 10; x < r.right - 10; x += 8) {
            canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: y, bubbles: true }));
            if (canvas.style.cursor === 'pointer') return { x, y };
          }
        }
        return null;
      });
    let flying = false;
    for (let attempt = 0; attempt < 4 && !flying; attempt++) {
      const hit = await findOrb();
      assert.ok(hit, 'an orb is drawn somewhere on the scene');
      await page.mouse.click(hit.x, hit.y);
      flying = await page
        .waitForFunction(() => /flying to /.test(document.querySelector('#log')?.textContent ?? ''), undefined, { timeout: 2000 })
        .then(
          () => true,
          () => false,
        );
    }
    assert.ok(flying, 'four clicks on an orb did not start a flight');
    await page.waitForTimeout(350); // mid-transition
    await env.screenshot('play-3-transition');
    await page.waitForFunction((name) => document.querySelector('#station-name')?.textContent?.trim() !== name, here, { timeout: 5000 });
    await page.keyboard.press('c');
    await page.waitForFunction(() => document.querySelectorAll('#star-list li').length === 2, undefined, { timeout: 5000 });
    await page.waitForTimeout(1500); // let the fly-away finish
    // The captures pushed a recommendation list: shown (buttons that tune), not dropped with an SDK warning.
    await page.waitForSelector('#recommendations[data-pushes]', { state: 'attached', timeout: 20_000 });
    await env.screenshot('play-4-constellation');
    assert.deepEqual(env.problems, []);
  });

  it('a reload keeps the constellation: the stars captured before come back on the map and in the list', async () => {
    const { page } = env;
    const before = await page.locator('#star-list li').allTextContents();
    assert.equal(before.length, 2);
    await page.reload();
    await page.waitForSelector('#status.connected', { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('#star-list li').length === 2, undefined, { timeout: 10_000 });
    assert.deepEqual((await page.locator('#star-list li').allTextContents()).sort(), [...before].sort());
    assert.equal(await page.textContent('#total-stars'), '2');
    await env.screenshot('play-5-after-reload');
    assert.deepEqual(env.problems, []);
  });
});
