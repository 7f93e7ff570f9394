import { randomBytes } from 'node:crypto';

const AUTH_TIMEOUT_MS = 30_000;

/** `POST /api/auth/device` refused: `code` is the HTTP status, the message names the server's error code (the report counts failures by both). */
export class SignInRefused extends Error {
  constructor(
    readonly code: number,
    serverCode = 'no error code',
  ) {
    super(`sign-in refused: ${serverCode}`);
  }
}

/**
 * A bot's launch: one `POST /api/auth/device` over HTTP like any client, with a fresh device secret (a new
 * user) or a given one (the same user again, as a soak's returning listeners). Returns the access token the
 * bot's SDK client sends when it joins.
 */
export async function signInNewDevice(wsUrl: string, deviceModel: string, deviceSecret = randomBytes(32).toString('base64url')): Promise<{ accessToken: string; userId: string }> {
  const res = await fetch(`${wsUrl.replace(/^ws/, 'http')}/api/auth/device`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deviceSecret, deviceModel }),
    signal: AbortSignal.timeout(AUTH_TIMEOUT_MS),
  });
  const body = (await res.json().catch(() => ({}))) as { accessToken?: string; userId?: string; error?: string };
  if ((res.status !== 200 && res.status !== 201) || !body.accessToken || !body.userId) throw new SignInRefused(res.status, body.error);
  return { accessToken: body.accessToken, userId: body.userId };
}
