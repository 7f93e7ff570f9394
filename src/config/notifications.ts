/**
 * Notifications (features/notifications): the rate bounds, what a session is told at its join, and push
 * delivery (the outbox's bound and retries, the per-user registrations, APNs and Web Push credentials).
 * Credentials are optional: without them that push channel is off (the boot log says so) and
 * notifications still reach the inbox and live sessions. Each variable has a row in docs/CONFIG.md.
 */
import { ConfigError } from '../errors.js';
import { int, note, optionalString, optionalText, text, url, type Env } from './parse.js';

export interface ApnsConfig {
  /** Path of the .p8 signing key (PKCS#8 PEM). */
  keyFile: string;
  keyId: string;
  teamId: string;
  /** The app's bundle id (`apns-topic`). */
  topic: string;
  origin: string;
  expirationSec: number;
}

export interface WebPushConfig {
  publicKey: string;
  privateKey: string;
  subject: string;
  ttlSec: number;
}

export interface NotificationsConfig {
  /** Notifications from other users (direct shares) one user may receive per hour; the sender's bound is JOURNAL_DIRECT_SHARES_PER_HOUR. */
  perRecipientPerHour: number;
  /** Least time between two top-recommendation notifications of one user. */
  topRecommendationIntervalSec: number;
  /** Unread entries a session is sent at its join or resume (newest first). */
  joinUnreadMax: number;
  push: {
    /** Pending pushes at most in the outbox; beyond it a notification is not pushed (it still reaches the inbox). */
    queueMax: number;
    devicesPerUser: number;
    maxAttempts: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
    leaseMs: number;
    pollMs: number;
    batch: number;
    concurrency: number;
    timeoutMs: number;
    failedRetentionHours: number;
    /** Hosts (with their subdomains) a Web Push subscription's endpoint may be on. */
    webPushHosts: string[];
    /** Unset: APNs is off. */
    apns?: ApnsConfig;
    /** Unset: Web Push is off. */
    webPush?: WebPushConfig;
  };
}

/** The push services browsers subscribe to (Chrome/Edge via FCM, Firefox, Safari, Windows). */
const WEB_PUSH_HOSTS = 'fcm.googleapis.com,updates.push.services.mozilla.com,push.apple.com,notify.windows.com';

export function notificationsConfig(env: Env): { notifications: NotificationsConfig } {
  return {
    notifications: {
      perRecipientPerHour: int(env, 'NOTIFY_PER_RECIPIENT_PER_HOUR', 30, 1, 10_000),
      // The seed recomputes recommendations daily: one top-recommendation notice a day at most.
      topRecommendationIntervalSec: int(env, 'NOTIFY_TOP_RECOMMENDATION_INTERVAL_SEC', 86_400, 0, 30 * 86_400),
      joinUnreadMax: int(env, 'NOTIFY_JOIN_UNREAD_MAX', 20, 0, 100),
      push: {
        queueMax: int(env, 'PUSH_QUEUE_MAX', 10_000, 1, 1_000_000),
        devicesPerUser: int(env, 'PUSH_DEVICES_PER_USER', 10, 1, 100),
        // 8 tries over ~1 + 2 + … + 128 s (full jitter halves it on average) ≈ 4 min of provider trouble.
        maxAttempts: int(env, 'PUSH_MAX_ATTEMPTS', 8, 1, 50),
        backoffBaseMs: int(env, 'PUSH_BACKOFF_BASE_MS', 1000, 1, 3_600_000),
        backoffMaxMs: int(env, 'PUSH_BACKOFF_MAX_MS', 300_000, 1, 86_400_000),
        leaseMs: int(env, 'PUSH_LEASE_MS', 30_000, 1000, 3_600_000),
        pollMs: int(env, 'PUSH_POLL_MS', 1000, 10, 600_000),
        batch: int(env, 'PUSH_BATCH', 50, 1, 1000),
        concurrency: int(env, 'PUSH_CONCURRENCY', 8, 1, 256),
        timeoutMs: int(env, 'PUSH_TIMEOUT_MS', 10_000, 100, 120_000),
        failedRetentionHours: int(env, 'PUSH_FAILED_RETENTION_HOURS', 168, 1, 24 * 365),
        webPushHosts: hosts(env, 'WEBPUSH_ENDPOINT_HOSTS', WEB_PUSH_HOSTS),
        apns: apnsConfig(env),
        webPush: webPushConfig(env),
      },
    },
  };
}

function apnsConfig(env: Env): ApnsConfig | undefined {
  const keyFile = optionalText(env, 'APNS_KEY_FILE');
  const keyId = optionalText(env, 'APNS_KEY_ID');
  const teamId = optionalText(env, 'APNS_TEAM_ID');
  const topic = optionalText(env, 'APNS_TOPIC');
  const origin = url(env, 'APNS_ORIGIN', ['https:']) ?? 'https://api.push.apple.com';
  const expirationSec = int(env, 'APNS_EXPIRATION_SEC', 86_400, 0, 30 * 86_400);
  const given = { APNS_KEY_FILE: keyFile, APNS_KEY_ID: keyId, APNS_TEAM_ID: teamId, APNS_TOPIC: topic };
  const set = Object.entries(given).filter(([, v]) => v);
  if (set.length === 0) return undefined;
  if (set.length < 4) {
    const missing = Object.keys(given).filter((k) => !given[k as keyof typeof given]);
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

function webPushConfig(env: Env): WebPushConfig | undefined {
  const publicKey = optionalText(env, 'WEBPUSH_VAPID_PUBLIC_KEY');
  const privateKey = optionalString(env, 'WEBPUSH_VAPID_PRIVATE_KEY', 43);
  const subject = text(env, 'WEBPUSH_VAPID_SUBJECT', '');
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

/** A comma-separated list of host names (lower case, no scheme or port). */
function hosts(env: Env, name: string, fallback: string): string[] {
  note({ name, kind: 'text', fallback });
  const raw = env[name] || fallback;
  const list = raw
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const h of list)
    if (!/^[a-z0-9.-]{1,253}$/.test(h)) throw new ConfigError(name, `"${h}" is not a host name; list host names separated by commas, like ${fallback}.`);
  if (list.length === 0) throw new ConfigError(name, `list at least one host, like ${fallback}`);
  return list;
}
