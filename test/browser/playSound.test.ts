import assert from 'node:assert/strict';
import { startBrowserEnv, type BrowserEnv } from './harness.js';

/** /play's optional sound: off by default (no AudioContext at all), a toggle that is kept across reloads, a tone per station when on. */
describe('browser: /play sound is optional and muted by default', function () {
  this.timeout(90_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv();
    // Counts AudioContexts the page creates and the oscillator frequencies it starts.
    await env.page.addInitScript(() => {
      const w = window as unknown as { __audio: { contexts: number; tones: number[] } };
      w.__audio = { contexts: 0, tones: [] };
      const Original = window.AudioContext;
      window.AudioContext = class extends Original {
        constructor(options?: AudioContextOptions) {
          super(options);
          w.__audio.contexts++;
          const create = this.createOscillator.bind(this);
          this.createOscillator = () => {
            const osc = create();
            const start = osc.start.bind(osc);
            osc.start = (when?: number) => {
              w.__audio.tones.push(Math.round(osc.frequency.value));
              start(when);
            };
            return osc;
          };
        }
      };
    });
  });
  after(async () => env?.close());

  const audio = () => env.page.evaluate(() => (window as unknown as { __audio: { contexts: number; tones: number[] } }).__audio);

  it('starts muted: the toggle says so and the page creates no AudioContext while tuning', async () => {
    const { page } = env;
    await page.goto('/play');
    await page.waitForSelector('#lock.on', { timeout: 15_000 });
    assert.equal(await page.getAttribute('#sound', 'aria-pressed'), 'false');
    assert.equal(await page.getAttribute('body', 'data-sound'), 'off');
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(1500);
    assert.equal((await audio()).contexts, 0);
  });

  it('the toggle turns it on with the tone of the station, and a reload keeps the choice', async () => {
    const { page } = env;
    await page.click('#sound');
    assert.equal(await page.getAttribute('#sound', 'aria-pressed'), 'true');
    const freq = Number.parseFloat((await page.textContent('#frequency')) ?? 'NaN');
    const on = await audio();
    assert.equal(on.contexts, 1);
    assert.deepEqual(on.tones, [Math.round(110 * 2 ** ((freq - 88) / 12))], `the tone of ${freq} MHz`);
    await page.reload();
    await page.waitForSelector('#lock.on', { timeout: 15_000 });
    assert.equal(await page.getAttribute('#sound', 'aria-pressed'), 'true');
    await page.click('#sound');
    assert.equal(await page.evaluate(() => localStorage.getItem('ds.play.sound')), 'off');
    assert.deepEqual(env.problems, []);
  });

  it('tuning again or muting while a tone still fades in replaces the fade instead of throwing', async () => {
    const { page } = env;
    const frequency = () => page.textContent('#frequency');
    const nextStation = async () => {
      const before = await frequency();
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((was) => document.querySelector('#frequency')?.textContent !== was, before, { timeout: 15_000 });
    };
    await page.click('#sound');
    assert.equal(await page.getAttribute('body', 'data-sound'), 'on');
    // Each arrival fades its tone in 0.5–0.8 s later: a second arrival 0.3 s on fades that voice out over the same span.
    await nextStation();
    await page.waitForTimeout(300);
    await nextStation();
    // Muting 0.4 s after an arrival fades out over 0.4–0.6 s, inside the new tone's fade-in.
    await page.waitForTimeout(400);
    await page.click('#sound');
    await page.waitForTimeout(1000);
    assert.equal(await page.getAttribute('body', 'data-sound'), 'off');
    assert.ok((await audio()).tones.length >= 2, 'both arrivals started a tone');
    assert.deepEqual(env.problems, []);
  });
});
