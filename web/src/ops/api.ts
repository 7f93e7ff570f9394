/**
 * The ops API client. The admin token lives in sessionStorage (gone when the tab closes) and only
 * ever travels in the Authorization header — never in a URL, a cookie or the page.
 */

const TOKEN_KEY = 'ds.ops.token';

export class Unauthorized extends Error {
  constructor(message = 'the admin token was not accepted') {
    super(message);
  }
}

export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (value: string): void => sessionStorage.setItem(TOKEN_KEY, value),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** A refused API call: its HTTP status and the server's error code (the message is the server's, for logs). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** GETs (or POSTs) a JSON API path with the Bearer token; throws Unauthorized on 401. */
export async function api<T>(path: string, init: RequestInit = {}, bearer: string | null = token.get()): Promise<T> {
  if (!bearer) throw new Unauthorized('not signed in');
  const res = await fetch(path, {
    ...init,
    headers: { ...(init.headers ?? {}), authorization: `Bearer ${bearer}`, accept: 'application/json' },
    cache: 'no-store',
  });
  if (res.status === 401) throw new Unauthorized();
  if (res.status === 204) return undefined as T;
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const { error, message } = body as { error?: string; message?: string };
    throw new ApiError(res.status, error ?? null, message ?? `${res.status} ${res.statusText}`);
  }
  return body as T;
}

/** Query string from defined values only. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}
