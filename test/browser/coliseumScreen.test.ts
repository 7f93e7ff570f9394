import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

/** Twelve artists with long names: every default board gets ten rows, and names are long enough to need wrapping. */
const ARTISTS = Array.from({ length: 12 }, (_, i) => ({ id: `artist-${i}`, name: `Miriam Makeba and the Grand Orchestra of Sound No. ${i + 1}` }));

function events(): unknown[] {
  const userId = randomUUID();
  const occurredAt = new Date().toISOString();
  const out: unknown[] = [];
  const push = (eventType: string, payload: Record<string, unknown>) => out.push({ eventId: randomUUID(), eventType, userId, occurredAt, payload });
  ARTISTS.forEach((a, i) => {
    for (let n = 0; n <= i; n++)
      push('station.visited', { artistId: a.id, artistName: a.name, frequency: 90 + i, method: 'swipe', city: `Johannesburg district ${i}` });
    push('constellation.captured', { artistId: a.id, artistName: a.name, position: { x: i, y: 0, z: 0 } });
    push('orb.tapped', { fromArtistId: a.id, toArtistId: ARTISTS[(i + 1) % ARTISTS.length].id });
  });
  return out;
}

/** /coliseum as a TV (one screen, no scroll) and as a phone (boards first, no horizontal scroll). */
describe('browser: /coliseum fits the screen', function () {
  this.timeout(90_000);
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv({ COLISEUM_THROTTLE_MS: '200' });
    const res = await fetch(`${env.server.baseUrl}/api/passport/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: events() }),
    });
    assert.equal(res.status, 202, await res.text());
  });

  after(async () => {
    await env?.close();
  });

  async function open(width: number, height: number, window = 'day'): Promise<void> {
    await env.page.setViewportSize({ width, height });
    await env.page.goto(`/coliseum?window=${window}`);
    await env.page.waitForSelector('#status.live', { timeout: 15_000 });
    await env.page.waitForFunction(() => document.querySelectorAll('[data-leaderboard="artists.visits"] li[data-entity]').length === 10, undefined, {
      timeout: 10_000,
    });
    // Every board with data has its rows (a TV leaves a board out of the rotation while it is empty).
    await env.page.waitForFunction(
      () => ['artists.captures', 'orbs.transitions'].every((b) => document.querySelector(`[data-leaderboard="${b}"] li[data-entity]`)),
      undefined,
      { timeout: 10_000 },
    );
    await env.page.waitForTimeout(900); // counting animations settle
  }

  for (const [width, height] of [
    [1920, 1080],
    [1440, 900],
  ]) {
    it(`fits ${width}×${height} without scrolling: tiles in one row, boards paged`, async () => {
      await open(width, height);
      const page = env.page;
      const m = await page.evaluate(() => ({
        scrollHeight: document.documentElement.scrollHeight,
        scrollWidth: document.documentElement.scrollWidth,
        tileTops: [...new Set(Array.from(document.querySelectorAll('.kpi')).map((t) => Math.round(t.getBoundingClientRect().top)))],
        // A tile's figure stays inside it (a "$0.00 USD" once ran past the border at 1440).
        tileOverflow: Array.from(document.querySelectorAll<HTMLElement>('.kpi'))
          .filter((t) => t.scrollWidth > t.clientWidth + 1)
          .map((t) => t.dataset.kpi),
        shown: Array.from(document.querySelectorAll<HTMLElement>('[data-leaderboard]'))
          .filter((b) => b.offsetParent !== null)
          .map((b) => b.dataset.leaderboard),
        pages: Number(document.querySelector<HTMLElement>('#leaderboards')?.dataset.pages),
      }));
      // No row is cut by its board's lower edge, on any page: each shown board holds all its rows whole.
      const clipped = () =>
        page.$$eval('[data-leaderboard]', (bs) =>
          bs
            .filter((b) => (b as HTMLElement).offsetParent !== null)
            .flatMap((b) => {
              const bottom = b.getBoundingClientRect().bottom;
              const rows = Array.from(b.querySelectorAll('.entry'));
              const cut = rows.filter((r) => r.getBoundingClientRect().bottom > bottom || getComputedStyle(r).visibility === 'hidden');
              return cut.length ? [`${b.getAttribute('data-leaderboard')}: ${cut.length} of ${rows.length} rows cut`] : [];
            }),
        );
      await env.screenshot(`coliseum-tv-${width}`);
      assert.ok(m.scrollHeight <= height, `scrollHeight ${m.scrollHeight} > ${height}`);
      assert.ok(m.scrollWidth <= width, `scrollWidth ${m.scrollWidth} > ${width}`);
      assert.equal(m.tileTops.length, 1, `tiles on ${m.tileTops.length} rows`);
      assert.deepEqual(m.tileOverflow, []);
      assert.ok(m.shown.length >= 1);
      assert.deepEqual(await clipped(), []);
      // Every board is reachable: the pages together show the four boards with data (trending is hidden, see below).
      const seen = new Set(m.shown);
      for (let i = 1; i < m.pages; i++) {
        // → turns the page as a TV remote does (the 12 s rotation does the same, slower).
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction((n) => document.querySelector<HTMLElement>('#leaderboards')?.dataset.page === String(n), i + 1, { timeout: 15_000 });
        for (const b of await page.$$eval('[data-leaderboard]', (bs) =>
          bs.filter((b) => (b as HTMLElement).offsetParent !== null).map((b) => b.getAttribute('data-leaderboard')),
        ))
          seen.add(b!);
        assert.deepEqual(await clipped(), [], `page ${i + 1}`);
        await env.screenshot(`coliseum-tv-${width}-page${i + 1}`);
        assert.ok((await page.evaluate(() => document.documentElement.scrollHeight)) <= height);
      }
      // A TV rotates the boards with rows: every one of them is seen (an empty board is left out of the rotation).
      const withRows = await page.$$eval('[data-leaderboard]', (bs) =>
        bs.filter((b) => !(b as HTMLElement).hidden && b.querySelector('li[data-entity]')).map((b) => b.getAttribute('data-leaderboard')!),
      );
      assert.deepEqual([...seen].sort(), withRows.sort());
      for (const b of ['artists.captures', 'artists.visits', 'orbs.transitions']) assert.ok(seen.has(b), `${b} shown`);
      assert.deepEqual(env.problems, []);
    });
  }

  it("titles the jumbotron in seed 004's Cinzel, served from this server (no third-party font request)", async () => {
    await open(1440, 900);
    const font = await env.page.evaluate(async () => {
      await document.fonts.ready;
      let faces = 0;
      document.fonts.forEach((f) => (faces += f.family.replace(/"/g, '') === 'Cinzel' && f.status === 'loaded' ? 1 : 0));
      return { loaded: document.fonts.check('700 30px Cinzel'), family: getComputedStyle(document.querySelector('.jumbotron h1')!).fontFamily, faces };
    });
    assert.match(font.family, /^Cinzel/);
    assert.ok(font.loaded && font.faces >= 1, JSON.stringify(font));
    const urls = await env.page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((r) => r.name)
        .filter((u) => /\.woff2?$/.test(u)),
    );
    assert.ok(urls.length >= 1 && urls.every((u) => u.startsWith(env.server.baseUrl)), urls.join());
  });

  it('hides "Trending artists" while there is no previous window, and never cuts a name with "…"', async () => {
    await open(1920, 1080);
    assert.equal(await env.page.$eval('[data-leaderboard="artists.trending"]', (b) => (b as HTMLElement).hidden), true);
    const names = await env.page.$$eval('[data-leaderboard="artists.visits"] .name', (ns) =>
      ns.map((n) => ({ text: n.textContent, cut: n.scrollWidth > n.clientWidth + 1, overflow: getComputedStyle(n).textOverflow })),
    );
    assert.ok(
      names.some((n) => n.text === ARTISTS[11].name),
      JSON.stringify(names[0]),
    );
    for (const n of names) assert.ok(!n.cut && n.overflow !== 'ellipsis', `${n.text} is cut`);
  });

  it('labels the counted tiles with the selected window and counts that window', async () => {
    // Live counts (spectators) are read on the broadcaster's refresh ticks: the viewer who just opened the page
    // (and the one the previous test closed) are counted at the next one, so the tile is waited for.
    const read = async () => {
      await env.page.waitForSelector('[data-kpi="spectators"] .label', { timeout: 10_000 });
      return env.page.$$eval('[data-kpi="visitsToday"] .label, [data-kpi="visitsToday"] .value, [data-kpi="spectators"] .label', (ns) =>
        ns.map((n) => n.textContent),
      );
    };
    await open(1920, 1080, 'hour');
    assert.deepEqual(await read(), ['Station visits this hour', '78', 'Spectators']);
    await open(1920, 1080, 'week');
    assert.deepEqual(await read(), ['Station visits this week', '78', 'Spectators']);
  });

  it('on a 390 px phone leads with the headline figures, then the boards with rows (no empty board), without horizontal scroll', async () => {
    await open(390, 844);
    const m = await env.page.evaluate(() => ({
      firstBoard: document.querySelector('[data-leaderboard]:not([hidden])')!.getBoundingClientRect().top,
      firstTile: document.querySelector('.kpi')!.getBoundingClientRect().top,
      scrollWidth: document.documentElement.scrollWidth,
      empty: Array.from(document.querySelectorAll<HTMLElement>('[data-leaderboard]'))
        .filter((b) => b.offsetParent !== null && !b.querySelector('.entry'))
        .map((b) => b.dataset.leaderboard),
    }));
    await env.screenshot('coliseum-phone-390');
    assert.ok(m.firstTile < m.firstBoard && m.firstTile < 844, `first tile at ${m.firstTile}, first board at ${m.firstBoard}`);
    assert.deepEqual(m.empty, [], 'an empty board is shown');
    assert.ok(m.scrollWidth <= 390, `scrollWidth ${m.scrollWidth}`);
  });
});
