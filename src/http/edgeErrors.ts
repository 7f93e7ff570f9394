import { AppError } from '../errors.js';

/** Errors the HTTP edge raises before a route runs; their codes map to statuses in router.ts. */

/** Methods some route or the edge itself answers. */
export const SERVED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** The request body is over HTTP_MAX_BODY_BYTES: answered 413 and not read further. */
export class PayloadTooLargeError extends AppError {
  constructor(limit: number, setting = 'HTTP_MAX_BODY_BYTES', advice = 'send less per request, e.g. split a passport batch') {
    super('PAYLOAD_TOO_LARGE', `the request body is larger than ${limit} bytes (${setting}); ${advice}`);
  }
}

/** A body that is not JSON: answered 415 naming the accepted type. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(received: string, accepted: readonly string[] = ['application/json']) {
    const what =
      accepted.length === 1 && accepted[0] === 'application/json'
        ? 'request bodies must be JSON: send Content-Type: application/json'
        : `this route takes Content-Type ${accepted.join(', ')}`;
    super('UNSUPPORTED_MEDIA_TYPE', `${what} (received ${received ? `"${received.slice(0, 100)}"` : 'no Content-Type'})`);
  }
}

/** A method no route takes (TRACE, CONNECT, made-up ones): 405 naming the ones we serve. */
export class MethodNotAllowedError extends AppError {
  constructor(method: string) {
    super('METHOD_NOT_ALLOWED', `method ${method.slice(0, 20)} is not served here; use one of ${SERVED_METHODS.join(', ')}`);
  }
}

/** A request head the WHATWG Headers class refuses (e.g. a header value with control characters). */
export class BadRequestHeadError extends AppError {
  constructor(reason: string) {
    super('VALIDATION_FAILED', `the request head is malformed: ${reason.slice(0, 200)}`);
  }
}

/** A preflight from an origin CORS_ORIGINS does not list. */
export class OriginNotAllowedError extends AppError {
  constructor(origin: string) {
    super('ORIGIN_NOT_ALLOWED', `origin ${origin.slice(0, 200)} may not call this server cross-origin; the operator can add it to CORS_ORIGINS`);
  }
}
