import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import jsQRModule from 'jsqr';
import sharp from 'sharp';
import { bearer, postJson, signIn } from '../support/auth.js';
import { pdfPages, pdfText } from '../support/pdfText.js';
import { ADMIN_TOKEN, SCREENSHOTS, startBrowserEnv, type BrowserEnv } from './harness.js';

// jsqr is CommonJS with an ES-style default in its types: take whichever the loader hands over.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

/** The report page's PDF holds the figures the page shows, and its QR code decodes to the share link. */
describe('browser: report PDF download and share QR code', function () {
  this.timeout(120_000);
  let env: BrowserEnv;
  let report = { id: '', share: { url: '' } };

  before(async () => {
    env = await startBrowserEnv({ JOB_CRON_DNA_MIRRORING: 'off' });
    const base = env.server.baseUrl;
    for (let u = 0; u < 2; u++) {
      const fan = await signIn(base);
      for (let i = 0; i < 3 + u; i++) {
        await env.db.sql.query(
          `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, 'player.track_played', 'player', ?::uuid, now() - (? * interval '1 day'), now(), ?::jsonb, 'http')`,
          [randomUUID(), fan.userId, i, JSON.stringify({ trackId: `t${i}`, artistId: 'artist_wizkid' })],
        );
      }
    }
    const res = await postJson(base, '/api/reports', { type: 'artist', entityId: 'artist_wizkid', range: '7d' }, bearer(ADMIN_TOKEN));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    report = res.body as typeof report;
  });
  after(async () => env?.close());

  it('opened through its share link: the downloaded PDF holds every tile the page shows, and the QR code reads as the link', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1440, height: 900 });
    const shareUrl = `${env.server.baseUrl}${report.share.url}`;
    await page.goto(shareUrl);
    await page.waitForSelector('#metrics .tile');
    await page.waitForSelector('#report-qr');
    const tiles = await page.$$eval('#metrics .tile', (els) =>
      els.map((t) => [t.querySelector('.label')?.textContent ?? '', t.querySelector('.value')?.textContent ?? '']),
    );
    // Only plays were made: the counts with a figure, then the rest named once.
    assert.deepEqual(
      tiles.map(([label]) => label),
      ['Events', 'Unique users', 'Plays', 'Completion rate'],
    );
    const none = (await page.textContent('#metrics .none')) ?? '';
    assert.equal(none, 'None in this range: station visits, captures, votes, attendance, likes, revenue, earned, shares and link opens.');
    assert.deepEqual(
      tiles.find(([label]) => label === 'Plays'),
      ['Plays', '7'],
    );

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#report-pdf')]);
    assert.match(download.suggestedFilename(), /^coliseum-report-Wizkid\.pdf$/);
    const pdf = await fs.readFile((await download.path())!);
    await fs.writeFile(`${SCREENSHOTS}/report.pdf`, pdf); // kept beside the screenshots, to look at
    const text = pdfText(pdf);
    // Page 1, the one forwarded, says what the page's first screen says: name, every tile, what had none, the rank, the QR code.
    const [first] = pdfPages(pdf);
    assert.match(first.text, /Coliseum report\nWizkid\n/);
    for (const [label, value] of tiles) assert.ok(first.text.includes(`\n${label}\n${value}\n`), `page 1 says ${label} ${value}:\n${first.text.slice(0, 400)}`);
    assert.ok(first.text.includes(`\n${none}\n`), `page 1 names the zeros: ${none}`);
    const rank = (await page.textContent('#leaderboard .big')) ?? '';
    assert.ok(first.text.includes(`\n${rank}\n`), `leaderboard ${rank} on page 1`);
    assert.ok(first.images >= 1, 'the QR code on page 1');
    assert.match(first.text, /\nDaily trend/);
    const listeners = /([\d,]+) unique listeners analysed/.exec((await page.textContent('#dna')) ?? '')?.[1];
    assert.ok(listeners && text.includes(`${listeners} unique listeners analysed`));
    await page.waitForFunction(() => document.querySelector('#report-pdf-status')?.textContent === 'PDF downloaded');

    // The QR code as a camera would see it: the element's pixels on screen, decoded.
    const shot = await page.locator('#report-qr').screenshot();
    const { data, info } = await sharp(shot).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const decoded = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
    assert.equal(decoded?.data, shareUrl);
    assert.equal(await page.getAttribute('#report-share-url', 'href'), shareUrl);

    for (const width of [390, 1440, 1920]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : width === 1920 ? 1080 : 900 });
      await page.screenshot({ path: `${SCREENSHOTS}/report-share-export-${width}.png`, fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `no horizontal scroll at ${width} px (${overflow} px)`);
    }
    assert.deepEqual(env.problems, []);
  });

  it('an operator finds it in the /ops report history and downloads its PDF there', async () => {
    const { page } = env;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/ops#tab=analytics');
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login-form button[type=submit]');
    const row = page.locator(`#reports tr[data-report="${report.id}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Wizkid artist7d · \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}until /);
    assert.equal(await row.locator('a').getAttribute('href'), report.share.url);
    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('button[data-pdf]').click()]);
    assert.equal(download.suggestedFilename(), 'coliseum-report-Wizkid.pdf');
    assert.match(pdfText(await fs.readFile((await download.path())!)), /\nPlays\n7\n/);
    await page.locator('#reports').screenshot({ path: `${SCREENSHOTS}/ops-reports-1440.png` });
    assert.deepEqual(env.problems, []);
  });
});
