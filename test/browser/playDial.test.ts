import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { flick } from './flick.js';
import { startBrowserEnv, type BrowserEnv } from './harness.js';

/** What the dial shows: the frequency under the needle (aria-valuenow) and where its whole-MHz ticks are drawn. */
interface DialReading {
  needle: number;
  /** Pixels a whole-MHz tick sits right of the previous MHz boundary, median over the visible ticks. */
  phase: number;
  pxPerMhz: number;
  ticks: number;
}

/**
 * Reads the tuner canvas the way a person sees it: the whole-MHz ticks are the only marks 15 px above its
 * bottom edge (half-MHz ticks are 11 px tall, tenths 6 px; the needle is skipped). Canvas pixels are device
 * pixels; the test runs at devicePixelRatio 1.
 */
async function readDial(page: Page): Promise<DialReading> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('#dial')!;
    const ctx = canvas.getContext('2d')!;
    const { width, height } = canvas;
    const row = ctx.getImageData(0, height - 15, width, 1).data;
    // Runs of tick-coloured pixels → their centres (no named helpers in here: the page has no __name).
    const xs: number[] = [];
    let runStart = -1;
    for (let x = 0; x <= width; x++) {
      const [r, g, b] = x < width ? [row[4 * x], row[4 * x + 1], row[4 * x + 2]] : [0, 0, 0];
      const tick = Math.abs(x - width / 2) > 8 && b > 60 && r > 40 && g > 30 && b - r > 10; // #6e6a86 (and its antialiased halves) on #14121f
      if (tick && runStart < 0) runStart = x;
      if (!tick && runStart >= 0) {
        xs.push((runStart + x - 1) / 2);
        runStart = -1;
      }
    }
    const pxPerMhz = width / 8;
    const phases = xs.map((x) => ((x % pxPerMhz) + pxPerMhz) % pxPerMhz).sort((a, b) => a - b);
    return { needle: Number(canvas.getAttribute('aria-valuenow')), phase: phases[Math.floor(phases.length / 2)] ?? NaN, pxPerMhz, ticks: xs.length };
  });
}

/** Tick movement between two readings in px, in (−pxPerMhz/2, pxPerMhz/2]: negative = the band moved left. */
function shift(before: DialReading, after: DialReading): number {
  const p = before.pxPerMhz;
  let d = (after.phase - before.phase) % p;
  if (d > p / 2) d -= p;
  if (d <= -p / 2) d += p;
  return d;
}

const frequency = async (page: Page): Promise<number> => Number.parseFloat((await page.textContent('#frequency')) ?? 'NaN');

/**
 * "dragging right shows lower frequencies and then glides to higher ones". On /play in Chromium:
 * while the finger (mouse) is down, the needle moves along the band exactly as far and the same way as the
 * finger (right = up the band, seed 000 step 3; the band's ticks scroll left under the fixed needle), and a
 * release that flicks glides the same way.
 */
