import { randomBytes, randomUUID } from 'node:crypto';
import type { Room } from '@colyseus/sdk';
import { clientFor } from './rooms.js';

/** The access-token key every test server is started with (startServerProcess sets it unless a test overrides it). */
export const TEST_AUTH_SECRET = 'test-auth-secret-not-for-production-0123456789';

/** What `POST /api/auth/device` and `/api/auth/refresh` answer. */
export interface SignedIn {
  userId: string;
  deviceId: string;
  accessToken: string;
  expiresInSec: number;
  refreshToken: string;
  isNewUser?: boolean;
}

/** A fresh device secret, the way clients make one: 32 random bytes, base64url (43 characters). */
export const newDeviceSecret = (): string => randomBytes(32).toString('base64url');

/** POST a JSON body; resolves with the status and parsed body (no throw on 4xx). */
export async function postJson(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on the body's shape
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** Signs a device in (a new user for a new secret); throws unless the server answered 200/201. */
export async function signIn(
  baseUrl: string,
  deviceSecret = newDeviceSecret(),
  extra: { deviceModel?: string; bearer?: string } = {},
): Promise<SignedIn & { deviceSecret: string }> {
  const headers: Record<string, string> = extra.bearer ? { authorization: `Bearer ${extra.bearer}` } : {};
  const res = await postJson(baseUrl, '/api/auth/device', { deviceSecret, ...(extra.deviceModel ? { deviceModel: extra.deviceModel } : {}) }, headers);
  if (res.status !== 200 && res.status !== 201) throw new Error(`POST /api/auth/device answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { ...(res.body as SignedIn), deviceSecret };
}

/** `Authorization` header of an access token. */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** Creates a `session` room as the given signed-in device (a new user when none is given). */
export async function joinAs(
  baseUrl: string,
  options: Record<string, unknown> = {},
  who?: Pick<SignedIn, 'accessToken'>,
): Promise<{ room: Room; auth: Pick<SignedIn, 'accessToken'> }> {
  const auth = who ?? (await signIn(baseUrl));
  const client = clientFor(baseUrl, auth.accessToken);
  return { room: await client.create('session', options), auth };
}

/** A user row as `POST /api/auth/device` leaves it (first_launch true), for repository tests below the HTTP layer. */
export async function insertUser(sql: { query(sql: string, params?: unknown[]): Promise<unknown[]> }): Promise<{ userId: string; deviceId: string }> {
  const ids = { userId: randomUUID(), deviceId: randomUUID() };
  await sql.query('INSERT INTO users (id, device_id, first_launch, created_at, last_seen_at) VALUES (?, ?, true, now(), now())', [ids.userId, ids.deviceId]);
  return ids;
}
