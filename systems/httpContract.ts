/**
 * The HTTP contract's floor: what an operation declares, who may call it, error codes and their statuses, the
 * error body. No server imports, so src/http, the document generator and the web pages read the same facts.
 */
import { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Named domain errors → HTTP statuses; the code travels in the body. The one such table. */
export const STATUS_BY_CODE = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  ORIGIN_NOT_ALLOWED: 403,
  FORBIDDEN: 403,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  IMAGE_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  ALREADY_VOTED: 409,
  EVENT_NOT_ACTIVE: 409,
  DEVICE_LIMIT: 409,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SIGNATURE_MALFORMED: 400,
  SIGNATURE_INVALID: 400,
  SIGNATURE_EXPIRED: 400,
  INTERNAL: 500,
  BACKPRESSURE: 503,
  NOT_PERSISTED: 503,
  DATABASE_UNAVAILABLE: 503,
  REDIS_UNAVAILABLE: 503,
  PAYMENTS_DISABLED: 503,
  PROCESSING_FAILED: 503,
  PUSH_DISABLED: 503,
  OPS_DISABLED: 503,
  SHUTTING_DOWN: 503,
  WEB_BUNDLE_MISSING: 503,
  RIDE_MOVING: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

/** Every 4xx/5xx of our routes: a code, a sentence, per-field details. */
export const httpErrorSchema = z
  .object({
    error: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() }).meta({ title: 'FieldIssue' })).optional(),
  })
  .meta({
    title: 'HttpError',
    description: 'Error body: `error` is a code (VALIDATION_FAILED, UNAUTHORIZED, FORBIDDEN, CONFLICT, BACKPRESSURE, NOT_PERSISTED, SHUTTING_DOWN, ...).',
  });

/**
 * `none` (public), `optional-user` (a token personalises the answer), `user`, `admin` (ADMIN_TOKEN),
 * `user-or-admin` (the admin token acts as a service).
 */
export type HttpAuth = 'none' | 'optional-user' | 'user' | 'admin' | 'user-or-admin';

/** The OpenAPI document's `tags`, in document order. */
export const HTTP_TAGS = {
  auth: 'Device sign-in and token refresh.',
  catalog: 'Stations on the dial and artist images.',
  passport: 'Passport ingest: events committed to Postgres before the 202.',
  gravity: 'Gravity layer (which tracks listeners play one after another): play events, neighbours, radio ranking.',
  discovery: 'Search and recommendations.',
  journal: 'The constellation journal and its public shares.',
  links: 'Share links to artists, events and tracks, and their counted opens.',
  friends: 'The token user’s friends: requests, the list, blocks (names are shown to friends only).',
  ride: 'Rides: where the session room of a ride is, from its invite code or id.',
  notifications: 'The token user’s notification inbox, opt-outs and push registrations (APNs, Web Push).',
  leaderboards: 'Leaderboard reads (the coliseum room streams the same rows live).',
  concierto: 'Concierto events and votes.',
  mediaid: 'MediaID: the owner’s inputs, DNA and matches.',
  reports: 'Coliseum reports and their share links.',
  payments: 'The payment provider’s signed webhook: the trusted source of purchases and revenue.',
  health: 'Liveness and readiness probes for load balancers and orchestrators.',
  ops: 'Operators only (ADMIN_TOKEN): the ops console’s API, DIA, jobs, metrics. Answers 503 OPS_DISABLED when the server runs without ADMIN_TOKEN.',
} as const;

export type HttpTag = keyof typeof HTTP_TAGS;

/** A JSON body with its zod schema (`title` names the generated type), or a non-JSON body described in words. */
export interface HttpResponse {
  description: string;
  title?: string;
  schema?: z.ZodType;
  contentType?: string;
  /** The same answer in other media types, chosen by a query parameter or Accept (downloads). */
  alsoAs?: readonly string[];
  /** Response headers clients read: what each carries and an example. */
  headers?: Readonly<Record<string, { description: string; example?: string }>>;
}

/** A route declaration adds its handler. */
export interface HttpOperation {
  operationId: string;
  method: HttpMethod;
  /** `{name}` parameters (the router's `:name`). */
  path: string;
  tag: HttpTag;
  summary: string;
  description?: string;
  auth: HttpAuth;
  /** Without a schema each is a string. */
  params?: z.ZodObject;
  /** A route reads no other. */
  query?: z.ZodObject;
  /** A named JSON schema, or raw bytes of `contentTypes` (uploads). */
  request?: { title?: string; schema?: z.ZodType; contentTypes?: readonly string[]; optional?: boolean };
  responses: Record<number, HttpResponse>;
  /** Besides those its auth and body imply ({@link errorCodesOf}). */
  errors?: ErrorCode[];
  /** The route that serves this path as a form of its own (`/api/reports/{id}.pdf` by `/api/reports/:id`). */
  servedBy?: string;
}

export const HTTP_ERROR = { title: 'HttpError', schema: httpErrorSchema };

/** Codes before the operation's own logic: its caller's token, a body the edge refuses. */
export function errorCodesOf(op: HttpOperation): ErrorCode[] {
  const implied: ErrorCode[] = [];
  if (op.auth === 'user' || op.auth === 'user-or-admin' || op.auth === 'admin') implied.push('UNAUTHORIZED');
  // Wrong admin tokens cost the address a point; past the limit every admin request is 429.
  if (op.auth === 'admin') implied.push('RATE_LIMITED', 'OPS_DISABLED');
  if (op.auth === 'user') implied.push('FORBIDDEN');
  if (op.params || op.query) implied.push('VALIDATION_FAILED');
  if (op.request) implied.push('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  return [...new Set([...implied, ...(op.errors ?? [])])];
}

/** e.g. 409 → [CONFLICT, ALREADY_VOTED]. */
export function errorStatusesOf(op: HttpOperation): Map<number, ErrorCode[]> {
  const out = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(op)) out.set(STATUS_BY_CODE[code], [...(out.get(STATUS_BY_CODE[code]) ?? []), code]);
  return new Map([...out].sort(([a], [b]) => a - b));
}

export const routerPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');