describe('browser: /play dial follows the finger (right = up the band)', function () {
  this.timeout(90_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv();
    await env.page.goto('/play');
    await env.page.waitForSelector('#status.connected', { timeout: 15_000 });
    await env.page.waitForSelector('#lock.on', { timeout: 15_000 });
  });
  after(async () => env?.close());

  it('during a drag the needle moves with the finger: right raises the frequency, left lowers it, 1 px of finger = 1 px of band', async () => {
    const { page } = env;
    const box = (await page.locator('#dial').boundingBox())!;
    const y = box.y + box.height / 2;
    const x0 = box.x + box.width / 2;
    const start = await readDial(page);
    const f0 = await frequency(page);
    assert.ok(start.ticks >= 5, `whole-MHz ticks visible: ${JSON.stringify(start)}`);
    assert.ok(Math.abs(start.needle - f0) < 0.06, `needle ${start.needle} vs readout ${f0}`);

    await page.mouse.move(x0, y);
    await page.mouse.down();
    // A slow drag (no flick): 60 px right in 12 steps.
    for (let i = 1; i <= 12; i++) {
      await page.mouse.move(x0 + i * 5, y);
      await page.waitForTimeout(25);
    }
    await page.waitForTimeout(150); // a few frames
    const right = await readDial(page);
    assert.ok(
      Math.abs(right.needle - (f0 + 60 / start.pxPerMhz)) < 0.02,
      `dragged 60 px right: needle ${right.needle}, expected ${f0} + ${(60 / start.pxPerMhz).toFixed(3)}`,
    );
    assert.ok(
      Math.abs(shift(start, right) + 60) <= 2,
      `the band's ticks moved ${shift(start, right).toFixed(1)} px (expected −60: the needle moves +60 px along the band)`,
    );
    assert.ok(right.needle > f0, 'right = up');
    await env.screenshot('play-dial-drag-right');

    // Back past the start: 60 px left of where the finger went down.
    for (let i = 1; i <= 24; i++) {
      await page.mouse.move(x0 + 60 - i * 5, y);
      await page.waitForTimeout(25);
    }
    await page.waitForTimeout(150);
    const left = await readDial(page);
    assert.ok(Math.abs(left.needle - (f0 - 60 / start.pxPerMhz)) < 0.02, `dragged 60 px left: needle ${left.needle}`);
    assert.ok(Math.abs(shift(start, left) - 60) <= 2, `ticks moved ${shift(start, left).toFixed(1)} px (expected +60)`);
    await env.screenshot('play-dial-drag-left');

    // Held still, then released: no flick, the dial stays on its station.
    await page.waitForTimeout(300);
    await page.mouse.up();
    await page.waitForTimeout(300);
    const released = await readDial(page);
    assert.ok(Math.abs(released.needle - f0) < 0.06, `after a drag that stopped, the needle is back on ${f0}: ${released.needle}`);
    assert.ok(Math.abs(shift(start, released)) <= 2);
  });

  it('names every station dot on screen, a phone too (four rows, a narrower stretch of the band, short forms), and a click on a dot tunes to it', async () => {
    const { page } = env;
    for (const width of [1920, 1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(200);
      // The dial counts, as it draws, the dots on screen it found no room to name at all.
      const unnamed = await page.getAttribute('#dial', 'data-unnamed');
      assert.equal(unnamed, '0', `${unnamed} dots without a name at ${width} px`);
    }
    // The band's most crowded stretch (stations 0.2 MHz apart around 96–97.5) on the phone too.
    for (let i = 0; i < 12; i++) {
      const f = await frequency(page);
      if (f >= 96.2 && f <= 97.6) break;
      await page.keyboard.press(f > 97 ? 'ArrowLeft' : 'ArrowRight');
      await page.waitForFunction(
        (was) => Number.parseFloat(document.querySelector('#frequency')?.textContent ?? '') !== was && document.querySelector('#lock.on'),
        f,
        {
          timeout: 8000,
        },
      );
    }
    await page.waitForTimeout(300);
    const crowded = await page.getAttribute('#dial', 'data-unnamed');
    assert.equal(crowded, '0', `${crowded} dots without a name at 390 px around ${await frequency(page)} MHz`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(200);
    // A dot is a button: the next station up, clicked where its dot is drawn (8 MHz across 1280 px).
    const bands = ((await (await fetch(`${env.server.baseUrl}/api/stations`)).json()) as { stations: Array<{ frequency: number }> }).stations
      .map((s) => s.frequency)
      .sort((a, b) => a - b);
    const here = await frequency(page);
    const next = bands.find((f) => f > here + 0.05)!;
    const box = (await page.locator('#dial').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 + (next - here) * (box.width / 8), box.y + 9);
    await page.waitForFunction((f) => document.querySelector('#frequency')?.textContent === `${f.toFixed(1)} MHz` && document.querySelector('#lock.on'), next, {
      timeout: 8000,
    });
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((f) => document.querySelector('#frequency')?.textContent === `${f.toFixed(1)} MHz` && document.querySelector('#lock.on'), here, {
      timeout: 8000,
    });
  });

  it('the arrow keys and the ◀ ▶ buttons step to the neighbouring station, and back', async () => {
    const { page } = env;
    const bands = ((await (await fetch(`${env.server.baseUrl}/api/stations`)).json()) as { stations: Array<{ frequency: number }> }).stations
      .map((s) => s.frequency)
      .sort((a, b) => a - b);
    /** Presses, then waits for the dial to lock somewhere else; returns the frequency it locked on. */
    const press = async (act: () => Promise<void>): Promise<number> => {
      const before = await frequency(page);
      await act();
      await page.waitForFunction(
        (b) => document.querySelector('#lock')?.classList.contains('on') && Number.parseFloat(document.querySelector('#frequency')?.textContent ?? 'NaN') !== b,
        before,
        { timeout: 8000 },
      );
      await page.waitForTimeout(150);
      return frequency(page);
    };
    const start = await frequency(page);
    const i = bands.findIndex((f) => Math.abs(f - start) < 0.05);
    assert.ok(i > 0 && i < bands.length - 1, `a station with neighbours on both sides: ${start} in ${bands.join(', ')}`);
    assert.equal(await press(() => page.keyboard.press('ArrowRight')), bands[i + 1], 'ArrowRight: the next station up');
    assert.equal(await press(() => page.keyboard.press('ArrowLeft')), bands[i], 'ArrowLeft: back where it started');
    assert.equal(await press(() => page.click('#swipe-left')), bands[i - 1], '◀: the next station down');
    assert.equal(await press(() => page.click('#swipe-right')), bands[i], '▶: back again');
  });

  it('a flick glides the way the finger went: right ends higher, left ends lower', async () => {
    const { page } = env;
    const box = (await page.locator('#dial').boundingBox())!;
    const y = box.y + box.height / 2;
    /** A short fast flick (25 px every 16 ms, ≈ 1500 px/s, in the events' own timestamps: flick.ts); a user flicks again when one lands where it left. */
    const flickDial = async (direction: 1 | -1): Promise<number> => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const before = await frequency(page);
        const x0 = box.x + box.width / 2 - direction * 75;
        let preview = 0;
        const afterMove = async (i: number) => {
          if (i === 3) preview = (await readDial(page)).needle;
        };
        await flick(page, { x: x0, y, stepPx: direction * 25, steps: 6, afterMove });
        assert.ok(direction * (preview - before) > 0, `while flicking ${direction > 0 ? 'right' : 'left'} the needle previewed ${preview} from ${before}`);
        const landed = await page
          .waitForFunction(
            (b) =>
              document.querySelector('#lock')?.classList.contains('on') && Number.parseFloat(document.querySelector('#frequency')?.textContent ?? 'NaN') !== b,
            before,
            { timeout: 4000 },
          )
          .then(
            () => true,
            () => false,
          );
        if (landed) return (await frequency(page)) - before;
      }
      throw new Error('three flicks did not move the dial');
    };
    const up = await flickDial(1);
    assert.ok(up > 0, `a right flick moved the dial by ${up.toFixed(1)} MHz`);
    assert.match((await page.textContent('#log')) ?? '', /swipe right at \d+ px\/s/);
    const down = await flickDial(-1);
    assert.ok(down < 0, `a left flick moved the dial by ${down.toFixed(1)} MHz`);
    assert.match((await page.textContent('#log')) ?? '', /swipe left at \d+ px\/s/);
    assert.deepEqual(env.problems, []);
  });
});
