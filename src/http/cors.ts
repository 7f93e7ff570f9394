/**
 * CORS by an allow-list (CORS_ORIGINS); without one only same-origin pages can read. Listed origins may send
 * credentials (the SDK's matchmaking fetch needs them); `*` never with credentials, as the spec requires.
 */

export type Headerlist = Array<[string, string]>;

const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';
const ALLOWED_HEADERS = 'Content-Type, Authorization, Accept, X-Requested-With';
/** Headers a cross-origin script may read besides the CORS-safelisted ones. */
const EXPOSED_HEADERS = 'X-Request-Id, Retry-After, X-Cache-Hints';
const PREFLIGHT_MAX_AGE_SEC = '600';

/** Builds the policy from the configured origins (`'*'`, a list, or `[]` for same-origin only). */
export function corsPolicy(origins: '*' | readonly string[]) {
  const listed = new Set(origins === '*' ? [] : origins);
  const allows = (origin: string): boolean => origins === '*' || listed.has(origin);
  const grant = (origin: string): Headerlist =>
    origins === '*'
      ? [['access-control-allow-origin', '*']]
      : [
          ['access-control-allow-origin', origin],
          ['access-control-allow-credentials', 'true'],
        ];
  // The answer depends on Origin whenever a list is configured: caches must key on it.
  const vary: Headerlist = listed.size > 0 ? [['vary', 'Origin']] : [];
  return {
    /** CORS headers for a response to a request carrying `origin` (nothing when it is not allowed). */
    responseHeaders: (origin: string | null): Headerlist =>
      origin !== null && allows(origin) ? [...grant(origin), ['access-control-expose-headers', EXPOSED_HEADERS], ...vary] : vary,
    /** Preflight answer headers for `origin`, or null when the origin is not allowed. */
    preflightHeaders: (origin: string): Headerlist | null =>
      allows(origin)
        ? [
            ...grant(origin),
            ['access-control-allow-methods', ALLOWED_METHODS],
            ['access-control-allow-headers', ALLOWED_HEADERS],
            ['access-control-max-age', PREFLIGHT_MAX_AGE_SEC],
            ...vary,
          ]
        : null,
  };
}
