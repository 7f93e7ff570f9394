import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { useServer } from '../../support/serverProcess.js';
import { rawRequest, streamBody } from '../../support/rawHttp.js';
import { signIn } from '../../support/auth.js';

const SECRET = 'whsec_integration_test_secret_0123456789';
const ADMIN = 'payments-admin-token-0123456789';
const MB = 1024 * 1024;
const PATH = '/api/payments/webhook';

const sign = (body: string | Buffer, t = Math.floor(Date.now() / 1000), secret = SECRET) =>
  `t=${t},v1=${createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex')}`;

const purchase = (userId: string, id = `evt_${randomUUID()}`, amountCents = 4500) =>
  JSON.stringify({
    id,
    type: 'purchase.completed',
    created: Math.floor(Date.now() / 1000),
    data: { object: { userId, amountCents, currency: 'USD', artistId: 'artist_pay_test', eventId: 'evt-lagos', reason: 'ticket', paymentIntentId: 'pi_123' } },
  });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of the answer
type Answer = { status: number; body: any; requestId: string | null };

/**
 * The payment webhook against a real server process and its own database: signed like Stripe's, the
 * trusted source of purchases. Every hostile delivery is a coded error and leaves nothing stored.
 */
describe('payment webhook (seeds 003/004 treasury: verified purchases → revenue)', function () {
  this.timeout(90_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, PAYMENT_WEBHOOK_SECRET: SECRET, COLISEUM_THROTTLE_MS: '100' });
  const url = (path: string) => `${running().server.baseUrl}${path}`;
  let userId = '';

  const post = async (body: string | Buffer, headers: Record<string, string>): Promise<Answer> => {
    const res = await fetch(url(PATH), { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
    return { status: res.status, body: await res.json(), requestId: res.headers.get('x-request-id') };
  };
  const deliver = (body: string, signature = sign(body)) => post(body, { 'content-type': 'application/json', 'payment-signature': signature });

  /** Rows a delivery could have written: provider events, and purchases in the passport. */
  const stored = async () => {
    const sql = running().db.sql;
    const [payments] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM payment_events');
    const [purchases] = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM passport_entries WHERE event_type = 'treasury.purchase_completed'");
    return { payments: payments!.n, purchases: purchases!.n };
  };
  const refusedWithNothingStored = async (answer: Answer, status: number, code: string, before: { payments: number; purchases: number }) => {
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.equal(answer.body.error, code, JSON.stringify(answer.body));
    assert.equal(typeof answer.body.message, 'string');
    assert.match(answer.requestId ?? '', /^[0-9a-f-]{36}$/, 'the answer names its request');
    assert.deepEqual(await stored(), before, `${code}: nothing stored`);
  };

  const revenueBoard = async (): Promise<Array<{ entityId: string; score: number }>> => {
    const res = await fetch(url('/api/leaderboards/revenue.usd?window=all&limit=10'));
    return res.status === 200 ? ((await res.json()) as { entries: Array<{ entityId: string; score: number }> }).entries : [];
  };
  const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 20_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  before(async () => {
    userId = (await signIn(running().server.baseUrl)).userId;
  });

  it('a signed purchase is recorded once, as a verified passport event the revenue board and rollups count', async () => {
    const id = `evt_${randomUUID()}`;
    const body = purchase(userId, id);
    const answer = await deliver(body);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body, { received: true, eventId: id, duplicate: false });
    assert.deepEqual(await stored(), { payments: 1, purchases: 1 });
    const [row] = await running().db.sql.query<{ payload: Record<string, unknown>; user_id: string }>(
      "SELECT payload, user_id::text FROM passport_entries WHERE event_type = 'treasury.purchase_completed'",
    );
    assert.equal(row!.user_id, userId);
    assert.equal(row!.payload.verified, true);
    assert.equal(row!.payload.paymentEventId, id);
    assert.equal(row!.payload.amountCents, 4500);
    assert.equal(row!.payload.currency, 'usd');
    const board = await until(revenueBoard, (e) => e.some((x) => x.entityId === 'artist_pay_test'), 'revenue.usd board');
    assert.equal(board.find((x) => x.entityId === 'artist_pay_test')!.score, 4500);
    const rollup = await until(
      async () =>
        (
          await running().db.sql.query<{ value: string }>(
            "SELECT value::text FROM coliseum_metrics WHERE entity_type = 'currency' AND entity_id = 'usd' AND metric = 'revenue_cents' AND period = 'all'",
          )
        )[0]?.value,
      (v) => v === '4500',
      'revenue rollup',
    );
    assert.equal(rollup, '4500');

    // The provider redelivers (or an attacker replays within the window): 200, duplicate, nothing new.
    const replay = await deliver(body);
    assert.equal(replay.status, 200, JSON.stringify(replay.body));
    assert.deepEqual(replay.body, { received: true, eventId: id, duplicate: true });
    const again = await deliver(body, sign(body, Math.floor(Date.now() / 1000) - 5));
    assert.equal(again.body.duplicate, true, 'a fresh signature over the same event is still the same event');
    assert.deepEqual(await stored(), { payments: 1, purchases: 1 });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await revenueBoard()).find((x) => x.entityId === 'artist_pay_test')!.score, 4500, 'counted once');
  });

  it('with the webhook on, a client can no longer claim a purchase over ingest', async () => {
    const before = await stored();
    const res = await fetch(url('/api/passport/log'), {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ eventType: 'treasury.purchase_completed', userId, payload: { amountCents: 100, currency: 'usd', artistId: 'artist_pay_test' } }),
    });
    const body = (await res.json()) as { error: string; message: string };
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(body.error, 'VALIDATION_FAILED');
    assert.match(body.message, /payments\/webhook/);
    assert.deepEqual(await stored(), before);
  });

  it('other event types are acknowledged and not recorded', async () => {
    const before = await stored();
    const body = JSON.stringify({ id: 'evt_refund_1', type: 'charge.refunded', data: { object: { amount: 1 } } });
    const answer = await deliver(body);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body, { received: true, eventId: 'evt_refund_1', duplicate: false, ignored: true });
    assert.deepEqual(await stored(), before);
  });

  it('refuses a wrong signature, a body changed after signing, and a missing or malformed header', async () => {
    const before = await stored();
    const body = purchase(userId);
    await refusedWithNothingStored(await deliver(body, sign(body, undefined, 'whsec_not_the_secret_0123456789')), 400, 'SIGNATURE_INVALID', before);
    await refusedWithNothingStored(await deliver(body.replace('4500', '450000'), sign(body)), 400, 'SIGNATURE_INVALID', before);
    await refusedWithNothingStored(await post(body, { 'content-type': 'application/json' }), 400, 'SIGNATURE_MALFORMED', before);
    for (const header of ['v1=abc', `t=now,v1=${'a'.repeat(64)}`, `t=${Math.floor(Date.now() / 1000)}`, 'x'.repeat(2000)])
      await refusedWithNothingStored(await deliver(body, header), 400, 'SIGNATURE_MALFORMED', before);
  });

  it('refuses a genuine signature older or further ahead than the tolerance (300 s)', async () => {
    const before = await stored();
    const body = purchase(userId);
    const now = Math.floor(Date.now() / 1000);
    const old = await deliver(body, sign(body, now - 3600));
    await refusedWithNothingStored(old, 400, 'SIGNATURE_EXPIRED', before);
    assert.match(old.body.message, /s old/);
    const ahead = await deliver(body, sign(body, now + 3600));
    await refusedWithNothingStored(ahead, 400, 'SIGNATURE_EXPIRED', before);
    assert.match(ahead.body.message, /ahead/);
  });

  it('refuses a signed body that is not a payment event (bad JSON, a purchase without a user), coded', async () => {
    const before = await stored();
    await refusedWithNothingStored(await deliver('{"id": "evt_x", '), 400, 'VALIDATION_FAILED', before);
    const noUser = JSON.stringify({ id: 'evt_nouser', type: 'purchase.completed', data: { object: { amountCents: 100, currency: 'usd' } } });
    const answer = await deliver(noUser);
    await refusedWithNothingStored(answer, 400, 'VALIDATION_FAILED', before);
    assert.ok(
      answer.body.details.some((d: { field: string }) => d.field === 'data.object.userId'),
      JSON.stringify(answer.body.details),
    );
    const nul = JSON.stringify({
      id: 'evt_nul',
      type: 'purchase.completed',
      data: { object: { userId, amountCents: 100, currency: 'usd', reason: 'a\u0000b' } },
    });
    await refusedWithNothingStored(await deliver(nul), 400, 'VALIDATION_FAILED', before);
  });

  it('refuses a wrong content type (415) even when signed', async () => {
    const before = await stored();
    const body = purchase(userId);
    await refusedWithNothingStored(await post(body, { 'content-type': 'text/plain', 'payment-signature': sign(body) }), 415, 'UNSUPPORTED_MEDIA_TYPE', before);
    await refusedWithNothingStored(
      await post(body, { 'content-type': 'application/x-www-form-urlencoded', 'payment-signature': sign(body) }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      before,
    );
  });

  it('refuses a body past 64 KB (413) before reading it: declared 10 MB, streamed 10 MB, and 70 KB signed', async () => {
    const before = await stored();
    const { port } = running().server;
    const head = (framing: string) =>
      `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nPayment-Signature: t=1,v1=${'a'.repeat(64)}\r\n${framing}\r\n\r\n`;
    const declared = await rawRequest(port, head(`Content-Length: ${10 * MB}`), { timeoutMs: 5000 });
    assert.equal(declared.status, 413, declared.raw.slice(0, 300));
    assert.equal(JSON.parse(declared.body).error, 'PAYLOAD_TOO_LARGE');
    assert.match(JSON.parse(declared.body).message, /PAYMENT_WEBHOOK_MAX_BODY_BYTES/);
    const streamed = await streamBody(port, head('Transfer-Encoding: chunked'), 10 * MB, { chunked: true, timeoutMs: 20_000 });
    assert.equal(streamed.response?.status, 413, `after ${streamed.sentBytes} bytes`);
    const big = JSON.stringify({
      id: 'evt_big',
      type: 'purchase.completed',
      data: { object: { userId, amountCents: 1, currency: 'usd', pad: 'x'.repeat(70 * 1024) } },
    });
    await refusedWithNothingStored(await deliver(big), 413, 'PAYLOAD_TOO_LARGE', before);
    assert.deepEqual(await stored(), before);
  });
});

describe('payment webhook without PAYMENT_WEBHOOK_SECRET', function () {
  this.timeout(60_000);
  const running = useServer({});

  it('answers 503 PAYMENTS_DISABLED and stores nothing', async () => {
    const body = JSON.stringify({ id: 'evt_off', type: 'purchase.completed', data: { object: {} } });
    const res = await fetch(`${running().server.baseUrl}${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'payment-signature': sign(body) },
      body,
    });
    const answer = (await res.json()) as { error: string; message: string; requestId: string };
    assert.equal(res.status, 503);
    assert.equal(answer.error, 'PAYMENTS_DISABLED');
    assert.match(answer.message, /PAYMENT_WEBHOOK_SECRET/);
    assert.equal(answer.requestId, res.headers.get('x-request-id'));
    const [n] = await running().db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM payment_events');
    assert.equal(n!.n, 0);
  });
});
