import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useServer } from '../../support/serverProcess.js';
import { bearer, postJson, signIn } from '../../support/auth.js';
import { pdfText } from '../../support/pdfText.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers read field by field
type Json = any;
const ADMIN = 'admin-token-for-report-types-0123456789';

/** Seed 004's `tournament` and `brand_campaign` reports, from passport rows through the rollups to the page JSON and the PDF. */
describe('reports: city tournaments and brand campaigns', function () {
  this.timeout(90_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, JOB_CRON_DNA_MIRRORING: 'off' });
  const base = () => running().server.baseUrl;
  const report = (body: object) => postJson(base(), '/api/reports', body, bearer(ADMIN));

  async function log(userId: string, type: string, category: string, payload: object, ago: string): Promise<void> {
    await running().db.sql.query(
      `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source) VALUES (?, ?, ?, ?::uuid, now() - ?::interval, now(), ?::jsonb, 'http')`,
      [randomUUID(), type, category, userId, ago, JSON.stringify(payload)],
    );
  }

  before(async () => {
    const [a, b, c] = [await signIn(base()), await signIn(base()), await signIn(base())];
    // This week: Lagos 5, Accra 3, Nairobi 0. The week before: Accra 4, Lagos 1.
    const plays = (user: string, city: string, n: number, ago: string) =>
      Promise.all(Array.from({ length: n }, (_, i) => log(user, 'player.track_played', 'player', { trackId: `t${i}`, city }, ago)));
    await plays(a.userId, 'Lagos', 5, '1 hour');
    await plays(b.userId, 'Accra', 3, '2 hours');
    await plays(b.userId, 'Accra', 4, '10 days');
    await plays(a.userId, 'Lagos', 1, '10 days');
    // Campaign "cmp_sunrise": a plays and buys 25.00 USD, b only views the event page, c plays outside the campaign.
    await log(a.userId, 'player.track_played', 'player', { trackId: 'sun1', campaignId: 'cmp_sunrise' }, '3 hours');
    await log(a.userId, 'treasury.purchase_completed', 'treasury', { amountCents: 2500, currency: 'usd', campaignId: 'cmp_sunrise' }, '3 hours');
    await log(b.userId, 'concierto.event_viewed', 'concierto', { eventId: 'ev1', campaignId: 'cmp_sunrise' }, '3 hours');
    await log(c.userId, 'player.track_played', 'player', { trackId: 'sun1' }, '3 hours');
    // The rollups the city board reads are made by the server's own processor from these rows.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [row] = await running().db.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM coliseum_metrics WHERE entity_type = 'city' AND metric = 'engagement' AND period = 'day'`,
      );
      if (row.n >= 3 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  it('a tournament ranks the named cities on the city board over the range, with the week before and a winner', async () => {
    const res = await report({ type: 'tournament', entityId: 'lagos vs Accra vs Nairobi', range: '7d' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const body = res.body as Json;
    assert.equal(body.reportType, 'tournament');
    const t = body.report.tournament;
    assert.deepEqual(
      t.rows.map((r: Json) => [r.city, r.engagement, r.rank, r.previousRank, r.movement]),
      [
        ['Lagos', 5, 1, 2, 1],
        ['Accra', 3, 2, 1, -1],
        ['Nairobi', 0, null, null, null],
      ],
    );
    assert.equal(t.winner, 'Lagos', 'the rollups spelling, not the request lower case');
    assert.equal(body.report.metrics.plays, 8, 'the tiles count the field cities only');
    assert.equal(body.report.leaderboard, null);
    const pdf = pdfText(Buffer.from(await (await fetch(`${base()}/api/reports/${body.id}.pdf`, { headers: bearer(ADMIN) })).arrayBuffer()));
    assert.match(pdf, /Tournament standings\nLagos leads by 2 · 8 engagement events in all\n/);
    assert.match(pdf, /#1 Lagos\n5 · 62\.5%\n#2 before \(1\) · ▲1\n/);
  });

  it('"all cities" takes the most engaged cities of the range', async () => {
    const res = await report({ type: 'tournament', entityId: 'all cities', range: '7d' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const t = (res.body as Json).report.tournament;
    assert.equal(t.field, 'all');
    assert.deepEqual(
      t.rows.map((r: Json) => r.city),
      ['Lagos', 'Accra'],
    );
  });

  it('a brand campaign reports its funnel and its return on the budget given', async () => {
    const res = await report({ type: 'brand_campaign', entityId: 'cmp_sunrise', range: '7d', budget: { amountCents: 1000, currency: 'usd' } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const c = (res.body as Json).report.campaign;
    assert.deepEqual([c.reached, c.engaged, c.purchasers, c.purchases, c.conversionRate, c.engagementRate], [2, 1, 1, 1, 50, 50]);
    assert.deepEqual([c.budget, c.revenueInBudgetCurrencyCents, c.roi, c.costPerPurchaseCents], [{ amountCents: 1000, currency: 'USD' }, 2500, 150, 1000]);
    const pdf = pdfText(Buffer.from(await (await fetch(`${base()}/api/reports/${(res.body as Json).id}.pdf`, { headers: bearer(ADMIN) })).arrayBuffer()));
    assert.match(pdf, /Campaign funnel and return\n/);
    assert.match(pdf, /\nReturn on budget\n150\.0%\n/);
    assert.match(pdf, /\nListeners who bought\n1\n50\.0% conversion · 1\s+purchase\n/);
    const list = (await (await fetch(`${base()}/api/reports?type=brand_campaign`, { headers: bearer(ADMIN) })).json()) as Json;
    assert.deepEqual(
      list.reports.map((r: Json) => r.entityId),
      ['cmp_sunrise'],
    );
  });

  it('refuses what is not a tournament, a budget on another type and the old type name, naming the field', async () => {
    const one = await report({ type: 'tournament', entityId: 'Lagos' });
    assert.equal(one.status, 400);
    assert.equal((one.body as Json).error, 'VALIDATION_FAILED');
    assert.match(JSON.stringify(one.body), /entityId/);
    assert.match(JSON.stringify(one.body), /Lagos vs Accra/);
    const budget = await report({ type: 'artist', entityId: 'artist_wizkid', budget: { amountCents: 100, currency: 'USD' } });
    assert.equal(budget.status, 400);
    assert.match(JSON.stringify(budget.body), /only a brand_campaign report takes a budget/);
    assert.equal((await report({ type: 'campaign', entityId: 'cmp_sunrise' })).status, 400);
    assert.equal((await report({ type: 'brand_campaign', entityId: 'cmp_sunrise', budget: { amountCents: 0, currency: 'USD' } })).status, 400);
  });
});
