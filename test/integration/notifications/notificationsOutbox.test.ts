import assert from 'node:assert/strict';
import { exportPKCS8, generateKeyPair, type CryptoKey } from 'jose';
import { pino } from 'pino';
import webpush from 'web-push';
import { useTestDatabase } from '../../support/db.js';
import { insertUser } from '../../support/auth.js';
import { startApnsStandIn, startWebPushStandIn, type ApnsStandIn, type WebPushStandIn } from '../../support/pushStandIns.js';
import { NotificationRepository, type NewNotification } from '../../../persistence/notifications/NotificationRepository.js';
import { PushDeviceRepository } from '../../../persistence/notifications/PushDeviceRepository.js';
import { PushOutbox } from '../../../persistence/notifications/PushOutbox.js';
import { ApnsSender } from '../../../persistence/notifications/ApnsSender.js';
import { WebPushSender } from '../../../persistence/notifications/WebPushSender.js';
import { PushWorker, type PushWorkerSettings } from '../../../features/notifications/PushWorker.js';
import { shareNotice } from '../../../systems/notifications/index.js';

const log = pino({ level: 'silent' });
const SETTINGS: PushWorkerSettings = {
  pollMs: 50,
  batch: 50,
  concurrency: 4,
  leaseMs: 30_000,
  maxAttempts: 3,
  backoff: { baseMs: 1, maxMs: 5 },
  failedRetentionMs: 3_600_000,
};

/**
 * The push outbox on real Postgres, worked by PushWorker through the real adapters into the stand-ins:
 * a notification's pushes are written with it (one per registration of an open kind), sent and deleted;
 * a provider's 5xx is retried with backoff until sent, or marked failed once the tries are spent; a dead
 * registration is removed with its pending pushes; the outbox bound refuses new pushes, not the entry.
 */
