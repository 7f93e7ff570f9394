import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useServer } from '../../support/serverProcess.js';
import { bearer, postJson, signIn } from '../../support/auth.js';
import { pdfPages, pdfText } from '../../support/pdfText.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers read field by field
type Json = any;
const ADMIN = 'admin-token-for-report-export-0123456789';

/** Report history (GET /api/reports) and the PDF of a report, through the admin and the share-link routes. */
describe('reports: history list and PDF export', function () {
  this.timeout(90_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, JOB_CRON_DNA_MIRRORING: 'off' });
  const base = () => running().server.baseUrl;
  const made: Array<{ id: string; share: { token: string; url: string }; report: Json }> = [];

  before(async () => {
    const fan = await signIn(base());
    for (let i = 0; i < 4; i++) {
      await running().db.sql.query(
        `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, 'player.track_played', 'player', ?::uuid, now() - interval '1 hour', now(), ?::jsonb, 'http')`,
        [randomUUID(), fan.userId, JSON.stringify({ trackId: `t${i}`, artistId: 'artist_wizkid' })],
      );
    }
    for (const body of [
      { type: 'artist', entityId: 'artist_wizkid', range: '7d' },
      { type: 'artist', entityId: 'artist_burna_boy', range: '30d' },
    ]) {
      const res = await postJson(base(), '/api/reports', body, bearer(ADMIN));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      made.push(res.body as never);
    }
  });

  it('GET /api/reports lists the history newest first, without report bodies, with page and PDF links; admin only', async () => {
    assert.equal((await fetch(`${base()}/api/reports`)).status, 401);
    const res = await fetch(`${base()}/api/reports`, { headers: bearer(ADMIN) });
    assert.equal(res.status, 200);
    const { reports } = (await res.json()) as { reports: Array<Record<string, Json>> };
    assert.deepEqual(
      reports.map((r) => r.entityName),
      ['Burna Boy', 'Wizkid'],
    );
    assert.equal(reports[0].report, undefined, 'no body in the list');
    assert.deepEqual(reports[1].links, { page: `/coliseum/reports/${made[0].id}`, pdf: `/api/reports/${made[0].id}.pdf` });
    assert.equal(reports[1].share.url, made[0].share.url);
    const filtered = (await (await fetch(`${base()}/api/reports?entityId=artist_wizkid&limit=5`, { headers: bearer(ADMIN) })).json()) as { reports: unknown[] };
    assert.equal(filtered.reports.length, 1);
    assert.equal((await fetch(`${base()}/api/reports?limit=0`, { headers: bearer(ADMIN) })).status, 400);
  });

  it('serves the PDF for Accept: application/pdf and for .pdf, holding the figures of the report and its share link', async () => {
    const r = made[0];
    const byAccept = await fetch(`${base()}/api/reports/${r.id}`, { headers: { ...bearer(ADMIN), accept: 'application/pdf' } });
    assert.equal(byAccept.status, 200);
    assert.equal(byAccept.headers.get('content-type'), 'application/pdf');
    assert.match(byAccept.headers.get('content-disposition') ?? '', /attachment; filename="coliseum-report-Wizkid\.pdf"/);
    const file = Buffer.from(await byAccept.arrayBuffer());
    assert.equal(file.subarray(0, 5).toString(), '%PDF-');
    const bySuffix = await fetch(`${base()}/api/reports/${r.id}.pdf`, { headers: bearer(ADMIN) });
    assert.equal(bySuffix.status, 200);
    const pdf = Buffer.from(await bySuffix.arrayBuffer());
    const text = pdfText(pdf);
    // Page 1 is the one forwarded: the figures as tiles, the trend as a chart (a bar per day with events), the QR code.
    const [first] = pdfPages(pdf);
    assert.ok(first.images >= 1, 'the QR code is on page 1');
    assert.match(first.text, /Key metrics[\s\S]*\nPlays\n4\n[\s\S]*Leaderboard position[\s\S]*Daily trend/);
    const busyDays = (r.report.trends.daily as Array<{ events: number }>).filter((d) => d.events > 0).length;
    assert.ok(busyDays >= 1 && first.rects >= busyDays + 2, `${first.rects} rectangles for ${busyDays} bars and the header band`);
    assert.ok(first.text.replace(/\n/g, '').includes(`${base()}${r.share.url}`), 'the live link on page 1');
    assert.match(text, /Coliseum report\nWizkid\n/);
    const m = r.report.metrics;
    assert.equal(m.plays, 4);
    assert.match(text, new RegExp(`\\nPlays\\n${m.plays}\\n`));
    assert.match(text, new RegExp(`\\nUnique users\\n${m.uniqueUsers}\\n`));
    assert.match(text, new RegExp(`\\nEvents\\n${m.events}\\n`));
    assert.doesNotMatch(text, /\nRevenue\n/, 'no tile for revenue never made');
    assert.match(first.text, /\nNone in this range: [^\n]*revenue[^\n]*\.\n/, 'the zeros named once on page 1');
    assert.match(text, new RegExp(`${r.report.dna.listenersAnalysed} unique listeners analysed`));
    assert.ok(text.replace(/\n/g, '').includes(`${base()}${r.share.url}`), 'the full share link (wrapped over lines)');
    assert.equal((await fetch(`${base()}/api/reports/${r.id}.pdf`)).status, 401, 'the admin route stays admin');
  });

  it('the share link serves the same PDF to anyone until it expires', async () => {
    const r = made[1];
    const res = await fetch(`${base()}/api/reports/shared/${r.share.token}.pdf`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.match(pdfText(Buffer.from(await res.arrayBuffer())), /Coliseum report\nBurna Boy\n/);
    const json = await fetch(`${base()}/api/reports/shared/${r.share.token}`);
    assert.equal(json.headers.get('content-type')?.startsWith('application/json'), true, 'JSON without the suffix');
  });
});
