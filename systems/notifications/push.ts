/**
 * Push delivery rules: what a registration must look like (APNs token; Web Push subscription, RFC 8030/8291), what
 * a provider's answer means, the retry delay (exponential, full jitter, capped), the APNs payload within 4 KB.
 */
import { z } from 'zod';
import { cut, type Notice } from './notices.js';

export const PUSH_KINDS = ['apns', 'webpush'] as const;
export type PushKind = (typeof PUSH_KINDS)[number];

/** Hex. Apple says not to rely on its length (32 bytes today), so 32–100 bytes pass. */
export const APNS_TOKEN_RE = /^[0-9a-f]{64,200}$/i;

const BASE64URL_RE = /^[A-Za-z0-9_-]+={0,2}$/;

/** null when it is not one. */
export function base64urlBytes(text: string): Buffer | null {
  return BASE64URL_RE.test(text) ? Buffer.from(text.replace(/=+$/, ''), 'base64url') : null;
}

/**
 * A name (never an address literal, unless listed) equal to or under one of WEBPUSH_ENDPOINT_HOSTS, on port 443 or
 * the port its entry names ("127.0.0.1:8443"). A subscription is a URL the client chose: without this a hostile one
 * points the server's requests at its own network, or at any port of a push service's host.
 */
export function endpointHostAllowed(endpoint: URL, allowed: readonly string[]): boolean {
  const h = endpoint.hostname.toLowerCase().replace(/\.$/, '');
  const port = endpoint.port || '443';
  return allowed.some((entry) => {
    const [a, p = '443'] = entry.split(':');
    return p === port && (h === a || (!/^[\d.]+$|:/.test(h) && h.endsWith(`.${a}`)));
  });
}

/** As `PushSubscription.toJSON()` gives it. */
export const webPushSubscriptionSchema = z.strictObject({
  endpoint: z
    .string()
    .max(2048)
    .url()
    .refine((u) => u.startsWith('https://'), 'must be an https URL (RFC 8030)'),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    // The user agent's P-256 public key, uncompressed (65 bytes, 0x04 first).
    p256dh: z
      .string()
      .max(200)
      .refine((k) => {
        const bytes = base64urlBytes(k);
        return bytes !== null && bytes.length === 65 && bytes[0] === 0x04;
      }, 'must be the 65-byte uncompressed P-256 public key, base64url'),
    auth: z
      .string()
      .max(100)
      .refine((k) => base64urlBytes(k)?.length === 16, 'must be the 16-byte auth secret, base64url'),
  }),
});

export type PushOutcome =
  | { status: 'sent' }
  /** BadDeviceToken, Unregistered, 404/410: removed with its pending pushes. */
  | { status: 'gone'; reason: string }
  /** 429, 5xx, a lost connection; `retryAfterMs` when the provider said when. */
  | { status: 'retry'; reason: string; retryAfterMs?: number }
  /** A payload or configuration the provider refuses: kept as failed, not retried. */
  | { status: 'failed'; reason: string };

/** APNs `reason`s saying the token is no use for this app. */
const APNS_GONE = new Set(['BadDeviceToken', 'Unregistered', 'ExpiredToken', 'DeviceTokenNotForTopic']);

/** As Apple documents them; ExpiredProviderToken is retried with a fresh provider token. */
export function apnsOutcome(status: number, reason: string | null, retryAfterMs?: number): PushOutcome {
  if (status === 200) return { status: 'sent' };
  const why = reason ?? `HTTP ${status}`;
  if (reason !== null && APNS_GONE.has(reason)) return { status: 'gone', reason: why };
  if (status === 429 || status >= 500 || reason === 'ExpiredProviderToken' || reason === 'TooManyProviderTokenUpdates')
    return { status: 'retry', reason: why, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  return { status: 'failed', reason: why };
}

/** RFC 8030 §5, RFC 8292: 2xx sent; 404/410 gone; 429 and 5xx retried; 400, 401/403 (VAPID), 413 failed. */
export function webPushOutcome(status: number, retryAfterMs?: number): PushOutcome {
  if (status >= 200 && status < 300) return { status: 'sent' };
  if (status === 404 || status === 410) return { status: 'gone', reason: `HTTP ${status}` };
  if (status === 429 || status >= 500) return { status: 'retry', reason: `HTTP ${status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  return { status: 'failed', reason: `HTTP ${status}` };
}

/** Seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  if (/^\d{1,7}$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

/** Full jitter over base × 2^(attempt−1), capped at `maxMs`; a provider's Retry-After is a floor. `random` in [0, 1). */
export function backoffMs(attempt: number, settings: BackoffSettings, random: number, floorMs = 0): number {
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(floorMs, Math.floor(random * ceiling));
}

export const APNS_MAX_PAYLOAD_BYTES = 4096;

/** Ids and the deep link beside `aps`; a long body is cut to fit. */
export function apnsPayload(notice: Notice, extra: { type: string; notificationId: string | null }): string {
  let body = notice.body;
  for (;;) {
    const payload = JSON.stringify({
      aps: { alert: { title: notice.title, ...(body ? { body } : {}) }, sound: 'default' },
      deepLink: notice.deepLink,
      type: extra.type,
      notificationId: extra.notificationId,
    });
    if (Buffer.byteLength(payload) <= APNS_MAX_PAYLOAD_BYTES || !body) return payload;
    body = cut(body, Math.max(1, Math.floor([...body].length * 0.8)));
  }
}

/** What the page's service worker shows (encrypted by the adapter, RFC 8291). */
export function webPushPayload(notice: Notice, extra: { type: string; notificationId: string | null }): string {
  return JSON.stringify({ title: notice.title, body: notice.body, deepLink: notice.deepLink, type: extra.type, notificationId: extra.notificationId });
}
