/** Notifications: rate bounds, what a join is told, push delivery. Without credentials a push channel is off; the inbox and live sessions still work. */
import { ConfigError } from '../errors.js';
import { int, optionalString, optionalText, text, url, valueOf, type Env } from './parse.js';

/** The push services browsers subscribe to (Chrome/Edge via FCM, Firefox, Safari, Windows). */
const WEB_PUSH_HOSTS = 'fcm.googleapis.com,updates.push.services.mozilla.com,push.apple.com,notify.windows.com';

export type NotificationsConfig = ReturnType<typeof notificationsConfig>['notifications'];

/** @group notifications */
export function notificationsConfig(env: Env) {
  return {
    notifications: {
      /** direct shares one user may receive per hour; one more is refused 429 naming `recipientId` */
      perRecipientPerHour: int(env, 'NOTIFY_PER_RECIPIENT_PER_HOUR', 30, 1, 10_000),
      /** least time between two top-recommendation notifications of one user; the same artist is never told twice */
      topRecommendationIntervalSec: int(env, 'NOTIFY_TOP_RECOMMENDATION_INTERVAL_SEC', 86_400, 0, 30 * 86_400),
      /** unread inbox entries a session is sent (`notifications`, newest first) at its join or resume; 0 sends none */
      joinUnreadMax: int(env, 'NOTIFY_JOIN_UNREAD_MAX', 20, 0, 100),
      push: {
        /** pending pushes at most in the outbox (all processes); beyond it a notification is not pushed (still in the inbox and live; counted `outbox_full`) */
        queueMax: int(env, 'PUSH_QUEUE_MAX', 10_000, 1, 1_000_000),
        /** push registrations (APNs tokens and Web Push subscriptions) one user may hold; one more is refused 409 `DEVICE_LIMIT` */
        devicesPerUser: int(env, 'PUSH_DEVICES_PER_USER', 10, 1, 100),
        /** tries of one push that keeps failing for now (429, 5xx, a lost connection) before it is marked failed */
        maxAttempts: int(env, 'PUSH_MAX_ATTEMPTS', 8, 1, 50),
        /** the wait after a failed try is random in [0, min(`PUSH_BACKOFF_MAX_MS`, base × 2^(tries−1))); a provider's Retry-After is a floor */
        backoffBaseMs: int(env, 'PUSH_BACKOFF_BASE_MS', 1000, 1, 3_600_000),
        /** the longest wait between two tries of one push (see `PUSH_BACKOFF_BASE_MS`) */
        backoffMaxMs: int(env, 'PUSH_BACKOFF_MAX_MS', 300_000, 1, 86_400_000),
        /** how long a claimed push is held by its worker; a worker that dies leaves it to be claimed again after this */
        leaseMs: int(env, 'PUSH_LEASE_MS', 30_000, 1000, 3_600_000),
        /** how often each process looks for due pushes (a new notification wakes its own process at once) */
        pollMs: int(env, 'PUSH_POLL_MS', 1000, 10, 600_000),
        /** pushes claimed per round */
        batch: int(env, 'PUSH_BATCH', 50, 1, 1000),
        /** pushes in flight at once per process */
        concurrency: int(env, 'PUSH_CONCURRENCY', 8, 1, 256),
        /** one provider request's time limit (then retried) */
        timeoutMs: int(env, 'PUSH_TIMEOUT_MS', 10_000, 100, 120_000),
        /** failed pushes are kept this long in the outbox (for inspection), then deleted */
        failedRetentionHours: int(env, 'PUSH_FAILED_RETENTION_HOURS', 168, 1, 24 * 365),
        /** push service hosts (and subdomains; port 443 unless named, `host:8443`) a Web Push endpoint may be on; others are refused 400 */
        webPushHosts: hosts(env, 'WEBPUSH_ENDPOINT_HOSTS', WEB_PUSH_HOSTS),
        apns: apnsConfig(env),
        webPush: webPushConfig(env),
      },
    },
  };
}

