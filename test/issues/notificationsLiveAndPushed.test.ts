import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportPKCS8, generateKeyPair, type CryptoKey } from 'jose';
import webpush from 'web-push';
import { useServer } from '../support/serverProcess.js';
import { bearer, joinAs, postJson, signIn, type SignedIn } from '../support/auth.js';
import { jsonOf } from '../support/http.js';
import { collect, nextMessage } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';
import { startApnsStandIn, startWebPushStandIn, type ApnsStandIn, type WebPushStandIn } from '../support/pushStandIns.js';

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`not within ${ms} ms: ${what}`);
};

/**
 * Seed 000 steps 16.4 and 12.10, whole: a direct share and a new top recommendation reach the recipient's
 * live session at once (`notification`), the unread ones come after the next join (`notifications`), are
 * marked read from the room, and are pushed to the user's APNs and Web Push registrations through
 * loopback stand-ins of both providers (the server process trusts their certificate by
 * NODE_EXTRA_CA_CERTS, as it would a provider's). Opt-outs and the recipient's bound hold; hostile routes
 * and messages get a code and store nothing.
 */
describe('issue: notifications live in the session room and pushed through APNs and Web Push (seed 000 steps 16.4, 12.10)', function () {
  this.timeout(90_000);
  const vapid = webpush.generateVAPIDKeys();
  const env: Record<string, string> = {
    NOTIFY_PER_RECIPIENT_PER_HOUR: '6',
    RECOMMENDATION_MIN_INTERVAL_MS: '0',
    PUSH_POLL_MS: '100',
    PUSH_DEVICES_PER_USER: '2',
    WEBPUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
    WEBPUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
    WEBPUSH_VAPID_SUBJECT: 'mailto:ops@deepstream.test',
    APNS_KEY_ID: 'KEYID12345',
    APNS_TEAM_ID: 'TEAMID1234',
    APNS_TOPIC: 'io.deepstream.app',
    HTTP_MAX_BODY_BYTES: '4096',
  };
  let apns: ApnsStandIn;
  let service: WebPushStandIn;
  let dir: string;
  before(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    apns = await startApnsStandIn({ publicKey, keyId: env.APNS_KEY_ID!, teamId: env.APNS_TEAM_ID!, topic: env.APNS_TOPIC! });
    service = await startWebPushStandIn({ vapidPublicKey: vapid.publicKey });
    dir = mkdtempSync(path.join(os.tmpdir(), 'ds-notify-'));
    writeFileSync(path.join(dir, 'apns.p8'), await exportPKCS8(privateKey as CryptoKey));
    writeFileSync(path.join(dir, 'ca.pem'), Buffer.concat([apns.ca, service.ca]));
    Object.assign(env, {
      WEBPUSH_ENDPOINT_HOSTS: new URL(service.origin).host,
      APNS_KEY_FILE: path.join(dir, 'apns.p8'),
      APNS_ORIGIN: apns.origin,
      NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem'),
    });
  });
  const running = useServer(env);
  after(async () => {
    await apns?.close();
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let sender: SignedIn;
  let recipient: SignedIn;
  const url = (p: string) => `${running().server.baseUrl}${p}`;
  const call = async (who: { accessToken: string } | null, method: string, p: string, body?: unknown) => {
    const res = await fetch(url(p), {
      method,
      headers: { ...(who ? bearer(who.accessToken) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: await jsonOf(res) };
  };
  const share = (message: string) =>
    postJson(
      running().server.baseUrl,
      '/api/constellations/share',
      { shareType: 'direct_user', recipientId: recipient.userId, message },
      bearer(sender.accessToken),
    );
  const count = async (table: string) => (await running().db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  before(async () => {
    sender = await signIn(running().server.baseUrl);
    recipient = await signIn(running().server.baseUrl);
    await running().db.sql.query(`INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at) VALUES (?, 'artist_fela_kuti', 0, 0, 0, now())`, [
      sender.userId,
    ]);
    await running().db.sql.query(`INSERT INTO media_ids (user_id, display_name) VALUES (?, 'Ada')`, [sender.userId]);
  });

  it('says at boot which push channels are on; GET /api/notifications/push gives the VAPID key', async () => {
    assert.match(running().server.output(), /push channels on: apns, webpush/);
    assert.deepEqual((await call(null, 'GET', '/api/notifications/push')).body, { apns: true, webPush: true, vapidPublicKey: vapid.publicKey });
  });

  it('a direct share reaches the live session at once and both push registrations; the next join gets the unread ones', async () => {
    const token = 'ab'.repeat(32);
    const sub = service.subscribe();
    assert.equal((await call(recipient, 'POST', '/api/notifications/devices', { apns: { deviceToken: token } })).status, 201);
    const web = await call(recipient, 'POST', '/api/notifications/devices', { webPush: sub.json });
    assert.deepEqual([web.status, web.body.kind, web.body.label], [201, 'webpush', new URL(service.origin).host]);
    assert.equal(
      (await call(recipient, 'POST', '/api/notifications/devices', { apns: { deviceToken: token.toUpperCase() } })).status,
      200,
      'the same token again refreshes',
    );

    const { room } = await joinSession(running().server.baseUrl, {}, recipient);
    const live = nextMessage(room, 'notification', 5000, 'the live share');
    const res = await share('Listen to this lineage!');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const entry = await live;
    assert.deepEqual(
      [entry.type, entry.title, entry.body, entry.shareId, entry.from.displayName, entry.read],
      ['constellation_share', 'Ada shared their constellation', 'Listen to this lineage!', res.body.shareId, 'Ada', false],
    );
    await until('both pushes delivered', () => apns.delivered.length === 1 && service.delivered.length === 1);
    assert.equal(apns.delivered[0]!.deviceToken, token);
    assert.deepEqual(apns.delivered[0]!.payload.aps.alert, { title: 'Ada shared their constellation', body: 'Listen to this lineage!' });
    assert.deepEqual(JSON.parse(service.delivered[0]!.payload), {
      title: 'Ada shared their constellation',
      body: 'Listen to this lineage!',
      deepLink: `/shared/${res.body.shareId}`,
      type: 'constellation_share',
      notificationId: entry.id,
    });
    await until('outbox emptied', async () => (await count('push_outbox')) === 0);
    await leaveQuietly(room);

    await share('One more while you were away');
    // Listening from the join on: the unread list follows the greeting as soon as it is read.
    const again = await joinAs(running().server.baseUrl, {}, recipient);
    const unreadAtJoin = nextMessage(again.room, 'notifications', 10_000, 'unread at join');
    const unread = await unreadAtJoin;
    assert.equal(unread.unread, 2);
    assert.deepEqual(
      unread.notifications.map((n: { body: string }) => n.body),
      ['One more while you were away', 'Listen to this lineage!'],
    );
    const marked = nextMessage(again.room, 'notifications_marked');
    again.room.send('notifications_read', { ids: [unread.notifications[1].id] });
    assert.deepEqual(await marked, { marked: 1 });
    const all = nextMessage(again.room, 'notifications_marked');
    again.room.send('notifications_read', { all: true });
    assert.deepEqual(await all, { marked: 1 });
    assert.equal((await call(recipient, 'GET', '/api/notifications')).body.unread, 0);
    await leaveQuietly(again.room);
  });

  it('opt-outs per kind and channel: push off keeps the inbox; both off stores no entry; the share itself is still made', async () => {
    const pushed = apns.delivered.length;
    const prefs = await call(recipient, 'PUT', '/api/notifications/preferences', { shares: { push: false } });
    assert.deepEqual(prefs.body, { shares: { inApp: true, push: false }, recommendations: { inApp: true, push: true } });
    const before = await count('notifications');
    assert.equal((await share('no push please')).status, 201);
    assert.equal(await count('notifications'), before + 1);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(apns.delivered.length, pushed, 'no push with shares.push off');
    await call(recipient, 'PUT', '/api/notifications/preferences', { shares: { inApp: false } });
    assert.equal((await share('nothing at all')).status, 201);
    assert.equal(await count('notifications'), before + 1, 'no entry with both channels off');
    await call(recipient, 'PUT', '/api/notifications/preferences', { shares: { inApp: true, push: true } });
  });

  it('the recipient bound: past NOTIFY_PER_RECIPIENT_PER_HOUR a share is 429 RATE_LIMITED naming recipientId, nothing stored', async () => {
    const other = await signIn(running().server.baseUrl);
    await running().db.sql.query(`INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at) VALUES (?, 'artist_fela_kuti', 0, 0, 0, now())`, [
      other.userId,
    ]);
    // 4 shares so far this hour to the recipient (the opt-out test's two count: they were sent); the bound is 6.
    const fromOther = () =>
      postJson(running().server.baseUrl, '/api/constellations/share', { shareType: 'direct_user', recipientId: recipient.userId }, bearer(other.accessToken));
    assert.equal((await fromOther()).status, 201);
    assert.equal((await fromOther()).status, 201);
    const [shares, notes] = [await count('constellation_shares'), await count('notifications')];
    const refused = await fromOther();
    assert.deepEqual([refused.status, refused.body.error, refused.body.details?.[0]?.field], [429, 'RATE_LIMITED', 'recipientId']);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.deepEqual([await count('constellation_shares'), await count('notifications')], [shares, notes]);
  });

  it("a capture makes a top recommendation: told live in the seed's words, once, and pushed", async () => {
    const listener = await signIn(running().server.baseUrl);
    const token = 'cd'.repeat(32);
    await call(listener, 'POST', '/api/notifications/devices', { apns: { deviceToken: token } });
    const { room } = await joinSession(running().server.baseUrl, {}, listener);
    const told = collect(room, 'notification');
    collect(room, 'captured');
    collect(room, 'badge');
    const recs = nextMessage(room, 'recommendations', 10_000);
    room.send('capture', { artistId: 'artist_wizkid' });
    const list = await recs;
    await until('the top recommendation told', () => told.items.length === 1);
    const top = list.recommendations[0];
    const [note] = told.items;
    assert.deepEqual(
      [note.type, note.title, note.body, note.artistId, note.deepLink],
      [
        'top_recommendation',
        'New artist to explore',
        `${top.artist.name} - ${top.reason}`,
        top.artist.id,
        top.artist.station === null ? null : `deepstream://station/${top.artist.station}`,
      ],
    );
    await until('pushed', () => apns.delivered.some((d) => d.deviceToken === token));
    const recs2 = nextMessage(room, 'recommendations', 10_000);
    room.send('capture', { artistId: 'artist_burna_boy' });
    await recs2;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(told.items.length, 1, 'within NOTIFY_TOP_RECOMMENDATION_INTERVAL_SEC nothing more is told');
    await leaveQuietly(room);
  });

  it('hostile registrations, preferences and room messages: a coded error each, nothing stored', async () => {
    const devicesBefore = await count('push_devices');
    const sub = service.subscribe().json;
    const cases: Array<[unknown, number, string]> = [
      [{ apns: { deviceToken: 'not-hex' } }, 400, 'apns.deviceToken'],
      [{ apns: { deviceToken: 'ab'.repeat(10) } }, 400, 'apns.deviceToken'],
      [{ apns: { deviceToken: 'ab'.repeat(32), extra: 1 } }, 400, 'apns.extra'],
      [{ apns: { deviceToken: 'ab'.repeat(32) }, webPush: sub }, 400, '(body)'],
      [{ webPush: { ...sub, endpoint: 'https://169.254.169.254/latest/meta-data' } }, 400, 'webPush.endpoint'],
      [{ webPush: { ...sub, endpoint: sub.endpoint.replace('https:', 'http:') } }, 400, 'webPush.endpoint'],
      [{ webPush: { ...sub, keys: { ...sub.keys, p256dh: 'AAAA' } } }, 400, 'webPush.keys.p256dh'],
      [{ webPush: { ...sub, keys: { ...sub.keys, auth: 'x'.repeat(99) } } }, 400, 'webPush.keys.auth'],
      [[], 400, '(body)'],
    ];
    for (const [body, status, field] of cases) {
      const res = await call(sender, 'POST', '/api/notifications/devices', body);
      assert.equal(res.status, status, JSON.stringify(body).slice(0, 100));
      assert.equal(res.body.error, 'VALIDATION_FAILED');
      assert.equal(res.body.details?.[0]?.field, field, JSON.stringify(res.body));
      assert.doesNotMatch(JSON.stringify(res.body), /stack|at .*\.ts|postgres/i);
    }
    const huge = await call(sender, 'POST', '/api/notifications/devices', JSON.stringify({ apns: { deviceToken: 'a'.repeat(10_000) } }));
    assert.deepEqual([huge.status, huge.body.error], [413, 'PAYLOAD_TOO_LARGE']);
    assert.equal((await call(null, 'POST', '/api/notifications/devices', { apns: { deviceToken: 'ab'.repeat(32) } })).status, 401);
    assert.equal(await count('push_devices'), devicesBefore, 'nothing stored');

    await call(sender, 'POST', '/api/notifications/devices', { apns: { deviceToken: '11'.repeat(32) } });
    await call(sender, 'POST', '/api/notifications/devices', { apns: { deviceToken: '22'.repeat(32) } });
    const third = await call(sender, 'POST', '/api/notifications/devices', { apns: { deviceToken: '33'.repeat(32) } });
    assert.deepEqual([third.status, third.body.error], [409, 'DEVICE_LIMIT']);
    const recipientDevice = (await call(recipient, 'GET', '/api/notifications/devices')).body.devices[0].id;
    assert.deepEqual((await call(sender, 'DELETE', `/api/notifications/devices/${recipientDevice}`)).status, 404, "another user's registration");
    assert.equal((await call(sender, 'DELETE', '/api/notifications/devices/abc')).status, 400);
    assert.equal((await call(recipient, 'GET', '/api/notifications/devices')).body.devices.length, 2, 'still there');

    for (const body of [{ shares: { push: 'no' } }, { shares: { email: true } }, { marketing: { push: false } }, [true]]) {
      const res = await call(recipient, 'PUT', '/api/notifications/preferences', body);
      assert.deepEqual([res.status, res.body.error], [400, 'VALIDATION_FAILED'], JSON.stringify(body));
    }
    assert.deepEqual((await call(recipient, 'GET', '/api/notifications/preferences')).body, {
      shares: { inApp: true, push: true },
      recommendations: { inApp: true, push: true },
    });

    const { room } = await joinSession(running().server.baseUrl, {}, sender);
    for (const msg of [
      {},
      { ids: [] },
      { ids: [7] },
      { ids: ['1'], all: true },
      { all: false },
      { ids: Array.from({ length: 101 }, (_, i) => String(i + 1)) },
    ]) {
      const error = nextMessage(room, 'error');
      room.send('notifications_read', msg);
      const e = await error;
      assert.deepEqual([e.code, e.for], ['BAD_INPUT', 'notifications_read'], JSON.stringify(msg));
    }
    const recipientsIds = (await call(recipient, 'GET', '/api/notifications?limit=100')).body.notifications.map((n: { id: string }) => n.id);
    await running().db.sql.query(`UPDATE notifications SET read_at = NULL WHERE user_id = ?`, [recipient.userId]);
    const marked = nextMessage(room, 'notifications_marked');
    room.send('notifications_read', { ids: recipientsIds.slice(0, 100) });
    assert.deepEqual(await marked, { marked: 0 }, "another user's entries are never marked");
    assert.equal((await call(recipient, 'GET', '/api/notifications')).body.unread, recipientsIds.length);
    await leaveQuietly(room);
  });
});
