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
 * bot's SDK client sends when it joins. A 503 (no process can serve it now: Redis or the database away, every
 * process draining) is tried again after its Retry-After, as a client does, until AUTH_TIMEOUT_MS.
 */
export async function signInNewDevice(
  wsUrl: string,
  deviceModel: string,
  deviceSecret = randomBytes(32).toString('base64url'),
): Promise<{ accessToken: string; userId: string }> {
  const deadline = Date.now() + AUTH_TIMEOUT_MS;
  for (;;) {
    const res = await fetch(`${wsUrl.replace(/^ws/, 'http')}/api/auth/device`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceSecret, deviceModel }),
      signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
    });
    const body = (await res.json().catch(() => ({}))) as { accessToken?: string; userId?: string; error?: string };
    const waitMs = (Number(res.headers.get('retry-after')) || 1) * 1000 * (0.5 + Math.random());
    if (res.status === 503 && Date.now() + waitMs < deadline) {
      await new Promise((r) => setTimeout(r, waitMs));
      continue;
    }
    if ((res.status !== 200 && res.status !== 201) || !body.accessToken || !body.userId) throw new SignInRefused(res.status, body.error);
    return { accessToken: body.accessToken, userId: body.userId };
  }
}
