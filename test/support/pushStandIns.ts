/**
 * Local stand-ins for the push providers, on loopback, speaking their real protocols:
 *
 * - APNs: an HTTP/2 server over TLS (a self-signed certificate from scripts/tls-selfsigned.sh) that checks
 *   the provider token (an ES256 JWT verified with the team key; `kid`, `iss`, `iat` within the hour) and
 *   the headers Apple checks (`apns-topic`, `apns-push-type`, `apns-priority`, `apns-expiration`,
 *   `apns-collapse-id`, the 4 KB payload), and answers as APNs does: 200 with `apns-id`, or a status and
 *   `{"reason": …}` (BadDeviceToken, Unregistered, TooManyRequests, ExpiredProviderToken, …).
 * - Web Push: an HTTPS push service (RFC 8030) that hands out subscriptions with their own P-256 keys and
 *   auth secret, checks the VAPID header (RFC 8292: `vapid t=<ES256 JWT>, k=<key>`, `aud` = its origin,
 *   `exp` within 24 h, a `sub` contact), decrypts the `aes128gcm` body with the subscription's keys
 *   (RFC 8291 / RFC 8188), and answers 201, or 404/410/429/5xx when told to.
 */
import { execFileSync } from 'node:child_process';
import { createECDH, createDecipheriv, hkdfSync, randomBytes, randomUUID, type ECDH } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader, importJWK, jwtVerify, type CryptoKey, type JWTPayload, type KeyObject } from 'jose';

const SELF_SIGNED = path.resolve(import.meta.dirname, '../../scripts/tls-selfsigned.sh');

