import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

/** Names a TV must show whole: long, and one with no space to break at. */
const LONG_NAMES = [
  'Orchestra Baobab de Dakar et ses Amis du Monde Entier',
  'King Sunny Adé and His African Beats (Live at the Shrine)',
  'Ladysmith_Black_Mambazo_Homeless_Extended',
  'Fela Kuti',
];

/** /coliseum on a TV: figures never cut, nothing scrolls, rows readable from 3 m, "new" only when it is. */
describe('browser: /coliseum on a TV', function () {
  this.timeout(90_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv({ COLISEUM_THROTTLE_MS: '200' });
    // The test's transpiler names arrow functions through a helper the page lacks.
    await env.page.addInitScript('window.__name = (f) => f');
    const userId = randomUUID();
    const occurredAt = new Date().toISOString();
    const events: Array<[string, Record<string, unknown>]> = [
      ['treasury.purchase_completed', { amountCents: 123_456_789, currency: 'usd', artistId: 'artist_fela' }],
    ];
    LONG_NAMES.forEach((name, i) => {
      for (let k = 0; k <= i; k++) events.push(['station.visited', { artistId: `artist_long_${i}`, artistName: name, frequency: 99.9, method: 'swipe' }]);
    });
    for (let i = 0; i < 9; i++)
      events.push(['station.visited', { artistId: `artist_more_${i}`, artistName: `Another Artist Number ${i}`, frequency: 99.9, method: 'swipe' }]);
    for (const [eventType, payload] of events) {
      const res = await fetch(`${env.server.baseUrl}/api/passport/log`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ eventId: randomUUID(), eventType, userId, occurredAt, payload }),
      });
      assert.equal(res.status, 202, await res.text());
    }
  });
  after(async () => env?.close());

  for (const [width, height] of [
    [1920, 1080],
    [1440, 900],
    [1280, 720],
  ]) {
    it(`at ${width}×${height}: $1,234,567.89 whole, no scroll, whole rows${width === 1920 ? ' of 28 px' : ''}, no "new" on a first window`, async () => {
      const { page } = env;
      await page.setViewportSize({ width, height });
      await page.goto('/coliseum?window=day');
      await page.waitForSelector('#status.live', { timeout: 15_000 });
      await page.waitForFunction(() => document.querySelector('[data-kpi="revenueToday"] .value')?.textContent === '$1,234,567.89', null, { timeout: 15_000 });
      await page.waitForFunction(() => document.querySelectorAll('[data-leaderboard="artists.visits"] .entry').length >= 10, null, { timeout: 15_000 });
      await page.waitForTimeout(900); // counting animations settle
      const m = await page.evaluate(() => {
        const box = (e: Element) => e.getBoundingClientRect();
        const cut = Array.from(document.querySelectorAll<HTMLElement>('.kpi')).flatMap((tile) => {
          const t = box(tile);
          return Array.from(tile.querySelectorAll<HTMLElement>('.value, .unit'))
            .filter((e) => e.scrollWidth > e.clientWidth + 1 || box(e).right > t.right - 4 || box(e).left < t.left)
            .map((e) => `${tile.dataset.kpi}: ${e.textContent}`);
        });
        const rows = Array.from(document.querySelectorAll<HTMLElement>('.leaderboard:not(.off-page) .entry:not(.below-fold)')).filter(
          (r) => r.offsetParent !== null,
        );
        const outside = rows.filter((r) => {
          const b = box(r.closest('.leaderboard')!);
          return box(r).bottom > b.bottom + 0.5 || box(r).right > b.right + 0.5;
        });
        return {
          scrollWidth: document.documentElement.scrollWidth,
          scrollHeight: document.documentElement.scrollHeight,
          cut,
          rows: rows.length,
          outside: outside.map((r) => r.textContent),
          nameFont: Math.min(...rows.map((r) => parseFloat(getComputedStyle(r.querySelector('.name')!).fontSize))),
          rowHeight: Math.min(...rows.map((r) => box(r).height)),
          marked: rows.filter((r) => /trend-new/.test(r.className) || r.querySelector('.change')?.textContent === 'new').length,
          names: rows.map((r) => r.querySelector('.name')?.textContent ?? ''),
          // How far down the screen the page's boards reach (a page of short boards used to leave a quarter empty).
          foot: Math.max(...Array.from(document.querySelectorAll<HTMLElement>('.leaderboard:not(.off-page)')).map((b) => box(b).bottom)) / innerHeight,
          tiles: Array.from(document.querySelectorAll<HTMLElement>('.kpi')).map(
            (t) => `${t.dataset.kpi}=${t.querySelector<HTMLElement>('.value')!.dataset.value}`,
          ),
          // The smallest text a viewer can see: every text on screen, at the size it is drawn (hidden and faded-out text aside).
          smallest: (() => {
            let least = { px: Infinity, text: '' };
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              const parent = node.parentElement!;
              const r = box(parent);
              if (!node.textContent?.trim() || r.width === 0 || r.bottom < 0 || r.top > innerHeight) continue;
              let seen = true;
              for (let e: Element | null = parent; e; e = e.parentElement) {
                const cs = getComputedStyle(e);
                if (cs.visibility === 'hidden' || cs.display === 'none' || Number(cs.opacity) === 0) seen = false;
              }
              const px = parseFloat(getComputedStyle(parent).fontSize);
              if (seen && px < least.px) least = { px, text: node.textContent.trim().slice(0, 40) };
            }
            return least;
          })(),
        };
      });
      await env.screenshot(`coliseum-${width}x${height}`, page, { fullPage: false });
      assert.deepEqual(m.cut, [], 'a figure is cut');
      assert.ok(m.scrollWidth <= width, `scrolls sideways: ${m.scrollWidth} > ${width}`);
      assert.ok(m.scrollHeight <= height, `scrolls down: ${m.scrollHeight} > ${height}`);
      assert.ok(m.rows >= 5, `only ${m.rows} rows on screen`);
      assert.ok(m.foot >= 0.9, `the boards end ${Math.round((1 - m.foot) * 100)} % above the foot of the screen`);
      assert.deepEqual(m.outside, [], 'rows cut by their board');
      for (const name of LONG_NAMES) assert.ok(m.names.includes(name), `${name} shown whole: ${m.names.join(' | ')}`);
      if (width === 1920) assert.ok(m.nameFont >= 28 && m.rowHeight >= 28, `rows ${m.nameFont} px font, ${m.rowHeight} px high`);
      // Across a room: six figures at most, none of them a zero, and at 1080p no text under 24 px.
      assert.ok(m.tiles.length >= 1 && m.tiles.length <= 6, `tiles: ${m.tiles.join(', ')}`);
      assert.deepEqual(
        m.tiles.filter((t) => /=0?$/.test(t)),
        [],
        'a tile with no data is shown',
      );
      if (width === 1920) assert.ok(m.smallest.px >= 24, `"${m.smallest.text}" is ${m.smallest.px} px at 1080p`);
      // The page indicator (shown when the boards take more than one page) at the size of the rest of the screen's text.
      const pagePx = await page.$eval('#page', (e) => parseFloat(getComputedStyle(e).fontSize));
      assert.ok(pagePx >= (width === 1920 ? 24 : 18), `page indicator ${pagePx} px`);
      assert.equal(m.marked, 0, 'every entry is new in a first window: none is marked');
      assert.doesNotMatch(env.server.output(), /buffer overflow/, 'the spectator join grew no encode buffer');
      assert.deepEqual(env.problems, []);
    });
  }

  it('on a 390 px phone: $1,234,567.89 whole in its tile and on its board row, long names whole, no sideways scroll', async () => {
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, baseURL: env.server.baseUrl });
    const page = await context.newPage();
    try {
      await page.addInitScript('window.__name = (f) => f');
      await page.goto('/coliseum?window=day');
      await page.waitForSelector('#status.live', { timeout: 15_000 });
      await page.waitForFunction(() => document.querySelector('[data-kpi="revenueToday"] .value')?.textContent === '$1,234,567.89', null, { timeout: 15_000 });
      await page.waitForFunction(
        () => /1,234,567\.89/.test(document.querySelector('[data-leaderboard="revenue.usd"] .entry .score')?.textContent ?? ''),
        null,
        {
          timeout: 15_000,
        },
      );
      await page.waitForTimeout(900);
      const m = await page.evaluate(() => {
        const box = (e: Element) => e.getBoundingClientRect();
        const outside = (inner: Element, outer: Element) => box(inner).right > box(outer).right + 0.5 || box(inner).left < box(outer).left - 0.5;
        return {
          // A phone widens its layout to content that does not fit: innerWidth grows past 390.
          innerWidth,
          scrollWidth: document.documentElement.scrollWidth,
          cutTiles: Array.from(document.querySelectorAll<HTMLElement>('.kpi .value, .kpi .unit'))
            .filter((e) => outside(e, e.closest('.kpi')!))
            .map((e) => e.textContent),
          cutRows: Array.from(document.querySelectorAll<HTMLElement>('.entry > *'))
            .filter((e) => outside(e, e.closest('.entry')!))
            .map((e) => e.textContent),
          names: Array.from(document.querySelectorAll('.entry .name')).map((e) => e.textContent ?? ''),
        };
      });
      await env.screenshot('coliseum-390-long-figures', page);
      assert.equal(m.innerWidth, 390, 'the phone kept its width');
      const pagePx = await page.$eval('#page', (e) => parseFloat(getComputedStyle(e).fontSize));
      assert.ok(pagePx >= 18, `page indicator ${pagePx} px on a phone`);
      assert.ok(m.scrollWidth <= 390, `scrolls sideways: ${m.scrollWidth}`);
      assert.deepEqual(m.cutTiles, [], 'a tile figure leaves its tile');
      assert.deepEqual(m.cutRows, [], 'a row field leaves its row');
      for (const name of LONG_NAMES) assert.ok(m.names.includes(name), `${name} shown whole`);
    } finally {
      await context.close();
    }
  });

  it('a new #1 is a moment on the TV: a card names the leader and whom it overtook, its row glows; none on the first state; still under reduced motion', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1920, height: 1080 }, baseURL: env.server.baseUrl });
    const page = await context.newPage();
    const visits = async (artistId: string, artistName: string, n: number) => {
      const userId = randomUUID();
      const events = Array.from({ length: n }, () => ({
        eventId: randomUUID(),
        eventType: 'station.visited',
        userId,
        occurredAt: new Date().toISOString(),
        payload: { artistId, artistName, frequency: 99.9, method: 'swipe' },
      }));
      const res = await fetch(`${env.server.baseUrl}/api/passport/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      assert.equal(res.status, 202, await res.text());
    };
    const leader = () => page.textContent('[data-leaderboard="artists.visits"] li[data-rank="1"] .name');
    try {
      await page.addInitScript('window.__name = (f) => f');
      // The glow lasts 3 s and a later rescore may replace it: the page records each row that starts to glow, so a
      // slow poll from a loaded box cannot miss it.
      await page.addInitScript(() => {
        const glows: string[] = ((window as unknown as { glows: string[] }).glows = []);
        new MutationObserver((changes) => {
          for (const c of changes) {
            const li = c.target as HTMLElement;
            if (li.classList?.contains('flash-leader') && !(c.oldValue ?? '').includes('flash-leader'))
              glows.push(`${li.closest('[data-leaderboard]')?.getAttribute('data-leaderboard')}#${li.dataset.rank}:${li.querySelector('.name')?.textContent}`);
          }
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['class'], attributeOldValue: true });
      });
      await page.goto('/coliseum?window=day');
      await page.waitForSelector('[data-leaderboard="artists.visits"] li[data-rank="1"]', { timeout: 15_000 });
      await page.waitForTimeout(600);
      // Opening the page is no moment, and no row flashes as if it had just arrived.
      assert.equal(await page.getAttribute('body', 'data-moments'), null);
      assert.equal(await page.locator('.entry.flash-new, .entry.flash-leader').count(), 0);
      const before = (await leader())?.trim();

      await visits('artist_hero_1', 'Tiwa Savage and the Lagos Night Choir', 30);
      await page.waitForSelector('#hero:not([hidden])', { timeout: 10_000 });
      assert.match((await page.textContent('#hero .kicker')) ?? '', /^New #1 · /);
      assert.equal(await page.textContent('#hero .hero-name'), 'Tiwa Savage and the Lagos Night Choir');
      assert.match((await page.textContent('#hero .detail')) ?? '', new RegExp(`takes the lead from ${before}`));
      assert.equal(await page.getAttribute('#hero', 'data-board'), 'artists.visits');
      // The card and the row's glow come from the same state.
      const glows = await page.evaluate(() => (window as unknown as { glows: string[] }).glows);
      assert.ok(glows.includes('artists.visits#1:Tiwa Savage and the Lagos Night Choir'), JSON.stringify(glows));
      await page.waitForTimeout(700);
      await env.screenshot('coliseum-new-leader-1920', page, { fullPage: false });
      const card = (await page.locator('#hero .hero-card').boundingBox())!;
      assert.ok(card.x >= 0 && card.x + card.width <= 1920 && card.y >= 0 && card.y + card.height <= 1080, JSON.stringify(card));
      assert.notEqual(await page.$eval('#hero .hero-card', (c) => getComputedStyle(c).animationName), 'none');

      await page.emulateMedia({ reducedMotion: 'reduce' });
      await visits('artist_hero_2', 'Fela Anikulapo Kuti and Africa 70', 60);
      await page.waitForFunction(() => document.querySelector('#hero .hero-name')?.textContent === 'Fela Anikulapo Kuti and Africa 70', undefined, {
        timeout: 15_000,
      });
      assert.equal(await page.$eval('#hero .hero-card', (c) => getComputedStyle(c).animationName), 'none', 'no movement under reduced motion');
      assert.equal(await page.getAttribute('body', 'data-moments'), '2');
      assert.deepEqual(env.problems, []);
    } finally {
      await context.close();
    }
  });

  it("a moment's board keeps its page for a whole turn: a rotation due a moment later does not take it away under the card", async () => {
    // 1280×720: the boards take more than one page, so the pager rotates them.
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 }, baseURL: env.server.baseUrl });
    const page = await context.newPage();
    try {
      await page.addInitScript('window.__name = (f) => f');
      await page.clock.install();
      await page.goto('/coliseum?window=day');
      await page.waitForSelector('[data-leaderboard="artists.visits"] li[data-rank="1"]', { timeout: 15_000 });
      assert.ok(Number(await page.getAttribute('#leaderboards', 'data-pages')) > 1, 'the boards rotate');
      // The rotation's 12 s started at page load: the next turn is due a few seconds after the moment.
      await page.clock.runFor(8_000);
      const events = Array.from({ length: 120 }, () => ({
        eventId: randomUUID(),
        eventType: 'station.visited',
        userId: randomUUID(),
        occurredAt: new Date().toISOString(),
        payload: { artistId: 'artist_turn', artistName: 'Angélique Kidjo', frequency: 99.9, method: 'swipe' },
      }));
      const res = await fetch(`${env.server.baseUrl}/api/passport/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      assert.equal(res.status, 202, await res.text());
      await page.waitForFunction(() => document.querySelector('#hero .hero-name')?.textContent === 'Angélique Kidjo', undefined, { timeout: 15_000 });
      const board = page.locator('[data-leaderboard="artists.visits"]');
      assert.equal(await board.getAttribute('class').then((c) => c?.includes('off-page')), false, 'the card turned to its board');
      // The moment starts the page's turn again.
      await page.clock.runFor(11_000);
      assert.equal(await board.getAttribute('class').then((c) => c?.includes('off-page')), false, 'the board stayed on screen');
      await page.clock.runFor(2_000);
      assert.equal(await board.getAttribute('class').then((c) => c?.includes('off-page')), true, 'then the pages rotate again');
    } finally {
      await context.close();
    }
  });

  it('figures that freeze (the server stalls with the connection open) say so across the screen, and the banner goes when they are live again', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1920, height: 1080 }, baseURL: env.server.baseUrl });
    const page = await context.newPage();
    try {
      await page.goto('/coliseum?window=day');
      await page.waitForSelector('#status.live', { timeout: 15_000 });
      await page.waitForSelector('.kpi', { timeout: 15_000 });
      assert.equal(await page.isHidden('#paused'), true, 'live figures: no banner');
      env.server.proc.kill('SIGSTOP');
      try {
        await page.waitForSelector('#paused:not([hidden])', { timeout: 20_000 });
        const banner = await page.evaluate(() => {
          const b = document.querySelector<HTMLElement>('#paused')!;
          const r = b.getBoundingClientRect();
          return { text: b.innerText, width: r.width, height: r.height, px: parseFloat(getComputedStyle(b.querySelector('strong')!).fontSize) };
        });
        assert.match(banner.text, /Paused — reconnecting/);
        assert.match(banner.text, /Figures as of \d\d:\d\d:\d\d/);
        assert.ok(banner.width >= 1900 && banner.px >= 36, `a banner the room cannot miss: ${JSON.stringify(banner)}`);
        assert.ok((await page.locator('.kpi').count()) > 0, 'the last figures stay on screen');
        await env.screenshot('coliseum-frozen-1920', page, { fullPage: false });
      } finally {
        env.server.proc.kill('SIGCONT');
      }
      await page.waitForSelector('#paused', { state: 'hidden', timeout: 20_000 });
    } finally {
      await context.close();
    }
  });
});
