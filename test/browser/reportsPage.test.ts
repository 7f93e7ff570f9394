import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { bearer, postJson, signIn } from '../support/auth.js';
import { pdfText } from '../support/pdfText.js';
import { ADMIN_TOKEN, startBrowserEnv, type BrowserEnv } from './harness.js';

const GROUPS = [
  { genres: ['Afrobeats', 'Highlife'], users: 6 },
  { genres: ['Jazz Fusion'], users: 4 },
  { genres: ['Indie R&B'], users: 3 },
];

describe('browser: /coliseum/reports/:id (Coliseum report page)', function () {
  this.timeout(120_000);
  let env: BrowserEnv;
  let shareUrl = '';
  let reportId = '';
  let firstFan = '';

  before(async () => {
    env = await startBrowserEnv({ JOB_CRON_DNA_MIRRORING: 'off' });
    const base = env.server.baseUrl;
    for (const [g, group] of GROUPS.entries()) {
      for (let i = 0; i < group.users; i++) {
        const user = await signIn(base);
        firstFan ||= user.userId;
        const put = await fetch(`${base}/api/mediaid/me`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', ...bearer(user.accessToken) },
          body: JSON.stringify({ displayName: `Fan ${g}-${i}`, genrePreferences: group.genres, interests: g === 0 ? ['Dancing'] : ['Vinyl'] }),
        });
        assert.equal(put.status, 200);
        for (let k = 0; k <= i % 3; k++) {
          await env.db.sql.query(
            `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, 'player.track_played', 'player', ?::uuid, now() - (? * interval '1 hour'), now(), ?::jsonb, 'http')`,
            [randomUUID(), user.userId, 2 + 20 * k + i, JSON.stringify({ trackId: `t${k}`, artistId: 'artist_wizkid' })],
          );
        }
        // One big spender: the revenue reads $1,234,567.89 in all, a figure that must stay whole on a phone.
        if (g === 1 && i === 0)
          await env.db.sql.query(
            `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, 'treasury.purchase_completed', 'treasury', ?::uuid, now() - interval '3 hours', now(), ?::jsonb, 'http')`,
            [randomUUID(), user.userId, JSON.stringify({ amountCents: 123_456_789 - 7500, currency: 'USD', reason: 'sponsorship', artistId: 'artist_wizkid' })],
          );
        if (g === 0) {
          await env.db.sql.query(
            `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, 'treasury.purchase_completed', 'treasury', ?::uuid, now() - interval '3 hours', now(), ?::jsonb, 'http')`,
            [randomUUID(), user.userId, JSON.stringify({ amountCents: 1250, currency: 'USD', reason: 'ticket', artistId: 'artist_wizkid' })],
          );
        }
      }
    }
    // Seed 004's rollup figures and seed 003's money earned, all by a fan already in the audience: 8 completed
    // plays of the 25, a share link with 2 opens, and a $50.00 payout to the artist.
    const log = (type: string, payload: object) =>
      env.db.sql.query(
        `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, ?, ?, ?::uuid, now() - interval '2 hours', now(), ?::jsonb, 'http')`,
        [randomUUID(), type, type.split('.')[0], firstFan, JSON.stringify(payload)],
      );
    for (let k = 0; k < 8; k++) await log('player.track_completed', { trackId: `t${k % 3}`, artistId: 'artist_wizkid' });
    const link = { linkId: 'wizkidLinkAAAAAAAAAAAA', targetType: 'artist', artistId: 'artist_wizkid' };
    await log('social.link_shared', link);
    for (let k = 0; k < 2; k++) await log('social.link_opened', link);
    await log('treasury.money_earned', { amountCents: 5000, currency: 'usd', artistId: 'artist_wizkid' });
    const run = await fetch(`${base}/api/ops/jobs/dna_mirroring/run`, { method: 'POST', headers: bearer(ADMIN_TOKEN) });
    assert.equal(run.status, 202);
    for (let i = 0; i < 50; i++) {
      const [row] = await env.db.sql.query<{ outcome: string }>(`SELECT outcome FROM job_logs WHERE job_name = 'dna_mirroring' ORDER BY id DESC LIMIT 1`);
      if (row?.outcome === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // The leaderboard position comes from the rollups: wait for the server's rollup processor (1 s poll).
    for (let i = 0; i < 50; i++) {
      const [row] = await env.db.sql.query<{ v: string }>(
        `SELECT value::text AS v FROM coliseum_metrics WHERE entity_type = 'artist' AND entity_id = 'artist_wizkid' AND metric = 'plays' AND period = 'all'`,
      );
      if (Number(row?.v ?? 0) >= 25) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const made = await postJson(base, '/api/reports', { type: 'artist', entityId: 'artist_wizkid', range: '7d' }, bearer(ADMIN_TOKEN));
    assert.equal(made.status, 201, JSON.stringify(made.body));
    reportId = made.body.id;
    shareUrl = made.body.share.url;
  });

  after(async () => {
    await env?.close();
  });

  for (const width of [390, 1440, 1920]) {
    it(`shows metrics, leaderboard, trend and DNA insights without horizontal scrolling at ${width} px`, async () => {
      const { page } = env;
      await page.setViewportSize({ width, height: 900 });
      await page.goto(shareUrl);
      await page.waitForSelector('#dna #clusters tbody tr', { timeout: 15_000 });
      const text = await page.textContent('#dna');
      assert.match(text ?? '', /13 unique listeners analysed/);
      assert.match(text ?? '', /average DNA match/);
      const clusters = await page.$$eval('#clusters tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
      assert.equal(clusters.length, 3, clusters.join());
      assert.ok(clusters.includes('Afrobeats & Highlife fans'), clusters.join());
      assert.equal(new Set(clusters).size, clusters.length, `distinct cluster names: ${clusters.join()}`);
      assert.doesNotMatch(text ?? '', /Listener group|-0\.00/);
      // The daily trend is a uPlot chart with its axes and a legend naming both series.
      await page.waitForSelector('#trend .trend-chart canvas');
      const chart = await page.$eval('#trend .trend-chart', (c) => ({
        w: c.querySelector('canvas')?.getBoundingClientRect().width ?? 0,
        legend: c.querySelector('.u-legend')?.textContent ?? '',
      }));
      assert.ok(chart.w > 200, `chart width ${chart.w}`);
      assert.match(chart.legend, /events/);
      assert.match(chart.legend, /unique users/);
      assert.match((await page.textContent('#metrics')) ?? '', /Plays/);
      assert.match((await page.textContent('#metrics')) ?? '', /\$1,234,567\.89/); // 6 tickets of $12.50 and one sponsorship
      // The figure is whole: one line, inside its tile (it once broke at a comma into "$1,234," / "567.89").
      const money = await page.evaluate(() => {
        const value = Array.from(document.querySelectorAll<HTMLElement>('#metrics .tile .value')).find((v) => v.textContent?.includes('1,234,567.89'))!;
        const text = value.firstChild!;
        const range = document.createRange();
        range.setStart(text, value.textContent!.indexOf('$'));
        range.setEnd(text, value.textContent!.indexOf('.89') + 3);
        const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
        const tile = value.closest('.tile')!.getBoundingClientRect();
        return { lines, right: range.getBoundingClientRect().right, tileRight: tile.right };
      });
      assert.equal(money.lines, 1, 'the figure on one line');
      assert.ok(money.right <= money.tileRight, `the figure leaves its tile: ${JSON.stringify(money)}`);
      // Treasury and the seed's rollup figures: money earned, 8 of 25 plays completed (32.0 %), one share, two opens.
      const tiles = await page.$$eval('#metrics .tile', (ts) => ts.map((t) => t.textContent ?? ''));
      for (const [label, value] of [
        ['Earned', '$50.00 USD'],
        ['Completion rate', '32.0%'],
        ['Shares', '1'],
        ['Link opens', '2'],
      ])
        assert.ok(
          tiles.some((t) => t.includes(label) && t.includes(value)),
          `${label} ${value} in ${tiles.join(' | ')}`,
        );
      // Nothing counted for visits, captures, votes, attendance or likes: no tile reads 0, one line says so.
      const values = await page.$$eval('#metrics .tile .value', (vs) => vs.map((v) => v.textContent ?? ''));
      assert.ok(!values.includes('0'), `a zero tile: ${tiles.join(' | ')}`);
      assert.equal(await page.textContent('#metrics .none'), 'None in this range: station visits, captures, votes, attendance and likes.');
      assert.match((await page.textContent('#leaderboard')) ?? '', /Top Artists by Plays · of 1 · score 25/);
      const fits = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      assert.ok(fits.scroll <= fits.inner, `scrollWidth ${fits.scroll} > innerWidth ${fits.inner}`);
      await env.screenshot(`report-${width}`);
    });
  }

  it('a report on an entity with no events says so first; the background runs the full height with no seam', async () => {
    const made = await postJson(env.server.baseUrl, '/api/reports', { type: 'artist', entityId: 'artist_nobody_played', range: '7d' }, bearer(ADMIN_TOKEN));
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const { page } = env;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(made.body.share.url);
    await page.waitForSelector('#no-data', { timeout: 15_000 });
    assert.match((await page.textContent('#no-data')) ?? '', /No activity in this range[\s\S]*Nothing was recorded for/);
    // No listener, no match to average: a dash, not a 0.00 that reads as a measured mismatch.
    assert.match((await page.textContent('#dna p')) ?? '', /^0 unique listeners analysed · average DNA match —$/);
    // Below the first screen the page is the same night colour as at its foot: no band where a fixed background ended.
    const shot = await page.screenshot({ fullPage: true });
    await env.screenshot('report-no-data-1440');
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height > 900, `the page is taller than a screen (${height})`);
    const colourAt = (y: number) =>
      page.evaluate(
        async ([png, yy]) => {
          const img = new Image();
          img.src = `data:image/png;base64,${png}`;
          await img.decode();
          const c = document.createElement('canvas');
          [c.width, c.height] = [img.width, img.height];
          const ctx = c.getContext('2d')!;
          ctx.drawImage(img, 0, 0);
          return Array.from(ctx.getImageData(4, yy, 1, 1).data.slice(0, 3));
        },
        [shot.toString('base64'), y] as const,
      );
    // At the page's left edge, just above and just below the first screen's height (900), and at the foot.
    const [above, below, foot] = [await colourAt(880), await colourAt(920), await colourAt(height - 4)];
    const same = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 3);
    assert.ok(same(above, below) && same(below, foot), `a seam at the first screen's edge: ${above} / ${below} / foot ${foot}`);
  });

  it('prints in its PDF every DNA figure the page shows: listener count, average match, rank detail, each domain and each cluster row', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(shareUrl);
    await page.waitForSelector('#dna #clusters tbody tr');
    const rows = await page.$$eval('#dna table tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
    const summary = (await page.textContent('#dna p')) ?? '';
    const detail = (await page.textContent('#leaderboard .muted')) ?? '';
    const token = new URL(shareUrl, env.server.baseUrl).searchParams.get('share');
    const res = await fetch(`${env.server.baseUrl}/api/reports/shared/${token}`, { headers: { accept: 'application/pdf' } });
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    // The clusters end the PDF: its last row ends the text.
    const text = `${pdfText(Buffer.from(await res.arrayBuffer()))}\n`;
    // A long sentence wraps into several text lines in the PDF: compare with the line breaks as spaces.
    const squash = (x: string) => x.replace(/\s+/g, ' ').trim();
    assert.ok(squash(text).includes(squash(summary)), `summary ${summary}`);
    assert.ok(text.includes(detail), `rank detail ${detail}`);
    assert.ok(rows.length >= 7, `domain and cluster rows: ${rows.length}`);
    // Domains: name then value; clusters: name, share, then "match" and the same two decimals.
    for (const [name, a, b] of rows)
      assert.ok(text.includes(b === undefined ? `\n${name}\n${a}\n` : `\n${name}\n${a}\nmatch ${b}\n`), `row ${name} ${a} ${b ?? ''}`);
  });

  it('says so when the share link has expired (410), and asks strangers for the link', async () => {
    const { page } = env;
    await env.db.sql.query(`UPDATE coliseum_reports SET share_expires_at = now() - interval '1 second' WHERE id = ?`, [reportId]);
    await page.setViewportSize({ width: 390, height: 700 });
    await page.goto(shareUrl);
    await page.waitForSelector('.error', { timeout: 10_000 });
    assert.match((await page.textContent('.error')) ?? '', /expired/);
    await env.screenshot('report-expired-390');
    await page.goto(`/coliseum/reports/${reportId}`);
    await page.waitForSelector('.error', { timeout: 10_000 });
    assert.match((await page.textContent('.error')) ?? '', /share link|sign in/);
    assert.equal(await page.getAttribute('.error a', 'href'), '/ops', 'the way to sign in is a link');
    const unexpected = env.problems.filter((p) => !/^(410|401) GET /.test(p) && !p.startsWith('console:'));
    assert.deepEqual(unexpected, []);
  });
});
