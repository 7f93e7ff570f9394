import assert from 'node:assert/strict';
import { exportPKCS8, generateKeyPair, type CryptoKey } from 'jose';
import webpush from 'web-push';
import { ApnsSender } from '../../../persistence/notifications/ApnsSender.js';
import { WebPushSender } from '../../../persistence/notifications/WebPushSender.js';
import { apnsPayload, webPushPayload } from '../../../systems/notifications/index.js';
import { startApnsStandIn, startWebPushStandIn, type ApnsStandIn, type WebPushStandIn } from '../../support/pushStandIns.js';

const TOKEN = 'a'.repeat(64);
const notice = { title: 'Ada shared their constellation', body: 'Listen to this lineage!', deepLink: '/shared/q0x3VbJ6r1m0sQ9Yl2o8Zw' };

/**
 * The push adapters against local stand-ins that speak the providers' protocols (test/support/pushStandIns.ts):
 * APNs over HTTP/2 and TLS with a provider token the stand-in verifies with the team key, and a Web Push
 * service that checks VAPID and decrypts the aes128gcm body with the subscription's own keys. Each provider
 * answer becomes the outcome the outbox acts on: sent, gone (the registration is removed), retry, failed.
 */
describe('push adapters against provider stand-ins (APNs HTTP/2, Web Push RFC 8030/8291/8292)', function () {
  this.timeout(20_000);

  describe('APNs', () => {
    let apns: ApnsStandIn;
    let keyPem: string;
    let clock = Date.now();
    let sender: ApnsSender;
    before(async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      keyPem = await exportPKCS8(privateKey as CryptoKey);
      apns = await startApnsStandIn({ publicKey, keyId: 'ABC123DEFG', teamId: 'TEAM123456', topic: 'io.deepstream.app' });
      sender = new ApnsSender({
        origin: apns.origin,
        keyPem,
        keyId: 'ABC123DEFG',
        teamId: 'TEAM123456',
        topic: 'io.deepstream.app',
        expirationSec: 3600,
        timeoutMs: 5000,
        ca: apns.ca,
        now: () => clock,
      });
    });
    after(async () => {
      sender.close();
      await apns.close();
    });

    it('sends an alert over HTTP/2 with a verified ES256 provider token and the headers APNs checks', async () => {
      const outcome = await sender.send({
        deviceToken: TOKEN,
        payload: apnsPayload(notice, { type: 'constellation_share', notificationId: '7' }),
        collapseId: 'n7',
      });
      assert.deepEqual(outcome, { status: 'sent' });
      const [d] = apns.delivered;
      assert.equal(d!.deviceToken, TOKEN);
      assert.deepEqual(d!.jwt.header, { alg: 'ES256', kid: 'ABC123DEFG' });
      assert.equal(d!.jwt.claims.iss, 'TEAM123456');
      assert.equal(d!.jwt.claims.iat, Math.floor(clock / 1000));
      assert.equal(d!.headers['apns-topic'], 'io.deepstream.app');
      assert.equal(d!.headers['apns-push-type'], 'alert');
      assert.equal(d!.headers['apns-priority'], '10');
      assert.equal(d!.headers['apns-expiration'], String(Math.floor(clock / 1000) + 3600));
      assert.equal(d!.headers['apns-collapse-id'], 'n7');
      assert.deepEqual(d!.payload.aps.alert, { title: notice.title, body: notice.body });
      assert.equal(d!.payload.deepLink, notice.deepLink);
      assert.equal(d!.payload.notificationId, '7');
    });

    it('reuses its provider token for 40 minutes (Apple refuses refreshes under 20), then signs a new one', async () => {
      const before = apns.delivered.length;
      await sender.send({ deviceToken: TOKEN, payload: apnsPayload(notice, { type: 'constellation_share', notificationId: '8' }), collapseId: 'n8' });
      clock += 39 * 60_000;
      await sender.send({ deviceToken: TOKEN, payload: apnsPayload(notice, { type: 'constellation_share', notificationId: '9' }), collapseId: 'n9' });
      clock += 2 * 60_000;
      await sender.send({ deviceToken: TOKEN, payload: apnsPayload(notice, { type: 'constellation_share', notificationId: '10' }), collapseId: 'n10' });
      const tokens = apns.delivered.slice(before - 1).map((d) => d.jwt.token);
      assert.equal(new Set(tokens.slice(0, 3)).size, 1, 'one token for the first 40 minutes');
      assert.notEqual(tokens[3], tokens[0], 'a fresh token after 40 minutes');
    });

    it("reads Apple's reasons: a dead token is gone, 429 and 5xx retry (Retry-After kept), a refused payload fails", async () => {
      const cases: Array<[{ status: number; reason: string; retryAfter?: string }, unknown]> = [
        [
          { status: 400, reason: 'BadDeviceToken' },
          { status: 'gone', reason: 'BadDeviceToken' },
        ],
        [
          { status: 410, reason: 'Unregistered' },
          { status: 'gone', reason: 'Unregistered' },
        ],
        [
          { status: 400, reason: 'DeviceTokenNotForTopic' },
          { status: 'gone', reason: 'DeviceTokenNotForTopic' },
        ],
        [
          { status: 429, reason: 'TooManyRequests', retryAfter: '7' },
          { status: 'retry', reason: 'TooManyRequests', retryAfterMs: 7000 },
        ],
        [
          { status: 503, reason: 'ServiceUnavailable' },
          { status: 'retry', reason: 'ServiceUnavailable' },
        ],
        [
          { status: 500, reason: 'InternalServerError' },
          { status: 'retry', reason: 'InternalServerError' },
        ],
        [
          { status: 413, reason: 'PayloadTooLarge' },
          { status: 'failed', reason: 'PayloadTooLarge' },
        ],
      ];
      const token = 'b'.repeat(64);
      for (const [answer, expected] of cases) {
        apns.answers.set(token, [answer]);
        assert.deepEqual(
          await sender.send({ deviceToken: token, payload: apnsPayload(notice, { type: 'x', notificationId: null }), collapseId: 'c' }),
          expected,
          answer.reason,
        );
      }
    });

    it('an expired provider token is retried, and the retry signs a fresh one that APNs takes', async () => {
      const issued = apns.delivered.at(-1)!.jwt.claims.iat!; // the token the sender holds now
      apns.expireTokensIssuedBefore = issued + 1;
      const first = await sender.send({ deviceToken: TOKEN, payload: apnsPayload(notice, { type: 'x', notificationId: null }), collapseId: 'e' });
      assert.deepEqual(first, { status: 'retry', reason: 'ExpiredProviderToken' });
      clock = (issued + 1) * 1000;
      assert.deepEqual(await sender.send({ deviceToken: TOKEN, payload: apnsPayload(notice, { type: 'x', notificationId: null }), collapseId: 'e' }), {
        status: 'sent',
      });
      assert.equal(apns.delivered.at(-1)!.jwt.claims.iat, issued + 1);
    });

    it('a token signed with another key is refused InvalidProviderToken: failed, not retried', async () => {
      const other = await generateKeyPair('ES256', { extractable: true });
      const wrong = new ApnsSender({
        origin: apns.origin,
        keyPem: await exportPKCS8(other.privateKey as CryptoKey),
        keyId: 'ABC123DEFG',
        teamId: 'TEAM123456',
        topic: 'io.deepstream.app',
        expirationSec: 0,
        timeoutMs: 5000,
        ca: apns.ca,
      });
      assert.deepEqual(await wrong.send({ deviceToken: TOKEN, payload: '{"aps":{}}', collapseId: 'w' }), { status: 'failed', reason: 'InvalidProviderToken' });
      wrong.close();
    });

    it('an unreachable APNs is a retry (connection refused), never a throw', async () => {
      const down = new ApnsSender({
        origin: 'https://127.0.0.1:1',
        keyPem,
        keyId: 'ABC123DEFG',
        teamId: 'TEAM123456',
        topic: 't',
        expirationSec: 0,
        timeoutMs: 2000,
      });
      const outcome = await down.send({ deviceToken: TOKEN, payload: '{"aps":{}}', collapseId: 'd' });
      assert.equal(outcome.status, 'retry');
      down.close();
    });
  });

  describe('Web Push', () => {
    const vapid = webpush.generateVAPIDKeys();
    let service: WebPushStandIn;
    let sender: WebPushSender;
    before(async () => {
      service = await startWebPushStandIn({ vapidPublicKey: vapid.publicKey });
      sender = new WebPushSender({
        subject: 'mailto:ops@deepstream.test',
        publicKey: vapid.publicKey,
        privateKey: vapid.privateKey,
        ttlSec: 600,
        timeoutMs: 5000,
        ca: service.ca,
      });
    });
    after(async () => {
      sender.close();
      await service.close();
    });

    it('the push service verifies the VAPID JWT and decrypts the aes128gcm payload with the subscription keys', async () => {
      const sub = service.subscribe();
      const payload = webPushPayload(notice, { type: 'constellation_share', notificationId: '7' });
      assert.deepEqual(await sender.send({ subscription: sub.json, payload, topic: 'n7' }), { status: 'sent' });
      const [d] = service.delivered;
      assert.equal(d!.payload, payload, 'decrypted by the browser side equals what was sent');
      assert.deepEqual(JSON.parse(d!.payload), { ...notice, type: 'constellation_share', notificationId: '7' });
      assert.equal(d!.vapid.aud, service.origin);
      assert.equal(d!.vapid.sub, 'mailto:ops@deepstream.test');
      assert.equal(d!.headers['content-encoding'], 'aes128gcm');
      assert.equal(d!.headers.ttl, '600');
      assert.equal(d!.headers.topic, 'n7');
    });

    it('410/404 are gone, 429 and 5xx retry with Retry-After, 413 fails; a push signed with other VAPID keys is refused', async () => {
      const sub = service.subscribe();
      const cases: Array<[{ status: number; retryAfter?: string }, unknown]> = [
        [
          { status: 429, retryAfter: '3' },
          { status: 'retry', reason: 'HTTP 429', retryAfterMs: 3000 },
        ],
        [{ status: 503 }, { status: 'retry', reason: 'HTTP 503' }],
        [{ status: 413 }, { status: 'failed', reason: 'HTTP 413' }],
        [{ status: 404 }, { status: 'gone', reason: 'HTTP 404' }],
      ];
      for (const [answer, expected] of cases) {
        service.answers.set(sub.id, [answer]);
        assert.deepEqual(await sender.send({ subscription: sub.json, payload: '{}', topic: 't' }), expected, String(answer.status));
      }
      service.unsubscribed.add(sub.id);
      assert.deepEqual(await sender.send({ subscription: sub.json, payload: '{}', topic: 't' }), { status: 'gone', reason: 'HTTP 410' });
      const other = webpush.generateVAPIDKeys();
      const impostor = new WebPushSender({
        subject: 'mailto:x@y.test',
        publicKey: other.publicKey,
        privateKey: other.privateKey,
        ttlSec: 60,
        timeoutMs: 5000,
        ca: service.ca,
      });
      assert.deepEqual(await impostor.send({ subscription: service.subscribe().json, payload: '{}', topic: 't' }), { status: 'failed', reason: 'HTTP 401' });
      impostor.close();
    });
  });
});
