import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { useTestDatabase } from '../../support/db.js';
import { portraitPng } from '../../support/assetsFixtures.js';
import { useServer } from '../../support/serverProcess.js';
import { allowingForLoad } from '../../support/time.js';
import { AssetWebhookStore, enqueueWebhook } from '../../../persistence/assets/AssetWebhookStore.js';
import { AssetWebhookSender, type WebhookSenderOptions } from '../../../features/assets/AssetWebhookSender.js';

interface LogLine {
  level: 'info' | 'warn';
  obj: Record<string, unknown>;
  msg: string;
}

/** A webhook endpoint on loopback that fails every delivery with a 500 and keeps the bodies it was sent. */
async function startFailingReceiver() {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhooks/assets`, bodies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const MINUTE = 60_000;

/**
 * Seed 000 step 10.8's bounds on the completion webhook, on real Postgres against a loopback receiver
 * that always answers 500: an event is tried exactly ASSET_WEBHOOK_MAX_ATTEMPTS times, each retry only
 * once its backoff is due, then kept as failed and logged; past ASSET_WEBHOOK_QUEUE_MAX waiting events
 * the oldest waiting ones are dropped (logged) and never sent. The sender runs on a clock the test moves
 * (its `now`, which also dates the rows Postgres compares), so nothing here waits on wall-clock time.
 */
describe('completion webhook bounds: attempts and queue size (seed 000 step 10.8)', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  let receiver: Awaited<ReturnType<typeof startFailingReceiver>>;
  let clock: number;
  const logs: LogLine[] = [];
  const log = {
    info: (obj: object, msg: string) => logs.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
    warn: (obj: object, msg: string) => logs.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
  };
  const sender = (options: Partial<WebhookSenderOptions>) =>
    new AssetWebhookSender({
      store: new AssetWebhookStore(database().orm),
      url: receiver.url,
      secret: 'asset-webhook-bounds-secret-0123',
      maxAttempts: 8,
      baseDelayMs: MINUTE,
      maxDelayMs: 60 * MINUTE,
      timeoutMs: 5000,
      queueMax: 1000,
      pollMs: 3_600_000,
      log,
      now: () => clock,
      ...options,
    });
  const enqueue = (artistId: string, at: number) =>
    enqueueWebhook(database().orm.em.fork(), { event: 'artist_assets_ready', artistId, body: JSON.stringify({ artist_id: artistId }) }, new Date(at));
  const rows = () =>
    database().sql.query<{ artist_id: string; status: string; attempts: number; last_error: string | null }>(
      `SELECT artist_id, status, attempts, last_error FROM asset_webhooks ORDER BY created_at, id`,
    );

  before(async () => {
    receiver = await startFailingReceiver();
  });
  after(async () => receiver?.close());
  beforeEach(async () => {
    await database().sql.query('DELETE FROM asset_webhooks');
    receiver.bodies.length = 0;
    logs.length = 0;
    clock = Date.UTC(2026, 0, 5, 12);
  });

  it('gives up after exactly ASSET_WEBHOOK_MAX_ATTEMPTS deliveries, each retry once its backoff is due; kept as failed and logged', async () => {
    const webhooks = sender({ maxAttempts: 4 });
    await enqueue('artist_wizkid', clock);
    await webhooks.pass();
    assert.equal(receiver.bodies.length, 1, 'the first try');
    await webhooks.pass();
    clock += MINUTE - 1;
    await webhooks.pass();
    assert.equal(receiver.bodies.length, 1, 'no retry before its backoff (1 min after the first failure) is due');
    // Backoff doubles: 1, 2, 4 minutes after the 1st, 2nd and 3rd failures.
    for (const [wait, tries] of [
      [1, 2],
      [2 * MINUTE, 3],
      [4 * MINUTE, 4],
    ]) {
      clock += wait;
      await webhooks.pass();
      assert.equal(receiver.bodies.length, tries, `try ${tries} once due`);
    }
    for (let i = 0; i < 5; i++) {
      clock += 24 * 60 * MINUTE;
      await webhooks.pass();
    }
    assert.equal(receiver.bodies.length, 4, 'exactly ASSET_WEBHOOK_MAX_ATTEMPTS (4) deliveries, however long we wait');
    assert.ok(
      receiver.bodies.every((b) => b === '{"artist_id":"artist_wizkid"}'),
      'the same event each time',
    );
    assert.deepEqual(
      await rows(),
      [{ artist_id: 'artist_wizkid', status: 'failed', attempts: 4, last_error: 'answered 500' }],
      'kept as failed for the operator',
    );
    const failures = logs.filter((l) => l.level === 'warn');
    assert.deepEqual(
      failures.map((l) => [l.msg, l.obj.attempts, l.obj.retryAt]),
      [
        ['asset webhook failed; will retry', 1, new Date(Date.UTC(2026, 0, 5, 12, 1)).toISOString()],
        ['asset webhook failed; will retry', 2, new Date(Date.UTC(2026, 0, 5, 12, 3)).toISOString()],
        ['asset webhook failed; will retry', 3, new Date(Date.UTC(2026, 0, 5, 12, 7)).toISOString()],
        ['asset webhook failed for good', 4, null],
      ],
    );
    assert.equal(logs.filter((l) => l.level === 'info').length, 0, 'never logged as delivered');
  });

  it('past ASSET_WEBHOOK_QUEUE_MAX waiting deliveries drops the oldest waiting (logged), never sends them, and sends the newest', async () => {
    const webhooks = sender({ queueMax: 3 });
    for (let i = 1; i <= 5; i++) await enqueue(`artist_${i}`, clock + i * 1000);
    clock += 10_000;
    await webhooks.pass();
    assert.deepEqual(
      receiver.bodies.map((b) => JSON.parse(b).artist_id),
      ['artist_3', 'artist_4', 'artist_5'],
      'the three newest are sent',
    );
    assert.deepEqual(
      (await rows()).map((r) => [r.artist_id, r.status, r.attempts]),
      [
        ['artist_1', 'dropped', 0],
        ['artist_2', 'dropped', 0],
        ['artist_3', 'pending', 1],
        ['artist_4', 'pending', 1],
        ['artist_5', 'pending', 1],
      ],
    );
    assert.match((await rows())[0].last_error ?? '', /ASSET_WEBHOOK_QUEUE_MAX/);
    assert.deepEqual(
      logs.filter((l) => l.obj.dropped !== undefined).map((l) => [l.level, l.obj.dropped, l.obj.queueMax]),
      [['warn', 2, 3]],
      'the drop is logged with how many',
    );

    // Three wait for their retry: a fourth event pushes out the oldest waiting one, though it was tried already.
    await enqueue('artist_6', clock);
    clock += MINUTE;
    await webhooks.pass();
    const after = await rows();
    assert.deepEqual(
      after.filter((r) => r.status === 'dropped').map((r) => r.artist_id),
      ['artist_1', 'artist_2', 'artist_3'],
    );
    assert.deepEqual(
      receiver.bodies
        .slice(3)
        .map((b) => JSON.parse(b).artist_id)
        .sort(),
      ['artist_4', 'artist_5', 'artist_6'],
      'the dropped one is not retried',
    );
    assert.equal(receiver.bodies.filter((b) => /artist_[12]"/.test(b)).length, 0, 'dropped events are never sent');
  });
});

/**
 * The same bound read from the configuration by a real server: with ASSET_WEBHOOK_MAX_ATTEMPTS=2 and
 * short backoff, an upload's webhook reaches the failing receiver twice and is then kept as failed.
 */
describe('ASSET_WEBHOOK_MAX_ATTEMPTS on a running server (seed 000 step 10.8)', function () {
  this.timeout(90_000);
  const ADMIN = 'admin-token-for-webhook-bounds-0123';
  let receiver: Awaited<ReturnType<typeof startFailingReceiver>>;
  const env: Record<string, string> = {
    ADMIN_TOKEN: ADMIN,
    ASSET_MIN_SIDE_PX: '64',
    ASSET_ARTWORK: 'false',
    ASSET_WEBHOOK_SECRET: 'asset-webhook-bounds-secret-0123',
    ASSET_WEBHOOK_MAX_ATTEMPTS: '2',
    ASSET_WEBHOOK_BASE_DELAY_MS: '20',
    ASSET_WEBHOOK_MAX_DELAY_MS: '40',
  };
  before(async () => {
    receiver = await startFailingReceiver();
    env.ASSET_WEBHOOK_URL = receiver.url;
  });
  after(async () => receiver?.close());
  const running = useServer(env);

  it("tries an upload's webhook exactly twice against a receiver that always fails, then keeps it as failed", async () => {
    const res = await fetch(`${running().server.baseUrl}/api/admin/artists/artist_wizkid/image`, {
      method: 'POST',
      body: new Uint8Array(await portraitPng(256)),
      headers: { 'content-type': 'image/png', authorization: `Bearer ${ADMIN}` },
      signal: AbortSignal.timeout(60_000),
    });
    assert.equal(res.status, 201, await res.text());
    const status = async () =>
      (await running().db.sql.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM asset_webhooks WHERE artist_id = 'artist_wizkid'`))[0];
    const until = Date.now() + allowingForLoad(15_000);
    while ((await status())?.status !== 'failed') {
      assert.ok(Date.now() < until, `still ${JSON.stringify(await status())} after ${receiver.bodies.length} deliveries`);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(await status(), { status: 'failed', attempts: 2 });
    assert.equal(receiver.bodies.length, 2, 'two deliveries, then no more');
    assert.match(running().server.output(), /asset webhook failed for good/);
  });
});