/** @group notifications */
function apnsConfig(env: Env) {
  /** the APNs token-auth signing key (.p8, PKCS#8 PEM); with `APNS_KEY_ID`, `APNS_TEAM_ID` and `APNS_TOPIC` it turns APNs on */
  const keyFile = optionalText(env, 'APNS_KEY_FILE');
  /** the 10-character key id of `APNS_KEY_FILE` (the provider token's `kid`) */
  const keyId = optionalText(env, 'APNS_KEY_ID');
  /** the 10-character Apple team id (the provider token's `iss`) */
  const teamId = optionalText(env, 'APNS_TEAM_ID');
  /** the app's bundle id (`apns-topic`) */
  const topic = optionalText(env, 'APNS_TOPIC');
  /**
   * the APNs provider API: `https://api.push.apple.com` (production builds) or `https://api.sandbox.push.apple.com` (development builds)
   * @default https://api.push.apple.com
   */
  const origin = url(env, 'APNS_ORIGIN', ['https:']) ?? 'https://api.push.apple.com';
  /** APNs drops a push it could not deliver within this many seconds (`apns-expiration`; 0: one try only) */
  const expirationSec = int(env, 'APNS_EXPIRATION_SEC', 86_400, 0, 30 * 86_400);
  const given = { APNS_KEY_FILE: keyFile, APNS_KEY_ID: keyId, APNS_TEAM_ID: teamId, APNS_TOPIC: topic };
  const missing = Object.keys(given).filter((k) => !given[k as keyof typeof given]);
  if (missing.length === 4) return undefined;
  if (missing.length > 0) {
    throw new ConfigError(
      missing[0]!,
      `APNs needs APNS_KEY_FILE, APNS_KEY_ID, APNS_TEAM_ID and APNS_TOPIC together; set ${missing.join(', ')} too, or unset them all to turn APNs off.`,
    );
  }
  for (const name of ['APNS_KEY_ID', 'APNS_TEAM_ID'] as const)
    if (!/^[A-Z0-9]{10}$/.test(given[name]!))
      throw new ConfigError(name, `"${given[name]}" is not a 10-character Apple id (A–Z, 0–9) from the developer account.`);
  return { keyFile: keyFile!, keyId: keyId!, teamId: teamId!, topic: topic!, origin, expirationSec };
}

/** @group notifications */
function webPushConfig(env: Env) {
  /** the VAPID public key (RFC 8292, base64url P-256; `npx web-push generate-vapid-keys`); with the private key and subject it turns Web Push on */
  const publicKey = optionalText(env, 'WEBPUSH_VAPID_PUBLIC_KEY');
  /** the VAPID private key (base64url); never logged */
  const privateKey = optionalString(env, 'WEBPUSH_VAPID_PRIVATE_KEY', 43);
  /** how a push service reaches the operator: `mailto:…` or an https URL (required with the keys) */
  const subject = text(env, 'WEBPUSH_VAPID_SUBJECT', '');
  /** how long a push service keeps a push for an offline browser (`TTL`) */
  const ttlSec = int(env, 'WEBPUSH_TTL_SEC', 86_400, 0, 28 * 86_400);
  if (!publicKey && !privateKey) return undefined;
  if (!publicKey || !privateKey)
    throw new ConfigError(
      publicKey ? 'WEBPUSH_VAPID_PRIVATE_KEY' : 'WEBPUSH_VAPID_PUBLIC_KEY',
      'Web Push needs both VAPID keys; generate a pair with `npx web-push generate-vapid-keys`, or unset both to turn Web Push off.',
    );
  if (!/^(mailto:|https:\/\/)\S+$/.test(subject))
    throw new ConfigError('WEBPUSH_VAPID_SUBJECT', 'Web Push needs a contact for the push services (RFC 8292): `mailto:ops@example.com` or an https URL.');
  return { publicKey, privateKey, subject, ttlSec };
}

/** Lower case, no scheme or port. */
function hosts(env: Env, name: string, fallback: string): string[] {
  const list = (valueOf(env, { name, kind: 'text', fallback }) ?? fallback)
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const h of list)
    if (!/^[a-z0-9.-]{1,253}(:\d{1,5})?$/.test(h))
      throw new ConfigError(name, `"${h}" is not a host name; list host names separated by commas, like ${fallback}.`);
  if (list.length === 0) throw new ConfigError(name, `list at least one host, like ${fallback}`);
  return list;
}
