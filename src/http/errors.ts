/**
 * Every error an HTTP answer can carry, and its one encoding ({@link errorReply}): a code, a sentence,
 * per-field details; a 5xx says only the code and the request id (the cause is logged under it).
 */
import { Reply } from './route.js';
import { AppError, knownError } from '../errors.js';
import type { Logger } from '../logger.js';
import { UnauthorizedError } from '../../features/auth/DeviceAuth.js';
import { STATUS_BY_CODE } from '../../systems/httpContract.js';

/** Methods some route or the edge itself answers. */
export const SERVED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** What a 5xx body says instead of the cause: the cause is in the log under the request id. */
export const INTERNAL_MESSAGE = 'the server failed to handle this request; it logged the cause under requestId (quote it when reporting the problem)';

/** An error code without a status of its own is the client's request that was wrong. */
const UNMAPPED_CODE_STATUS = 400;

/** A client mistake with per-field details: answered 400. */
export class ValidationError extends AppError<'VALIDATION_FAILED'> {
  constructor(
    message: string,
    override readonly details: Array<{ field: string; message: string }>,
  ) {
    super('VALIDATION_FAILED', message, details);
  }
}

export class NotFoundError extends AppError<'NOT_FOUND'> {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/** `value`, or a 404 saying `message` when there is none. */
export function found<T>(value: T | null | undefined, message: string): T {
  if (value === null || value === undefined) throw new NotFoundError(message);
  return value;
}

/** The request body is over its limit: answered 413 and not read further. */
export const payloadTooLarge = (limit: number, setting = 'HTTP_MAX_BODY_BYTES', advice = 'send less per request, e.g. split a passport batch') =>
  new AppError('PAYLOAD_TOO_LARGE', `the request body is larger than ${limit} bytes (${setting}); ${advice}`);

/** A body that is not JSON (or not a raw-body route's type): answered 415 naming the accepted type. */
export function unsupportedMediaType(received: string, accepted: readonly string[] = ['application/json']): AppError {
  const what =
    accepted.length === 1 && accepted[0] === 'application/json'
      ? 'request bodies must be JSON: send Content-Type: application/json'
      : `this route takes Content-Type ${accepted.join(', ')}`;
  return new AppError('UNSUPPORTED_MEDIA_TYPE', `${what} (received ${received ? `"${received.slice(0, 100)}"` : 'no Content-Type'})`);
}

/** A method no route takes (TRACE, CONNECT, made-up ones): 405 naming the ones we serve. */
export const methodNotAllowed = (method: string) =>
  new AppError('METHOD_NOT_ALLOWED', `method ${method.slice(0, 20)} is not served here; use one of ${SERVED_METHODS.join(', ')}`);

/** A request head the WHATWG Headers class refuses (e.g. a header value with control characters). */
export const badRequestHead = (reason: string) => new AppError('VALIDATION_FAILED', `the request head is malformed: ${reason.slice(0, 200)}`);

/** A preflight from an origin CORS_ORIGINS does not list. */
export const originNotAllowed = (origin: string) =>
  new AppError('ORIGIN_NOT_ALLOWED', `origin ${origin.slice(0, 200)} may not call this server cross-origin; the operator can add it to CORS_ORIGINS`);

/**
 * Named errors keep their code and message; a database outage becomes DATABASE_UNAVAILABLE; anything else INTERNAL. A
 * 5xx carries only the code and request id (the cause is logged with it). A 401 challenges for a Bearer token.
 */
export function errorReply(err: unknown, log: Logger, requestId: string): Reply<number, Record<string, unknown>> {
  const known = knownError(err);
  if (!known) {
    log.error({ err, requestId }, 'unhandled error in HTTP route');
    return new Reply(500, { error: 'INTERNAL', message: INTERNAL_MESSAGE, requestId });
  }
  const status = (STATUS_BY_CODE as Record<string, number>)[known.code] ?? UNMAPPED_CODE_STATUS;
  // A named 5xx with Retry-After (a ride moving, a full queue) is a designed answer the client retries, often hundreds a
  // second after a crash: one debug line each, no stack. A driver error behind a 503 keeps its warning with the cause.
  const designed = known === err && known.retryAfterSec !== undefined;
  if (status >= 500 && !designed) log.warn({ err, requestId, code: known.code }, 'HTTP route answered 5xx');
  else if (status >= 500) log.debug({ requestId, code: known.code }, 'HTTP route answered 5xx with Retry-After');
  const headers: Record<string, string> = known.retryAfterSec !== undefined ? { 'retry-after': String(known.retryAfterSec) } : {};
  if (status === 401) {
    const invalid = known instanceof UnauthorizedError && known.tokenError && known.tokenError !== 'TOKEN_MISSING';
    headers['www-authenticate'] = `Bearer realm="deepstream"${invalid ? ', error="invalid_token"' : ''}`;
  }
  const extra = known.details ? { details: known.details } : {};
  return new Reply(status, { error: known.code, message: known.message, ...extra, ...(status >= 500 ? { requestId } : {}) }, headers);
}
