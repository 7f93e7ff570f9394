/**
 * The HTTP half of the contract: what one operation declares, the error codes each kind of caller can
 * meet, and the routes the contract leaves out on purpose. The operations themselves are in
 * contract/httpClient.ts (apps) and contract/httpOps.ts (operators); test/unit/contract/routeCoverage.test.ts
 * holds both lists against the routes the running app serves.
 */
import type { z } from 'zod';
import { STATUS_BY_CODE, type ErrorCode, type Route } from '../src/http/router.js';
import { httpErrorSchema } from '../src/http/responses.js';

/**
 * Who may call: `none` (public), `optional-user` (public; an access token personalises the answer),
 * `user` (a user's access token), `admin` (ADMIN_TOKEN), `user-or-admin` (either; the admin token acts as a service).
 */
export type HttpAuth = 'none' | 'optional-user' | 'user' | 'admin' | 'user-or-admin';

/** Feature groups of the OpenAPI document (its `tags`), in document order. */
export const HTTP_TAGS = {
  auth: 'Device sign-in and token refresh.',
  catalog: 'Stations on the dial and artist images.',
  passport: 'Passport ingest: events committed to Postgres before the 202.',
  gravity: 'Gravity layer (seed 001): play events, neighbours, radio ranking.',
  discovery: 'Search and recommendations.',
  journal: 'The constellation journal and its public shares.',
  leaderboards: 'Leaderboard reads (the coliseum room streams the same rows live).',
  concierto: 'Concierto events and votes.',
  mediaid: 'MediaID: the owner’s inputs, DNA and matches.',
  reports: 'Coliseum reports and their share links.',
  health: 'Liveness and readiness probes for load balancers and orchestrators.',
  ops: 'Operators only (ADMIN_TOKEN): the ops console’s API, DIA, jobs, metrics. Answers 503 OPS_DISABLED when the server runs without ADMIN_TOKEN.',
} as const;

export type HttpTag = keyof typeof HTTP_TAGS;

/** One answer of an operation: a named JSON body (zod schema), or a description and its media type. */
export interface HttpResponse {
  description: string;
  title?: string;
  schema?: z.ZodType;
  /** A body that is not described by a schema here (JSON without one, text, images, NDJSON). */
  contentType?: string;
  /** The same answer in other media types, chosen by a query parameter (e.g. `format=csv`): downloads. */
  alsoAs?: readonly string[];
}

export interface HttpOperation {
  operationId: string;
  method: Route['method'];
  /** OpenAPI form: path parameters as `{name}` (the router's `:name`). */
  path: string;
  tag: HttpTag;
  summary: string;
  description?: string;
  auth: HttpAuth;
  /** The query the route validates with, when it does so with a zod object. */
  query?: z.ZodObject;
  /** The body: a named JSON schema, or raw bytes of `contentTypes` (uploads); `optional` when it may be left out. */
  request?: { title?: string; schema?: z.ZodType; contentTypes?: readonly string[]; optional?: boolean };
  /** Success statuses → body. */
  responses: Record<number, HttpResponse>;
  /** Error codes this route answers besides the ones its auth and its body imply ({@link errorCodesOf}). */
  errors?: ErrorCode[];
}

/** The error body every operation may answer. */
export const HTTP_ERROR = { title: 'HttpError', schema: httpErrorSchema };

/** Codes an operation can answer before its own logic: its caller's token, and a body the edge refuses. */
export function errorCodesOf(op: HttpOperation): ErrorCode[] {
  const implied: ErrorCode[] = [];
  if (op.auth === 'user' || op.auth === 'user-or-admin' || op.auth === 'admin') implied.push('UNAUTHORIZED');
  // Wrong admin tokens cost the address a point; past the limit every admin request is 429 (src/http/adminFailures.ts).
  if (op.auth === 'admin') implied.push('RATE_LIMITED');
  if (op.request) implied.push('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  return [...new Set([...implied, ...(op.errors ?? [])])];
}

/** The operation's error codes grouped by their status in src/http/router.ts's table, e.g. 409 → [CONFLICT, ALREADY_VOTED]. */
export function errorStatusesOf(op: HttpOperation): Map<number, ErrorCode[]> {
  const out = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(op)) out.set(STATUS_BY_CODE[code], [...(out.get(STATUS_BY_CODE[code]) ?? []), code]);
  return new Map([...out].sort(([a], [b]) => a - b));
}

/** A route the contract does not describe, and why. `path` is the router's pattern (`:name`, `/**`). */
export interface ExcludedRoute {
  method: Route['method'];
  path: string;
  reason: string;
}

const PAGE = 'an HTML page of the web app (a shell without data; its data comes from the API described here)';

/** Routes served to browsers, not to API clients: pages, their assets and icons, and the third-party monitor. */
export const EXCLUDED_ROUTES: ExcludedRoute[] = [
  { method: 'GET', path: '/play', reason: PAGE },
  { method: 'GET', path: '/coliseum', reason: PAGE },
  { method: 'GET', path: '/ops', reason: `${PAGE}; the ops console reads the /api/ops operations` },
  { method: 'GET', path: '/coliseum/reports/:id', reason: `${PAGE}; it reads GET /api/reports/{id} or /api/reports/shared/{token}` },
  { method: 'GET', path: '/shared/:id', reason: `${PAGE} with link-preview tags; it reads GET /api/shared/{id}` },
  { method: 'GET', path: '/assets/:file', reason: 'the web bundle (scripts, styles), built by scripts/build-web.ts' },
  { method: 'GET', path: '/favicon.svg', reason: 'the site icon' },
  { method: 'GET', path: '/favicon.ico', reason: 'the site icon' },
  { method: 'GET', path: '/monitor', reason: "@colyseus/monitor's page, behind the admin token or the cookie of POST /api/ops/monitor-session; not ours to describe" },
  { method: 'GET', path: '/monitor/**', reason: "@colyseus/monitor's own API and assets (third-party, versioned with the package)" },
];

/** The router's path pattern of a contract path: `{id}` → `:id`. */
export const routerPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');