describe('push outbox and worker (real Postgres, provider stand-ins)', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  let apns: ApnsStandIn;
  let service: WebPushStandIn;
  let senders: { apns: ApnsSender; webpush: WebPushSender };
  let repo: NotificationRepository;
  let devices: PushDeviceRepository;
  let outbox: PushOutbox;
  let worker: PushWorker;

  before(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    apns = await startApnsStandIn({ publicKey, keyId: 'KEY1234567', teamId: 'TEAM765432', topic: 'io.deepstream.app' });
    const vapid = webpush.generateVAPIDKeys();
    service = await startWebPushStandIn({ vapidPublicKey: vapid.publicKey });
    senders = {
      apns: new ApnsSender({
        origin: apns.origin,
        keyPem: await exportPKCS8(privateKey as CryptoKey),
        keyId: 'KEY1234567',
        teamId: 'TEAM765432',
        topic: 'io.deepstream.app',
        expirationSec: 60,
        timeoutMs: 5000,
        ca: apns.ca,
      }),
      webpush: new WebPushSender({
        subject: 'mailto:ops@deepstream.test',
        publicKey: vapid.publicKey,
        privateKey: vapid.privateKey,
        ttlSec: 60,
        timeoutMs: 5000,
        ca: service.ca,
      }),
    };
    const db = database();
    repo = new NotificationRepository(db.orm, 1000);
    devices = new PushDeviceRepository(db.orm);
    outbox = new PushOutbox(db.sql);
    worker = new PushWorker(outbox, devices, senders, SETTINGS, log);
  });
  after(async () => {
    senders.apns.close();
    senders.webpush.close();
    await apns.close();
    await service.close();
  });

  const notification = (userId: string, over: Partial<NewNotification> = {}): NewNotification => ({
    userId,
    type: 'constellation_share',
    fromUserId: null,
    shareId: null,
    message: 'Listen!',
    artistId: null,
    notice: shareNotice('Ada', 'Listen!', 'q0x3VbJ6r1m0sQ9Yl2o8Zw'),
    createdAt: new Date(),
    inApp: true,
    pushKinds: ['apns', 'webpush'],
    ...over,
  });
  const drain = async () => {
    for (let i = 0; i < 50 && (await outbox.counts()).pending > 0; i++) {
      await worker.runOnce();
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('writes one push per registration with the entry, sends them all and empties the outbox', async () => {
    const { userId } = await insertUser(database().sql);
    const token = 'c'.repeat(64);
    const sub = service.subscribe();
    await devices.register({ userId, kind: 'apns', address: token, keys: null, at: new Date() }, 10);
    await devices.register({ userId, kind: 'webpush', address: sub.json.endpoint, keys: sub.json.keys, at: new Date() }, 10);
    const written = await repo.create(notification(userId));
    assert.equal(written.pushesQueued, 2);
    assert.ok(written.record);
    await worker.runOnce();
    assert.deepEqual(await outbox.counts(), { pending: 0, failed: 0 });
    const viaApns = apns.delivered.find((d) => d.deviceToken === token)!;
    assert.deepEqual(viaApns.payload.aps.alert, { title: 'Ada shared their constellation', body: 'Listen!' });
    assert.equal(viaApns.payload.notificationId, written.record.id);
    assert.equal(viaApns.headers['apns-collapse-id'], `n${written.record.id}`);
    const viaWeb = service.delivered.find((d) => d.subscriptionId === sub.id)!;
    assert.deepEqual(JSON.parse(viaWeb.payload), {
      title: 'Ada shared their constellation',
      body: 'Listen!',
      deepLink: '/shared/q0x3VbJ6r1m0sQ9Yl2o8Zw',
      type: 'constellation_share',
      notificationId: written.record.id,
    });
  });

  it('retries a 503 with backoff until it is sent; spends its tries on a provider that keeps failing, then marks it failed', async () => {
    const { userId } = await insertUser(database().sql);
    const flaky = 'd'.repeat(64);
    const down = 'e'.repeat(64);
    await devices.register({ userId, kind: 'apns', address: flaky, keys: null, at: new Date() }, 10);
    apns.answers.set(flaky, [
      { status: 503, reason: 'ServiceUnavailable' },
      { status: 429, reason: 'TooManyRequests' },
    ]);
    await repo.create(notification(userId, { pushKinds: ['apns'] }));
    await drain();
    assert.deepEqual(
      apns.requests.filter((r) => r.deviceToken === flaky).map((r) => r.status),
      [503, 429, 200],
    );
    const other = await insertUser(database().sql);
    await devices.register({ userId: other.userId, kind: 'apns', address: down, keys: null, at: new Date() }, 10);
    apns.answers.set(
      down,
      Array.from({ length: 10 }, () => ({ status: 500, reason: 'InternalServerError' })),
    );
    await repo.create(notification(other.userId, { pushKinds: ['apns'] }));
    await drain();
    assert.equal(apns.requests.filter((r) => r.deviceToken === down).length, SETTINGS.maxAttempts, 'PUSH_MAX_ATTEMPTS tries, no more');
    const [row] = await database().sql.query<{ status: string; attempts: number; last_error: string }>(
      `SELECT o.status, o.attempts, o.last_error FROM push_outbox o JOIN push_devices d ON d.id = o.device_id WHERE d.address = ?`,
      [down],
    );
    assert.deepEqual([row!.status, row!.attempts], ['failed', 3]);
    assert.match(row!.last_error, /gave up after 3 tries: InternalServerError/);
  });

  it('a dead registration (APNs Unregistered, Web Push 410 Gone) is removed with its pending pushes', async () => {
    const { userId } = await insertUser(database().sql);
    const dead = 'f'.repeat(64);
    const sub = service.subscribe();
    await devices.register({ userId, kind: 'apns', address: dead, keys: null, at: new Date() }, 10);
    await devices.register({ userId, kind: 'webpush', address: sub.json.endpoint, keys: sub.json.keys, at: new Date() }, 10);
    apns.answers.set(dead, [{ status: 410, reason: 'Unregistered' }]);
    service.unsubscribed.add(sub.id);
    await repo.create(notification(userId));
    await worker.runOnce();
    assert.deepEqual(await devices.list(userId), []);
    assert.deepEqual(await outbox.counts(), { pending: 0, failed: 1 }, 'only the earlier test’s failed row is left');
  });

  it('a row leased by a worker that died is claimed again once its lease ends (at least once)', async () => {
    const { userId } = await insertUser(database().sql);
    const token = '1'.repeat(64);
    await devices.register({ userId, kind: 'apns', address: token, keys: null, at: new Date() }, 10);
    await repo.create(notification(userId, { pushKinds: ['apns'] }));
    const crashed = await outbox.claim(10, 200); // a worker claims the row and dies before answering
    assert.equal(crashed.length, 1);
    assert.equal((await outbox.claim(10, 200)).length, 0, 'leased: no other worker takes it meanwhile');
    await new Promise((r) => setTimeout(r, 300));
    await worker.runOnce();
    assert.equal(apns.delivered.filter((d) => d.deviceToken === token).length, 1);
    assert.equal((await outbox.counts()).pending, 0);
  });

  it('the outbox bound (PUSH_QUEUE_MAX) refuses new pushes, never the inbox entry; a closed channel queues none', async () => {
    const { userId } = await insertUser(database().sql);
    await devices.register({ userId, kind: 'apns', address: '2'.repeat(64), keys: null, at: new Date() }, 10);
    const bounded = new NotificationRepository(database().orm, 1);
    assert.equal((await bounded.create(notification(userId, { pushKinds: ['apns'] }))).pushesQueued, 1);
    const full = await bounded.create(notification(userId, { pushKinds: ['apns'] }));
    assert.deepEqual([full.pushesQueued, full.outboxFull, !!full.record], [0, true, true]);
    const inAppOnly = await bounded.create(notification(userId, { pushKinds: [] }));
    assert.deepEqual([inAppOnly.pushesQueued, inAppOnly.outboxFull], [0, false]);
    const pushOnly = await repo.create(notification(userId, { inApp: false, pushKinds: ['apns'] }));
    assert.equal(pushOnly.record, null, 'in-app closed: no inbox entry');
    assert.equal(pushOnly.pushesQueued, 1);
    await drain();
  });

  it('registrations are bounded per user, refreshed (not doubled) when registered again, and move to the last user', async () => {
    const a = await insertUser(database().sql);
    const b = await insertUser(database().sql);
    for (let i = 0; i < 3; i++) await devices.register({ userId: a.userId, kind: 'apns', address: `3${i}`.padEnd(64, '0'), keys: null, at: new Date() }, 3);
    assert.equal(await devices.register({ userId: a.userId, kind: 'apns', address: '4'.repeat(64), keys: null, at: new Date() }, 3), 'limit');
    const again = await devices.register({ userId: a.userId, kind: 'apns', address: '30'.padEnd(64, '0'), keys: null, at: new Date() }, 3);
    assert.equal(again !== 'limit' && again.created, false, 'the same token refreshes');
    const moved = await devices.register({ userId: b.userId, kind: 'apns', address: '30'.padEnd(64, '0'), keys: null, at: new Date() }, 3);
    assert.equal(moved !== 'limit' && moved.created, false);
    assert.deepEqual([(await devices.list(a.userId)).length, (await devices.list(b.userId)).length], [2, 1]);
    assert.equal(await devices.remove(a.userId, (await devices.list(b.userId))[0]!.id), false, "another user's registration is not removed");
  });
});