/** A self-signed certificate for 127.0.0.1 (and its files, for NODE_EXTRA_CA_CERTS). */
export function selfSignedCertificate(): { key: Buffer; cert: Buffer; certFile: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ds-push-tls-'));
  execFileSync('sh', [SELF_SIGNED, dir, '127.0.0.1'], { stdio: 'ignore' });
  return {
    key: readFileSync(path.join(dir, 'privkey.pem')),
    cert: readFileSync(path.join(dir, 'fullchain.pem')),
    certFile: path.join(dir, 'fullchain.pem'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What the APNs stand-in answers for a device token: a status and reason, once per listed entry (then 200). */
export interface ApnsAnswer {
  status: number;
  reason?: string;
  retryAfter?: string;
}

export interface ApnsDelivery {
  deviceToken: string;
  headers: Record<string, string>;
  payload: { aps: { alert: { title: string; body?: string } }; deepLink: string | null; type: string; notificationId: string | null };
  jwt: { header: Record<string, unknown>; claims: JWTPayload; token: string };
}

export interface ApnsStandIn {
  origin: string;
  ca: Buffer;
  certFile: string;
  /** Pushes answered 200. */
  delivered: ApnsDelivery[];
  /** Every request with the answer given. */
  requests: Array<{ deviceToken: string; status: number; reason?: string }>;
  /** Answers for a token, in order; once used up the token gets 200. */
  answers: Map<string, ApnsAnswer[]>;
  /** Provider tokens issued before this (epoch s) are answered 403 ExpiredProviderToken. */
  expireTokensIssuedBefore: number;
  close(): Promise<void>;
}

/** An APNs provider API stand-in for one team key (`publicKey`), key id, team id and bundle id. */
export async function startApnsStandIn(options: { publicKey: CryptoKey | KeyObject; keyId: string; teamId: string; topic: string }): Promise<ApnsStandIn> {
  const tls = selfSignedCertificate();
  const server = http2.createSecureServer({ key: tls.key, cert: tls.cert });
  const standIn: ApnsStandIn = {
    origin: '',
    ca: tls.cert,
    certFile: tls.certFile,
    delivered: [],
    requests: [],
    answers: new Map(),
    expireTokensIssuedBefore: 0,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      tls.remove();
    },
  };
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => (sessions.add(s), s.on('close', () => sessions.delete(s))));
  const close = standIn.close;
  standIn.close = async () => {
    for (const s of sessions) s.destroy();
    await close();
  };
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      void answerApns(standIn, options, headers, Buffer.concat(chunks)).then(({ status, reason, retryAfter, deviceToken, delivery }) => {
        standIn.requests.push({ deviceToken, status, ...(reason ? { reason } : {}) });
        if (status === 200 && delivery) standIn.delivered.push(delivery);
        const out: http2.OutgoingHttpHeaders = { ':status': status, 'apns-id': randomUUID().toUpperCase() };
        if (retryAfter) out['retry-after'] = retryAfter;
        if (reason) {
          out['content-type'] = 'application/json';
          stream.respond(out);
          stream.end(JSON.stringify(reason === 'Unregistered' ? { reason, timestamp: Date.now() } : { reason }));
        } else {
          stream.respond(out);
          stream.end();
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return standIn;
}

const PUSH_TYPES = new Set(['alert', 'background', 'location', 'voip', 'complication', 'fileprovider', 'mdm', 'liveactivity', 'pushtotalk']);

async function answerApns(
  standIn: ApnsStandIn,
  options: { publicKey: CryptoKey | KeyObject; keyId: string; teamId: string; topic: string },
  headers: http2.IncomingHttpHeaders,
  body: Buffer,
): Promise<ApnsAnswer & { deviceToken: string; delivery?: ApnsDelivery }> {
  const path = String(headers[':path'] ?? '');
  const deviceToken = /^\/3\/device\/([0-9a-fA-F]+)$/.exec(path)?.[1] ?? '';
  if (headers[':method'] !== 'POST') return { status: 405, reason: 'MethodNotAllowed', deviceToken };
  if (!deviceToken) return { status: 404, reason: 'BadPath', deviceToken };
  const auth = String(headers.authorization ?? '');
  if (!auth.startsWith('bearer ')) return { status: 403, reason: 'MissingProviderToken', deviceToken };
  const token = auth.slice('bearer '.length);
  let jwt: ApnsDelivery['jwt'];
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== 'ES256' || header.kid !== options.keyId) return { status: 403, reason: 'InvalidProviderToken', deviceToken };
    const { payload } = await jwtVerify(token, options.publicKey, { issuer: options.teamId, algorithms: ['ES256'] });
    if (typeof payload.iat !== 'number') return { status: 403, reason: 'InvalidProviderToken', deviceToken };
    if (payload.iat < standIn.expireTokensIssuedBefore || payload.iat < Date.now() / 1000 - 3600)
      return { status: 403, reason: 'ExpiredProviderToken', deviceToken };
    jwt = { header: header as Record<string, unknown>, claims: payload, token };
  } catch {
    return { status: 403, reason: 'InvalidProviderToken', deviceToken };
  }
  if (!headers['apns-topic']) return { status: 400, reason: 'MissingTopic', deviceToken };
  if (headers['apns-topic'] !== options.topic) return { status: 400, reason: 'TopicDisallowed', deviceToken };
  if (!PUSH_TYPES.has(String(headers['apns-push-type'] ?? ''))) return { status: 400, reason: 'InvalidPushType', deviceToken };
  if (headers['apns-priority'] !== undefined && !['5', '10', '1'].includes(String(headers['apns-priority'])))
    return { status: 400, reason: 'BadPriority', deviceToken };
  if (headers['apns-expiration'] !== undefined && !/^\d+$/.test(String(headers['apns-expiration'])))
    return { status: 400, reason: 'BadExpirationDate', deviceToken };
  if (headers['apns-collapse-id'] !== undefined && Buffer.byteLength(String(headers['apns-collapse-id'])) > 64)
    return { status: 400, reason: 'BadCollapseId', deviceToken };
  if (body.length > 4096) return { status: 413, reason: 'PayloadTooLarge', deviceToken };
  let payload: ApnsDelivery['payload'];
  try {
    payload = JSON.parse(body.toString('utf8'));
    if (!payload || typeof payload.aps !== 'object') return { status: 400, reason: 'PayloadEmpty', deviceToken };
  } catch {
    return { status: 400, reason: 'BadMessage', deviceToken };
  }
  const queued = standIn.answers.get(deviceToken.toLowerCase());
  const next = queued?.shift();
  if (next) return { ...next, deviceToken };
  const sent: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') sent[k] = v;
  return { status: 200, deviceToken, delivery: { deviceToken: deviceToken.toLowerCase(), headers: sent, payload, jwt } };
}

/** A subscription the Web Push stand-in handed out, with the keys only its browser would hold. */
export interface StandInSubscription {
  id: string;
  json: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
  ecdh: ECDH;
  auth: Buffer;
}

export interface WebPushDelivered {
  subscriptionId: string;
  /** The payload as the browser decrypts it. */
  payload: string;
  headers: Record<string, string>;
  vapid: JWTPayload;
}

export interface WebPushStandIn {
  origin: string;
  ca: Buffer;
  certFile: string;
  subscribe(): StandInSubscription;
  delivered: WebPushDelivered[];
  requests: Array<{ subscriptionId: string; status: number }>;
  /** Statuses to answer for a subscription, in order (then 201). */
  answers: Map<string, Array<{ status: number; retryAfter?: string }>>;
  /** Subscriptions answered 410 Gone from now on. */
  unsubscribed: Set<string>;
  close(): Promise<void>;
}

/** A push service stand-in that accepts pushes signed with `vapidPublicKey` (base64url) only. */
export async function startWebPushStandIn(options: { vapidPublicKey: string }): Promise<WebPushStandIn> {
  const tls = selfSignedCertificate();
  const subscriptions = new Map<string, StandInSubscription>();
  const standIn: WebPushStandIn = {
    origin: '',
    ca: tls.cert,
    certFile: tls.certFile,
    delivered: [],
    requests: [],
    answers: new Map(),
    unsubscribed: new Set(),
    subscribe: () => {
      const id = randomBytes(12).toString('base64url');
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const sub: StandInSubscription = {
        id,
        ecdh,
        auth,
        json: {
          endpoint: `${standIn.origin}/push/${id}`,
          expirationTime: null,
          keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
        },
      };
      subscriptions.set(id, sub);
      return sub;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      tls.remove();
    },
  };
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void answerWebPush(standIn, subscriptions, options.vapidPublicKey, req, Buffer.concat(chunks)).then(
        ({ status, subscriptionId, retryAfter, delivered }) => {
          standIn.requests.push({ subscriptionId, status });
          if (delivered) standIn.delivered.push(delivered);
          res.writeHead(status, {
            ...(status === 201 ? { location: `${standIn.origin}/message/${randomUUID()}` } : {}),
            ...(retryAfter ? { 'retry-after': retryAfter } : {}),
          });
          res.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return standIn;
}

async function answerWebPush(
  standIn: WebPushStandIn,
  subscriptions: Map<string, StandInSubscription>,
  vapidPublicKey: string,
  req: import('node:http').IncomingMessage,
  body: Buffer,
): Promise<{ status: number; subscriptionId: string; retryAfter?: string; delivered?: WebPushDelivered }> {
  const subscriptionId = /^\/push\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '')?.[1] ?? '';
  const sub = subscriptions.get(subscriptionId);
  if (req.method !== 'POST') return { status: 405, subscriptionId };
  if (!sub) return { status: 404, subscriptionId };
  if (standIn.unsubscribed.has(subscriptionId)) return { status: 410, subscriptionId };
  // RFC 8030 §5.2: TTL is required.
  if (!/^\d+$/.test(String(req.headers.ttl ?? ''))) return { status: 400, subscriptionId };
  if (req.headers['content-encoding'] !== 'aes128gcm') return { status: 415, subscriptionId };
  const vapid = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(String(req.headers.authorization ?? ''));
  if (!vapid || vapid[2] !== vapidPublicKey) return { status: 401, subscriptionId };
  let claims: JWTPayload;
  try {
    claims = (await jwtVerify(vapid[1]!, await vapidKey(vapid[2]!), { audience: standIn.origin, algorithms: ['ES256'] })).payload;
    if (typeof claims.exp !== 'number' || claims.exp > Date.now() / 1000 + 24 * 3600) return { status: 403, subscriptionId };
    if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) return { status: 403, subscriptionId };
  } catch {
    return { status: 403, subscriptionId };
  }
  const queued = standIn.answers.get(subscriptionId)?.shift();
  if (queued) return { ...queued, subscriptionId };
  let payload: string;
  try {
    payload = decryptAes128gcm(body, sub.ecdh, sub.auth);
  } catch {
    return { status: 400, subscriptionId };
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  return { status: 201, subscriptionId, delivered: { subscriptionId, payload, headers, vapid: claims } };
}

/** The application server's key from the VAPID header's `k` (an uncompressed P-256 point). */
async function vapidKey(k: string): Promise<CryptoKey> {
  const point = Buffer.from(k, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('not an uncompressed P-256 point');
  return (await importJWK(
    { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    'ES256',
  )) as CryptoKey;
}

/**
 * RFC 8291 §3.4 / RFC 8188 as the user agent decrypts: the header (salt, record size, the sender's public
 * key as key id), the shared secret mixed with the auth secret, then the content key and nonce, then one
 * AES-128-GCM record ending in the 0x02 padding delimiter.
 */
export function decryptAes128gcm(body: Buffer, ua: ECDH, authSecret: Buffer): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const asPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  if (idLength !== 65 || ciphertext.length > recordSize) throw new Error('one record with the sender key expected');
  const ecdhSecret = ua.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ua.getPublicKey(), asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const plain = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) throw new Error('no last-record padding delimiter');
  return plain.subarray(0, end).toString('utf8');
}
