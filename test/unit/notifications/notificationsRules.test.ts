import assert from 'node:assert/strict';
import {
  apnsOutcome,
  apnsPayload,
  backoffMs,
  endpointHostAllowed,
  openChannels,
  retryAfterMs,
  shareNotice,
  shouldTellTop,
  topRecommendationNotice,
  webPushOutcome,
  webPushSubscriptionSchema,
} from '../../../systems/notifications/index.js';

const P256DH = 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM';
const AUTH = 'tBHItJI5svbpez7KI4CCXg';

/** The pure notification rules (systems/notifications): the seed's words, when the top is told, push validation, answers and backoff. */
describe('notification rules (systems/notifications)', () => {
  it("says a share and a top recommendation in the seed's words (000 steps 16.4 and 12.10)", () => {
    assert.deepEqual(shareNotice('Ada', 'Listen!', 'abc'), { title: 'Ada shared their constellation', body: 'Listen!', deepLink: '/shared/abc' });
    assert.equal(shareNotice(null, null, 'abc').title, 'A listener shared their constellation');
    assert.deepEqual(topRecommendationNotice({ artistId: 'artist_davido', artistName: 'Davido', reason: 'Connected to Wizkid', station: 98.9 }), {
      title: 'New artist to explore',
      body: 'Davido - Connected to Wizkid',
      deepLink: 'deepstream://station/98.9',
    });
  });

  it('tells a top artist when it is new and the interval has passed; never the same one twice', () => {
    const H = 3_600_000;
    assert.equal(shouldTellTop('a', { artistId: null, atMs: null }, 0, H), 'tell');
    assert.equal(shouldTellTop('a', { artistId: 'a', atMs: 0 }, 10 * H, H), 'same');
    assert.equal(shouldTellTop('b', { artistId: 'a', atMs: 0 }, H - 1, H), 'too_soon');
    assert.equal(shouldTellTop('b', { artistId: 'a', atMs: 0 }, H, H), 'tell');
    assert.equal(shouldTellTop(null, { artistId: 'a', atMs: 0 }, H, H), 'none');
  });

  it('opens the channels the user left on for the kind of the notification', () => {
    const prefs = { shares: { inApp: true, push: false }, recommendations: { inApp: false, push: true } };
    assert.deepEqual(openChannels(prefs, 'constellation_share'), { inApp: true, push: false });
    assert.deepEqual(openChannels(prefs, 'top_recommendation'), { inApp: false, push: true });
  });

  it('takes a Web Push subscription only with an https endpoint and RFC 8291 keys of the right sizes', () => {
    const ok = { endpoint: 'https://fcm.googleapis.com/fcm/send/x', expirationTime: null, keys: { p256dh: P256DH, auth: AUTH } };
    assert.equal(webPushSubscriptionSchema.safeParse(ok).success, true);
    const bad = [
      { ...ok, endpoint: 'http://fcm.googleapis.com/x' },
      { ...ok, endpoint: 'not a url' },
      { ...ok, keys: { p256dh: P256DH.slice(0, 40), auth: AUTH } },
      { ...ok, keys: { p256dh: P256DH, auth: 'AAAA' } },
      { ...ok, keys: { p256dh: `A${P256DH.slice(1)}`, auth: AUTH } },
      { ...ok, extra: 1 },
      { ...ok, endpoint: `https://fcm.googleapis.com/${'x'.repeat(2100)}` },
    ];
    for (const sub of bad) assert.equal(webPushSubscriptionSchema.safeParse(sub).success, false, JSON.stringify(sub).slice(0, 80));
  });

  it('sends to push service hosts only, never an address literal or a look-alike', () => {
    const allowed = ['fcm.googleapis.com', 'push.apple.com'];
    assert.equal(endpointHostAllowed(new URL('https://fcm.googleapis.com/p'), allowed), true);
    assert.equal(endpointHostAllowed(new URL('https://web.push.apple.com/p'), allowed), true);
    assert.equal(endpointHostAllowed(new URL('https://evilpush.apple.com.attacker.test/p'), allowed), false);
    assert.equal(endpointHostAllowed(new URL('https://notpush.apple.com/p'), allowed), false);
    assert.equal(endpointHostAllowed(new URL('https://169.254.169.254/p'), allowed), false);
    assert.equal(endpointHostAllowed(new URL('https://[::1]/p'), allowed), false);
    assert.equal(endpointHostAllowed(new URL('https://127.0.0.1:8443/p'), ['127.0.0.1:8443']), true, 'a listed address and port is allowed (a test stand-in)');
    assert.equal(endpointHostAllowed(new URL('https://fcm.googleapis.com:8080/p'), allowed), false, 'another port of an allowed host');
    assert.equal(endpointHostAllowed(new URL('https://fcm.googleapis.com:443/p'), allowed), true);
    assert.equal(endpointHostAllowed(new URL('https://127.0.0.1:9000/p'), ['127.0.0.1:8443']), false);
  });

  it('reads APNs and push service answers: sent, gone, retry, failed', () => {
    assert.deepEqual(apnsOutcome(200, null), { status: 'sent' });
    assert.equal(apnsOutcome(400, 'BadDeviceToken').status, 'gone');
    assert.equal(apnsOutcome(410, 'Unregistered').status, 'gone');
    assert.deepEqual(apnsOutcome(429, 'TooManyRequests', 5000), { status: 'retry', reason: 'TooManyRequests', retryAfterMs: 5000 });
    assert.equal(apnsOutcome(503, 'ServiceUnavailable').status, 'retry');
    assert.equal(apnsOutcome(403, 'ExpiredProviderToken').status, 'retry');
    assert.equal(apnsOutcome(403, 'InvalidProviderToken').status, 'failed');
    assert.equal(apnsOutcome(400, 'BadTopic').status, 'failed');
    assert.deepEqual(webPushOutcome(201), { status: 'sent' });
    assert.equal(webPushOutcome(410).status, 'gone');
    assert.equal(webPushOutcome(404).status, 'gone');
    assert.equal(webPushOutcome(429).status, 'retry');
    assert.equal(webPushOutcome(502).status, 'retry');
    assert.equal(webPushOutcome(413).status, 'failed');
    assert.equal(retryAfterMs('12', 0), 12_000);
    assert.equal(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 0), 10_000);
    assert.equal(retryAfterMs('soon', 0), undefined);
  });

  it('backs off exponentially with full jitter, capped, a Retry-After being a floor', () => {
    const s = { baseMs: 1000, maxMs: 60_000 };
    assert.deepEqual(
      [1, 2, 3, 4].map((a) => backoffMs(a, s, 0.999_999)),
      [999, 1999, 3999, 7999],
    );
    assert.equal(backoffMs(20, s, 0.5), 30_000, 'capped at maxMs');
    assert.equal(backoffMs(1, s, 0), 0, 'full jitter reaches 0');
    assert.equal(backoffMs(1, s, 0, 7000), 7000);
  });

  it('keeps an APNs payload within 4 KB by cutting the body', () => {
    const payload = apnsPayload({ title: 'T', body: 'word '.repeat(2000), deepLink: null }, { type: 'constellation_share', notificationId: '1' });
    assert.ok(Buffer.byteLength(payload) <= 4096);
    assert.match(JSON.parse(payload).aps.alert.body, /…$/);
  });
});
