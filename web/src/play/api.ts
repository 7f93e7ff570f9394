/** The HTTP calls /play makes as the signed-in listener (the token the session join used). */
import type { DeviceAuth } from './auth.js';

/** An answer that was not 2xx, with the server's message (the error table's words, shown as they are). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A call with the listener's access token; a token the server refused is renewed once. */
export async function authedFetch(auth: DeviceAuth, path: string, init: RequestInit = {}): Promise<Response> {
  const attempt = (token: string) =>
    fetch(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } });
  const res = await attempt(auth.currentToken() ?? (await auth.accessToken()));
  if (res.status !== 401) return res;
  auth.invalidate();
  return attempt(await auth.accessToken());
}

/** The JSON body of a 2xx answer, else an ApiError carrying the server's code and message. */
export async function jsonOf<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => null)) as (T & { error?: string; message?: string }) | null;
  if (!res.ok || body === null) throw new ApiError(res.status, body?.error ?? 'HTTP', body?.message ?? `the server answered ${res.status}`);
  return body;
}
