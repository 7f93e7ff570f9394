import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { useServer } from '../../support/serverProcess.js';
import { bearer, postJson, signIn, type SignedIn } from '../../support/auth.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers read field by field
type Json = any;
const SECRET = 'whsec_treasury_totals_secret_0123456789';
const ADMIN = 'admin-token-for-treasury-0123456789';

const sign = (body: string, t = Math.floor(Date.now() / 1000)) => `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;

/**
 * Item 8 Treasury (seed 003 "money spent, money earned"): signed purchases and payouts from the provider become
 * money spent by users and on artists and events, and money earned by users, artists and events — in the
 * rollups, on the boards (people's only for operators), in the totals route and in reports; a redelivery
 * counts nothing twice, and money can no longer be claimed by a client.
 */
describe('Treasury: money spent and earned per user, artist and event', function () {
  this.timeout(60_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, PAYMENT_WEBHOOK_SECRET: SECRET, JOB_CRON_DNA_MIRRORING: 'off', LEADERBOARD_ROLLUP_POLL_MS: '100' });
  const base = () => running().server.baseUrl;
  let fan: SignedIn;
  let artistAccount: SignedIn;

  const deliver = async (type: string, object: object, id = `evt_${randomUUID()}`) => {
    const body = JSON.stringify({ id, type, created: Math.floor(Date.now() / 1000), data: { object } });
    const res = await fetch(`${base()}/api/payments/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'payment-signature': sign(body) },
      body,
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const totals = async (subject: string, id: string, token = ADMIN) => {
    const res = await fetch(`${base()}/api/admin/treasury/${subject}/${encodeURIComponent(id)}`, { headers: bearer(token) });
    return { status: res.status, body: (await res.json()) as Json };
  };

  before(async () => {
    [fan, artistAccount] = [await signIn(base()), await signIn(base())];
    const purchase = (amountCents: number, currency: string, extra: object = {}) => ({
      userId: fan.userId,
      amountCents,
      currency,
      artistId: 'artist_x',
      ...extra,
    });
    const first = `evt_${randomUUID()}`;
    assert.equal((await deliver('purchase.completed', purchase(4500, 'USD', { eventId: 'ev-t' }), first)).status, 200);
    assert.equal((await deliver('purchase.completed', purchase(125_000, 'NGN'))).status, 200);
    const again = await deliver('purchase.completed', purchase(4500, 'USD', { eventId: 'ev-t' }), first);
    assert.equal(again.body.duplicate, true, 'a redelivery is recorded once');
    const paid = await deliver('payout.paid', {
      userId: artistAccount.userId,
      amountCents: 3000,
      currency: 'usd',
      artistId: 'artist_x',
      eventId: 'ev-t',
      payoutId: 'po_1',
    });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    // The totals come from the rollups: wait for the processor to count all three.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && Object.keys((await totals('artist', 'artist_x')).body.earned?.allTime ?? {}).length === 0)
      await new Promise((r) => setTimeout(r, 200));
  });

  it('totals what a user spent and earned, per currency, all time and over 30 and 7 days', async () => {
    const spentBy = await totals('user', fan.userId);
    assert.equal(spentBy.status, 200, JSON.stringify(spentBy.body));
    assert.deepEqual(spentBy.body.spent, {
      allTime: { usd: 4500, ngn: 125_000 },
      last30Days: { usd: 4500, ngn: 125_000 },
      last7Days: { usd: 4500, ngn: 125_000 },
    });
    assert.deepEqual(spentBy.body.earned.allTime, {});
    assert.deepEqual((await totals('user', artistAccount.userId)).body.earned.allTime, { usd: 3000 });
  });

  it('totals what was spent on and earned by an artist and an event', async () => {
    const artist = (await totals('artist', 'artist_x')).body;
    assert.deepEqual(artist.spent.allTime, { usd: 4500, ngn: 125_000 });
    assert.deepEqual(artist.earned.allTime, { usd: 3000 });
    const event = (await totals('event', 'ev-t')).body;
    assert.deepEqual(event.spent.allTime, { usd: 4500 });
    assert.deepEqual(event.earned.last7Days, { usd: 3000 });
  });

  it('ranks them on boards: events by revenue in public, people by money for operators only', async () => {
    const events = (await (await fetch(`${base()}/api/leaderboards/events.revenue.usd?window=all`)).json()) as Json;
    assert.deepEqual(
      events.entries.map((e: Json) => [e.entityId, e.score]),
      [['ev-t', 4500]],
    );
    for (const board of ['spent.usd', 'earned.usd', 'artists.earned.usd', 'events.earned.usd'])
      assert.equal((await fetch(`${base()}/api/leaderboards/${board}`)).status, 404, `${board} is not public`);
    const ops = (await (await fetch(`${base()}/api/ops/leaderboards?window=all&limit=5`, { headers: bearer(ADMIN) })).json()) as Json;
    const rows = (name: string) => ops.leaderboards.find((b: Json) => b.name === name)?.entries.map((e: Json) => [e.entityId, e.score]);
    assert.deepEqual(rows('spent.usd'), [[fan.userId, 4500]]);
    assert.deepEqual(rows('spent.ngn'), [[fan.userId, 125_000]]);
    assert.deepEqual(rows('earned.usd'), [[artistAccount.userId, 3000]]);
    assert.deepEqual(rows('artists.earned.usd'), [['artist_x', 3000]]);
  });

  it("puts money earned in an artist's report beside the revenue", async () => {
    const res = await postJson(base(), '/api/reports', { type: 'artist', entityId: 'artist_x', range: '24h' }, bearer(ADMIN));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const m = res.body.report.metrics;
    assert.deepEqual(m.revenue, [
      { currency: 'NGN', cents: 125_000 },
      { currency: 'USD', cents: 4500 },
    ]);
    assert.deepEqual(m.earned, [{ currency: 'USD', cents: 3000 }]);
  });

  it('refuses a client claiming money, a bad payout and hostile totals requests, with a code and nothing stored', async () => {
    const claim = await postJson(
      base(),
      '/api/passport/log',
      { eventType: 'treasury.money_earned', payload: { amountCents: 99_999, currency: 'usd' } },
      bearer(fan.accessToken),
    );
    assert.equal(claim.status, 400, JSON.stringify(claim.body));
    const bad = await deliver('payout.paid', { userId: 'not-a-uuid', amountCents: 12.5, currency: 'dollars' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'VALIDATION_FAILED');
    const [row] = await running().db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM passport_entries WHERE event_type = 'treasury.money_earned'`);
    assert.equal(row!.n, 1, 'only the signed payout');
    for (const [path, status, code] of [
      ['user/not-a-uuid', 400, 'VALIDATION_FAILED'],
      ['wallet/x', 400, 'VALIDATION_FAILED'],
      ['artist/a%20b', 400, 'VALIDATION_FAILED'],
      ['event/%00', 400, 'VALIDATION_FAILED'],
      [`artist/${'x'.repeat(201)}`, 400, 'VALIDATION_FAILED'],
    ] as const) {
      const r = await fetch(`${base()}/api/admin/treasury/${path}`, { headers: bearer(ADMIN) });
      assert.equal(r.status, status, path);
      assert.equal(((await r.json()) as Json).error, code);
    }
    assert.equal((await totals('user', fan.userId, fan.accessToken)).status, 403, "a user's own token is not the admin's");
    assert.equal((await fetch(`${base()}/api/admin/treasury/user/${fan.userId}`)).status, 401);
  });
});
