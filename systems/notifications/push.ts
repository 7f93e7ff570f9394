/**
 * Push delivery rules (pure): what a registration must look like (an APNs device token; a Web Push
 * subscription per RFC 8030 with the RFC 8291 keys), what a provider's answer means (sent; the
 * registration is dead and goes; try again later; failed for good), the retry delay (exponential with
 * full jitter, capped), and the APNs payload within its 4 KB.
 */
import { z } from 'zod';
import { cut, type Notice } from './notices.js';

export const PUSH_KINDS = ['apns', 'webpush'] as const;
export type PushKind = (typeof PUSH_KINDS)[number];

/** An APNs device token: hex. Apple says not to rely on its length (32 bytes today), so 32–100 bytes pass. */
export const APNS_TOKEN_RE = /^[0-9a-f]{64,200}$/i;

const BASE64URL_RE = /^[A-Za-z0-9_-]+={0,2}$/;

/** Bytes of a base64url string, or null when it is not one. */
export function base64urlBytes(text: string): Buffer | null {
  if (!BASE64URL_RE.test(text)) return null;
  return Buffer.from(text.replace(/=+$/, ''), 'base64url');
}

/**
 * Whether `host` is one the server may POST a subscription's pushes to: a name (never an address literal,
 * unless listed) equal to or under one of `allowed` (WEBPUSH_ENDPOINT_HOSTS). A subscription is a URL the
 * client chose: without this, a hostile one points the server's requests at its own network.
 */
export function endpointHostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return allowed.some((a) => h === a || (!/^[\d.]+$|:/.test(h) && h.endsWith(`.${a}`)));
}

/** A Web Push subscription as the browser's `PushSubscription.toJSON()` gives it. */
export const webPushSubscriptionSchema = z.strictObject({
  endpoint: z
    .string()
    .max(2048)
    .url()
    .refine((u) => u.startsWith('https://'), 'must be an https URL (RFC 8030)'),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    // RFC 8291: the user agent's P-256 public key, uncompressed (65 bytes, 0x04 first), base64url.
    p256dh: z
      .string()
      .max(200)
      .refine((k) => {
        const bytes = base64urlBytes(k);
        return bytes !== null && bytes.length === 65 && bytes[0] === 0x04;
      }, 'must be the 65-byte uncompressed P-256 public key, base64url'),
    // RFC 8291: the 16-byte authentication secret, base64url.
    auth: z
      .string()
      .max(100)
      .refine((k) => base64urlBytes(k)?.length === 16, 'must be the 16-byte auth secret, base64url'),
  }),
});
export type WebPushSubscription = z.infer<typeof webPushSubscriptionSchema>;

/** What a provider's answer means for one push. */
export type PushOutcome =
  | { status: 'sent' }
  /** The registration is dead (BadDeviceToken, Unregistered, 404/410 Gone): it is removed with its pending pushes. */
  | { status: 'gone'; reason: string }
  /** Worth trying again (429, 5xx, a lost connection); `retryAfterMs` when the provider said when. */
  | { status: 'retry'; reason: string; retryAfterMs?: number }
  /** Will not succeed as it is (a payload or configuration the provider refuses): kept as failed, not retried. */
  | { status: 'failed'; reason: string };

/** APNs reasons (HTTP/2 response body `reason`) that say the device token is no use for this app. */
const APNS_GONE = new Set(['BadDeviceToken', 'Unregistered', 'ExpiredToken', 'DeviceTokenNotForTopic']);

/**
 * One APNs answer (status and `reason`), as Apple documents them: 200 sent; a dead token goes;
 * 429 TooManyRequests and 5xx (InternalServerError, ServiceUnavailable, Shutdown) are retried;
 * ExpiredProviderToken is retried with a fresh provider token; anything else failed.
 */
export function apnsOutcome(status: number, reason: string | null, retryAfterMs?: number): PushOutcome {
  if (status === 200) return { status: 'sent' };
  const why = reason ?? `HTTP ${status}`;
  if (reason !== null && APNS_GONE.has(reason)) return { status: 'gone', reason: why };
  if (status === 429 || status >= 500 || reason === 'ExpiredProviderToken' || reason === 'TooManyProviderTokenUpdates')
    return { status: 'retry', reason: why, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  return { status: 'failed', reason: why };
}

/**
 * One push service answer (RFC 8030 §5, RFC 8292): 201 (or any 2xx) sent; 404 and 410 the subscription
 * expired or was removed; 429 and 5xx retried (Retry-After honoured); 400, 401/403 (VAPID refused), 413
 * (payload too large) failed.
 */
export function webPushOutcome(status: number, retryAfterMs?: number): PushOutcome {
  if (status >= 200 && status < 300) return { status: 'sent' };
  if (status === 404 || status === 410) return { status: 'gone', reason: `HTTP ${status}` };
  if (status === 429 || status >= 500) return { status: 'retry', reason: `HTTP ${status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  return { status: 'failed', reason: `HTTP ${status}` };
}

/** A `Retry-After` header (seconds, or an HTTP date) as ms from `nowMs`; undefined when absent or unreadable. */
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

/**
 * The wait before try `attempt + 1` after `attempt` failed tries: full jitter over base × 2^(attempt−1),
 * capped at `maxMs` ("Exponential Backoff and Jitter"); a provider's Retry-After is a floor. `random` in [0, 1).
 */
export function backoffMs(attempt: number, settings: BackoffSettings, random: number, floorMs = 0): number {
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(floorMs, Math.floor(random * ceiling));
}

/** APNs refuses a payload above 4096 bytes. */
export const APNS_MAX_PAYLOAD_BYTES = 4096;

/** The APNs payload of a notice: an alert (title, body), the deep link and ids beside `aps`; a long body is cut to fit. */
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

/** The Web Push payload (encrypted by the adapter, RFC 8291): what the page's service worker shows. */
export function webPushPayload(notice: Notice, extra: { type: string; notificationId: string | null }): string {
  return JSON.stringify({ title: notice.title, body: notice.body, deepLink: notice.deepLink, type: extra.type, notificationId: extra.notificationId });
}
