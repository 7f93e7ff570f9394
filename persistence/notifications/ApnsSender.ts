/**
 * The APNs adapter: one long-lived HTTP/2 session (as Apple asks) and a token JWT reused for 40 minutes (Apple refuses
 * one refreshed more often than 20 minutes and expires one after an hour). Apple's `reason` decides the {@link PushOutcome}.
 */
import http2 from 'node:http2';
import { importPKCS8, SignJWT, type CryptoKey } from 'jose';
import { apnsOutcome, retryAfterMs, type PushOutcome } from '../../systems/notifications/index.js';

export interface ApnsSettings {
  /** `https://api.push.apple.com` (production) or `https://api.sandbox.push.apple.com` (development builds). */
  origin: string;
  /** The .p8 signing key (PKCS#8 PEM) from the developer account. */
  keyPem: string;
  /** Its 10-character key id (the JWT's `kid`). */
  keyId: string;
  /** The team id (the JWT's `iss`). */
  teamId: string;
  /** The app's bundle id (`apns-topic`). */
  topic: string;
  /** A push not delivered within this many seconds is dropped by APNs (`apns-expiration`); 0 = try once. */
  expirationSec: number;
  /** One request's time limit. */
  timeoutMs: number;
  /** Extra trusted certificate (a stand-in's self-signed one in tests); production trusts the system's roots. */
  ca?: string | Buffer;
  now?: () => number;
}

/** One APNs push: the device token, the JSON payload (≤ 4 KB), and a collapse id (a retried push replaces the undelivered one). */
export interface ApnsPush {
  deviceToken: string;
  payload: string;
  collapseId: string;
}

/** Provider tokens are reused this long: inside Apple's 20–60 minute window. */
const PROVIDER_TOKEN_TTL_MS = 40 * 60_000;
/** An idle HTTP/2 session is closed after this long (a new one opens on the next push). */
const IDLE_CLOSE_MS = 10 * 60_000;

export class ApnsSender {
  private session: http2.ClientHttp2Session | null = null;
  private token: { jwt: string; issuedAtMs: number } | null = null;
  private key: Promise<CryptoKey> | null = null;
  private readonly now: () => number;

  constructor(private readonly settings: ApnsSettings) {
    this.now = settings.now ?? Date.now;
  }

  /** Checks the signing key can sign (at boot: a bad key stops the process with its variable named, not at the first push). */
  async check(): Promise<void> {
    await this.providerToken();
  }

  async send(push: ApnsPush): Promise<PushOutcome> {
    let jwt: string;
    try {
      jwt = await this.providerToken();
    } catch (err) {
      return { status: 'failed', reason: `provider token not signed: ${(err as Error).message}` };
    }
    const answer = await this.request(push, jwt).catch((err: NodeJS.ErrnoException) => ({ error: err.code ?? err.message }));
    if ('error' in answer) return { status: 'retry', reason: `connection: ${answer.error}` };
    const outcome = apnsOutcome(answer.status, answer.reason, retryAfterMs(answer.retryAfter, this.now()));
    // Apple says the token expired: the next try signs a new one.
    if (answer.reason === 'ExpiredProviderToken') this.token = null;
    return outcome;
  }

  close(): void {
    this.session?.close();
    this.session = null;
  }

  private async providerToken(): Promise<string> {
    const now = this.now();
    if (this.token && now - this.token.issuedAtMs < PROVIDER_TOKEN_TTL_MS) return this.token.jwt;
    this.key ??= importPKCS8(this.settings.keyPem, 'ES256');
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.settings.keyId })
      .setIssuer(this.settings.teamId)
      .setIssuedAt(Math.floor(now / 1000))
      .sign(await this.key);
    this.token = { jwt, issuedAtMs: now };
    return jwt;
  }

  private connect(): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = http2.connect(this.settings.origin, this.settings.ca ? { ca: this.settings.ca } : {});
    const forget = () => {
      if (this.session === session) this.session = null;
    };
    session.on('close', forget);
    session.on('goaway', forget);
    session.on('error', forget);
    session.setTimeout(IDLE_CLOSE_MS, () => session.close());
    session.unref(); // an idle session never holds the process open; a request in flight refs its stream
    this.session = session;
    return session;
  }

  private request(push: ApnsPush, jwt: string): Promise<{ status: number; reason: string | null; retryAfter: string | null }> {
    const { settings } = this;
    return new Promise((resolve, reject) => {
      const session = this.connect();
      const expiration = settings.expirationSec === 0 ? 0 : Math.floor(this.now() / 1000) + settings.expirationSec;
      const req = session.request({
        ':method': 'POST',
        ':path': `/3/device/${push.deviceToken}`,
        authorization: `bearer ${jwt}`,
        'apns-topic': settings.topic,
        'apns-push-type': 'alert',
        'apns-priority': '10',
        'apns-expiration': String(expiration),
        'apns-collapse-id': push.collapseId,
        'content-type': 'application/json',
      });
      let status = 0;
      let retryAfter: string | null = null;
      const chunks: Buffer[] = [];
      req.setTimeout(settings.timeoutMs, () => {
        req.close(http2.constants.NGHTTP2_CANCEL);
        reject(Object.assign(new Error('APNs did not answer in time'), { code: 'ETIMEDOUT' }));
      });
      req.on('response', (headers) => {
        status = Number(headers[':status']);
        retryAfter = (headers['retry-after'] as string | undefined) ?? null;
      });
      req.on('data', (chunk: Buffer) => {
        if (chunks.length < 16) chunks.push(chunk);
      });
      req.on('error', reject);
      req.on('end', () => resolve({ status, reason: reasonOf(Buffer.concat(chunks)), retryAfter }));
      req.end(push.payload);
    });
  }
}

/** Apple's error body: `{"reason": "BadDeviceToken"}` (and `timestamp` for Unregistered). */
function reasonOf(body: Buffer): string | null {
  if (body.length === 0) return null;
  try {
    const reason = (JSON.parse(body.toString('utf8')) as { reason?: unknown }).reason;
    return typeof reason === 'string' && /^[A-Za-z]{1,64}$/.test(reason) ? reason : null;
  } catch {
    return null;
  }
}
