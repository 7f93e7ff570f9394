import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The admin token only travels in an `Authorization: Bearer` header. The monitor SPA cannot add headers, so it trades
 * the token for a short-lived signed cookie scoped to `/monitor` (HttpOnly, SameSite=Strict).
 */

export const MONITOR_COOKIE = 'ds_ops_monitor';
export const MONITOR_COOKIE_TTL_SEC = 3600;

/** Constant-time comparison of two secrets of any length. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(request: { headers: Headers }): string | null {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1] : null;
}

export function hasAdminBearer(request: { headers: Headers }, adminToken: string): boolean {
  const token = bearerToken(request);
  return token !== null && secretsEqual(token, adminToken);
}

function sign(adminToken: string, expiresAtSec: number): string {
  return createHmac('sha256', `monitor-cookie:${adminToken}`).update(String(expiresAtSec)).digest('base64url');
}

/** A cookie value valid until `nowMs + ttl`; it reveals nothing about the token. */
export function monitorCookieValue(adminToken: string, nowMs: number, ttlSec = MONITOR_COOKIE_TTL_SEC): string {
  const expiresAtSec = Math.floor(nowMs / 1000) + ttlSec;
  return `${expiresAtSec}.${sign(adminToken, expiresAtSec)}`;
}

export function monitorCookieValid(value: string | null, adminToken: string, nowMs: number): boolean {
  if (!value) return false;
  const dot = value.indexOf('.');
  const expiresAtSec = Number(value.slice(0, dot));
  if (dot < 1 || !Number.isInteger(expiresAtSec) || expiresAtSec * 1000 <= nowMs) return false;
  return secretsEqual(value.slice(dot + 1), sign(adminToken, expiresAtSec));
}

export function cookieOf(request: { headers: Headers }, name: string): string | null {
  const header = request.headers.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** `Set-Cookie` for the monitor session; `Secure` when the request came over HTTPS (the entry terminates TLS and says so). */
export function monitorSetCookie(request: { headers: Headers }, value: string, maxAgeSec = MONITOR_COOKIE_TTL_SEC): string {
  const https = request.headers.get('x-forwarded-proto') === 'https';
  return `${MONITOR_COOKIE}=${value}; Path=/monitor; Max-Age=${maxAgeSec}; HttpOnly; SameSite=Strict${https ? '; Secure' : ''}`;
}
