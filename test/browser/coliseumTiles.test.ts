import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';
import { demoArtworkSvg } from '../../systems/assets/demoArtwork.js';

/** Plays / votes / attendance / revenue tiles on /coliseum, from real ingest, at phone and desktop widths. */
describe('browser: /coliseum Concierto and Treasury tiles', function () {
  this.timeout(90_000);
  let env: BrowserEnv;
  let felaTrack = '';

  before(async () => {
    // The generated poster has no person in it: without ASSET_REVIEW=never it would wait in the review queue.
    env = await startBrowserEnv({ COLISEUM_THROTTLE_MS: '200', ASSET_MIN_SIDE_PX: '256', ASSET_REVIEW: 'never' });
    // A catalog artist with a picture through the asset pipeline, and one of their catalog tracks.
    const png = await sharp(Buffer.from(demoArtworkSvg({ id: 'artist_fela_kuti', name: 'Fela Kuti' }, 512)))
      .png()
      .toBuffer();
    const uploaded = await fetch(`${env.server.baseUrl}/api/admin/artists/artist_fela_kuti/image`, {
      method: 'POST',
      body: new Uint8Array(png),
      headers: { 'content-type': 'image/png', authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(uploaded.status, 201, await uploaded.text());
    [{ id: felaTrack }] = await env.db.sql.query<{ id: string }>(`SELECT id FROM tracks WHERE artist_id = 'artist_fela_kuti' ORDER BY title LIMIT 1`);
    const userId = randomUUID();
    const occurredAt = new Date().toISOString();
    const events = [
      ['player.track_played', { trackId: 't-1', artistId: 'fela' }],
      ['player.track_played', { trackId: 't-2', artistId: 'fela' }],
      ['player.track_played', { trackId: felaTrack, artistId: 'artist_fela_kuti' }],
      ['concierto.event_attended', { eventId: 'evt-lagos' }],
      ['treasury.purchase_completed', { amountCents: 6499, currency: 'usd', artistId: 'fela', eventId: 'evt-lagos' }],
    ] as const;
    // Votes go through the concierto route: one per user, weighted by policy (two voters, two votes).
    const post = (path: string, body: unknown, token: string) =>
      fetch(`${env.server.baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const now = Date.now();
    const created = await post(
      '/api/ops/concierto/events',
      {
        id: 'evt-lagos',
        title: 'Lagos night',
        startsAt: new Date(now - 60_000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        options: [
          { id: 'fela', name: 'Fela Kuti' },
          { id: 'burna', name: 'Burna Boy' },
        ],
      },
      ADMIN_TOKEN,
    );
    assert.equal(created.status, 201, await created.text());
    // Attended and paid for once it exists, as at a venue (a count from before it was created keeps the id's words
    // until the board's next count for it).
    for (const [eventType, payload] of events) {
      const res = await fetch(`${env.server.baseUrl}/api/passport/log`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ eventId: randomUUID(), eventType, userId, occurredAt, payload }),
      });
      assert.equal(res.status, 202, await res.text());
    }
    for (let i = 0; i < 2; i++) {
      const device = (await (
        await fetch(`${env.server.baseUrl}/api/auth/device`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ deviceSecret: randomBytes(32).toString('base64url') }),
        })
      ).json()) as { accessToken: string };
      const voted = await post('/api/concierto/events/evt-lagos/votes', { optionId: 'fela' }, device.accessToken);
      assert.equal(voted.status, 201, await voted.text());
    }
  });

  after(async () => {
    await env?.close();
  });

  for (const width of [1440, 390]) {
    it(`shows the four tiles with their values at ${width} px, without horizontal scroll`, async () => {
      const { page } = env;
      await page.setViewportSize({ width, height: 900 });
      await page.goto('/coliseum?window=day');
      await page.waitForSelector('#status.live', { timeout: 15_000 });
      const tile = (key: string) => `[data-kpi="${key}"] .value`;
      await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '$64.99', tile('revenueToday'), { timeout: 10_000 });
      await page.waitForTimeout(900); // counting animations settle
      const read = async (key: string) => [await page.textContent(tile(key)), await page.textContent(`[data-kpi="${key}"] .unit`)];
      assert.deepEqual(await read('playsToday'), ['3', 'plays']);
      assert.deepEqual(await read('votesToday'), ['2', 'votes']);
      assert.deepEqual(await read('attendanceToday'), ['1', 'attendee']);
      assert.deepEqual(await read('revenueToday'), ['$64.99', 'USD']);
      await env.screenshot(`coliseum-tiles-${width}`);
      const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        wide: Array.from(document.querySelectorAll('body *'))
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 5)
          .map((e) => `${e.tagName}#${e.id}.${e.className}`),
      }));
      assert.ok(scrollWidth <= innerWidth, `scrollWidth ${scrollWidth} > innerWidth ${innerWidth}: ${wide.join(', ')}`);
      assert.deepEqual(env.problems, []);
    });
  }

  it("puts a board behind each counting tile, agreeing with it, each row with its artwork: the catalog's picture, else initials", async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto('/coliseum?window=day');
    await page.waitForSelector('#status.live', { timeout: 15_000 });
    const boards: Record<string, [string, string]> = {
      'artists.plays': ['playsToday', 'fela'],
      'revenue.usd': ['revenueToday', 'fela'],
      'events.attendance': ['attendanceToday', 'evt-lagos'],
      'events.votes': ['votesToday', 'evt-lagos'],
    };
    for (const [board, [kpi, entity]] of Object.entries(boards)) {
      const row = `[data-leaderboard="${board}"] .entry[data-entity="${entity}"]`;
      await page.waitForSelector(row, { state: 'attached', timeout: 10_000 });
      // Every entry of these boards is in the top 10, so the tile's total is the board's sum.
      const sum = await page.evaluate(
        (b) => Array.from(document.querySelectorAll<HTMLElement>(`[data-leaderboard="${b}"] .entry`)).reduce((n, e) => n + Number(e.dataset.score), 0),
        board,
      );
      const tile = await page.evaluate((k) => Number(document.querySelector<HTMLElement>(`[data-kpi="${k}"] .value`)?.dataset.value), kpi);
      assert.equal(sum, tile, `${board} sums to ${sum}, the ${kpi} tile says ${tile}`);
      assert.ok(((await page.textContent(`${row} .art`)) ?? '').trim().length > 0, `${board} row has no artwork`);
      // An open event is named by its title, not its id.
      if (board.startsWith('events.'))
        await page.waitForFunction((sel) => document.querySelector(`${sel} .name`)?.textContent === 'Lagos night', row, { timeout: 5000 });
    }
    // The rotation reaches them: page through until each has been on screen.
    const seen = new Set<string>();
    for (let turn = 0; turn < 8 && seen.size < 4; turn++) {
      const onScreen = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('.leaderboard:not(.off-page)'))
          .filter((b) => !b.hidden)
          .map((b) => b.dataset.leaderboard!),
      );
      for (const id of onScreen) if (id in boards) seen.add(id);
      await env.screenshot(`coliseum-boards-1920-page${turn + 1}`, page, { fullPage: false });
      // → turns the page (a TV remote's arrow), rather than waiting for the 12 s rotation.
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(150);
    }
    assert.deepEqual([...seen].sort(), Object.keys(boards).sort(), 'each counting board comes round in the rotation');
    // Fela Kuti's picture on his row and on his track's (named from the catalog), loaded; an artist the catalog lacks keeps initials.
    for (const row of [
      `[data-leaderboard="artists.plays"] .entry[data-entity="artist_fela_kuti"]`,
      `[data-leaderboard="tracks.plays"] .entry[data-entity="${felaTrack}"]`,
    ]) {
      await page.waitForFunction((sel) => (document.querySelector<HTMLImageElement>(`${sel} .art img`)?.naturalWidth ?? 0) > 0, row, { timeout: 10_000 });
      assert.match((await page.getAttribute(`${row} .art img`, 'src')) ?? '', /^\/api\/artists\/artist_fela_kuti\/image\/thumbnail$/);
    }
    assert.match((await page.textContent(`[data-leaderboard="tracks.plays"] .entry[data-entity="${felaTrack}"] .name`)) ?? '', /Fela Kuti/);
    assert.equal(await page.locator('[data-leaderboard="artists.plays"] .entry[data-entity="fela"] .art img').count(), 0);
    assert.deepEqual(env.problems, []);
  });

  it('draws a sparkline per counted tile from the rollups: 24 hourly points for the day, the current hour holding the plays and the revenue', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1440, height: 900 });
    const spark = (key: string) =>
      page.evaluate((k) => {
        const svg = document.querySelector(`[data-kpi="${k}"] svg.spark`) as SVGElement | null;
        return svg ? { points: Number(svg.dataset.points), max: Number(svg.dataset.max) } : null;
      }, key);
    // The rollup processor folds the passport into coliseum_metrics some time after ingest (seconds on a busy
    // machine): wait for the server's own answer, then load the page, which reads the lines on load.
    const series = async () =>
      ((await (await fetch(`${env.server.baseUrl}/api/coliseum/kpi-series?window=day`)).json()) as { series: Record<string, number[]> }).series;
    for (let i = 0; i < 120; i++) {
      const s = await series();
      if (Math.max(...s.playsToday) === 3 && Math.max(...s.revenueToday) === 6499) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await page.goto('/coliseum?window=day');
    await page.waitForFunction(() => document.querySelectorAll('#kpis svg.spark').length > 0, undefined, { timeout: 10_000 });
    const lines = [await spark('playsToday'), await spark('revenueToday')];
    assert.deepEqual(lines, [
      { points: 24, max: 3 },
      { points: 24, max: 6499 },
    ]);
    assert.equal(await spark('activeSessions'), null, 'a live tile has no line');
    const hour = (await (await fetch(`${env.server.baseUrl}/api/coliseum/kpi-series?window=hour`)).json()) as {
      period: string;
      buckets: string[];
      series: Record<string, number[]>;
    };
    assert.deepEqual([hour.period, hour.buckets.length, hour.series.playsToday.at(-1)], ['hour', 12, 3]);
    assert.equal((await fetch(`${env.server.baseUrl}/api/coliseum/kpi-series?window=year`)).status, 400);
    await env.screenshot('coliseum-sparklines-1440');
    assert.deepEqual(env.problems, []);
  });
});
