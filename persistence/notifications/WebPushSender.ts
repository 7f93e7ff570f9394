/** The Web Push adapter (the `web-push` package: RFC 8030 delivery, RFC 8291 encryption, VAPID). */
import https from 'node:https';
import webpush from 'web-push';
import { retryAfterMs, webPushOutcome, type PushOutcome } from '../../systems/notifications/index.js';

export interface WebPushSettings {
  /** `mailto:` or `https:` contact the push service may use (the JWT's `sub`). */
  subject: string;
  /** The application server's P-256 key pair, base64url (`npx web-push generate-vapid-keys`). */
  publicKey: string;
  privateKey: string;
  /** How long the push service keeps an undelivered push (`TTL`, seconds). */
  ttlSec: number;
  timeoutMs: number;
  /** Extra trusted certificate (a stand-in's self-signed one in tests). */
  ca?: string | Buffer;
  now?: () => number;
}

export interface WebPushDelivery {
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  payload: string;
  /** RFC 8030 §5.4: a retried push replaces the undelivered one with the same topic. */
  topic: string;
}

export class WebPushSender {
  private readonly agent: https.Agent | undefined;
  private readonly now: () => number;

  constructor(private readonly settings: WebPushSettings) {
    // Checks the key pair and subject now: a bad one stops the boot with its variable named.
    webpush.getVapidHeaders('https://push.example', settings.subject, settings.publicKey, settings.privateKey, 'aes128gcm');
    this.agent = settings.ca ? new https.Agent({ ca: settings.ca, keepAlive: true }) : undefined;
    this.now = settings.now ?? Date.now;
  }

  async send(d: WebPushDelivery): Promise<PushOutcome> {
    const { settings } = this;
    try {
      const res = await webpush.sendNotification(d.subscription, d.payload, {
        vapidDetails: { subject: settings.subject, publicKey: settings.publicKey, privateKey: settings.privateKey },
        TTL: settings.ttlSec,
        contentEncoding: 'aes128gcm',
        urgency: 'normal',
        topic: d.topic,
        timeout: settings.timeoutMs,
        ...(this.agent ? { agent: this.agent } : {}),
      });
      return webPushOutcome(res.statusCode);
    } catch (err) {
      if (err instanceof webpush.WebPushError) {
        const header = err.headers?.['retry-after'];
        return webPushOutcome(err.statusCode, retryAfterMs(Array.isArray(header) ? header[0] : header, this.now()));
      }
      const e = err as NodeJS.ErrnoException;
      return { status: 'retry', reason: `connection: ${e.code ?? e.message}` };
    }
  }

  close(): void {
    this.agent?.destroy();
  }
}
