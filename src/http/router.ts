import { performance } from 'node:perf_hooks';
import { createEndpoint, createRouter } from '@colyseus/core';
import { AppError, knownError } from '../errors.js';
import type { Logger } from '../logger.js';
import { STATUS_BY_CODE, type ErrorCode, type HttpMethod } from '../../systems/httpContract.js';

/** An error code without its own status is the client's request that was wrong. */
const UNMAPPED_CODE_STATUS = 400;

/** The header (request and response) that carries the id a 5xx body quotes and the log line records. */
export const REQUEST_ID_HEADER = 'x-request-id';
/** The client's address as the edge determined it (any value a client sent under this name is replaced). */
export const CLIENT_ADDRESS_HEADER = 'x-ds-client-address';
/** The method as the client sent it (the edge serves HEAD with the GET route): set by the edge only. */
export const RECEIVED_METHOD_HEADER = 'x-ds-received-method';

/** The address the edge counted this request from ('unknown' when the adapter could not tell). */
export const clientAddressOf = (request: Request): string => request.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';

/** What a route handler sees: the Web request, path params, query, and the parsed JSON body. */
export interface HttpContext {
  request: Request;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface Route {
  method: HttpMethod;
  path: string;
  handler: (ctx: HttpContext) => Promise<Response>;
  /** The handler reads the body's bytes itself (`request.arrayBuffer()`): nothing parses it first (a signed webhook). */
  rawBody?: boolean;
}

/** A client mistake with per-field details: answered 400. */
export class ValidationError extends AppError<'VALIDATION_FAILED'> {
  constructor(
    message: string,
    override readonly details: Array<{ field: string; message: string }>,
  ) {
    super('VALIDATION_FAILED', message, details);
  }
}

export { STATUS_BY_CODE, type ErrorCode };

/** The HTTP status for an error code (unknown codes are client mistakes: 400). */
export function statusOf(code: string): number {
  return (STATUS_BY_CODE as Record<string, number>)[code] ?? UNMAPPED_CODE_STATUS;
}

/** The request body as JSON, or `{}` when there is none; 400 when it is not JSON. */
export const optionalBody = (ctx: Pick<HttpContext, 'body'>): unknown => {
  const body = ctx.body;
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new ValidationError('the body is not valid JSON', [{ field: '(body)', message: 'is not JSON' }]);
  }
};

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/** During shutdown: nothing new is taken (a keep-alive client must not get an ack the drain races), and the socket is closed. */
function shuttingDown(): Response {
  return json({ error: 'SHUTTING_DOWN', message: 'this server is shutting down; retry against another server or in a few seconds' }, 503, {
    'retry-after': '2',
    connection: 'close',
  });
}

/** What a 5xx body says instead of the cause: the cause is in the log under the request id. */
export const INTERNAL_MESSAGE = 'the server failed to handle this request; it logged the cause under requestId (quote it when reporting the problem)';

/** An error answer before it becomes bytes: the edge writes it directly, routes wrap it in a Response. */
export interface ErrorReply {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/**
 * The JSON error reply for anything a handler threw. Named errors keep their code and message; a
 * database outage becomes DATABASE_UNAVAILABLE; anything else is INTERNAL. A 5xx carries only a code
 * and the request id, and the cause is logged with that id.
 */
export function errorReply(err: unknown, log: Logger, requestId: string): ErrorReply {
  const known = knownError(err);
  if (!known) {
    log.error({ err, requestId }, 'unhandled error in HTTP route');
    return { status: 500, body: { error: 'INTERNAL', message: INTERNAL_MESSAGE, requestId }, headers: {} };
  }
  const status = statusOf(known.code);
  if (status >= 500) log.warn({ err, requestId, code: known.code }, 'HTTP route answered 5xx');
  const extra = known.details ? { details: known.details } : {};
  const headers: Record<string, string> = known.retryAfterSec !== undefined ? { 'retry-after': String(known.retryAfterSec) } : {};
  return { status, body: { error: known.code, message: known.message, ...extra, ...(status >= 500 ? { requestId } : {}) }, headers };
}

/** {@link errorReply} as a JSON Response. */
export function errorResponse(err: unknown, log: Logger, requestId: string): Response {
  const reply = errorReply(err, log, requestId);
  return json(reply.body, reply.status, reply.headers);
}

async function readBody(ctx: { request?: Request; body?: unknown }): Promise<unknown> {
  return ctx.body;
}

/** Intake control and an optional per-route timing hook (src/http/httpMetrics.ts: API p95 and error rates). */
export interface RouterIntake {
  draining(): boolean;
  /** A response that answers the request before its route runs (e.g. an address over its limit), or null. */
  admit?(request: Request): Promise<Response | null>;
  /** Sees each request with the answer its route gave; resolves to the answer to send (that one, or a replacement). */
  settled?(request: Request, response: Response): Promise<Response>;
  observe?(route: string, method: string, status: number, seconds: number): void;
}

/**
 * Our routes on Colyseus' router (served by both transports), every error mapped to JSON,
 * and a catch-all 404: with uWS an unmatched route would otherwise never be answered.
 */
export function buildRouter(routes: Route[], log: Logger, intake: RouterIntake = { draining: () => false }) {
  const endpoints: Record<string, ReturnType<typeof createEndpoint>> = {};
  routes.forEach((route, i) => {
    endpoints[`r${i}`] = createEndpoint(route.path, { method: route.method, ...(route.rawBody ? { disableBody: true } : {}) }, async (ctx) => {
      const request = ctx.request as Request;
      if (intake.draining()) return shuttingDown();
      const started = performance.now();
      let response: Response;
      try {
        const query = new URL(request.url).searchParams;
        response =
          (await intake.admit?.(request)) ??
          (await route.handler({ request, params: (ctx.params ?? {}) as Record<string, string>, query, body: await readBody(ctx) }));
        if (intake.settled) response = await intake.settled(request, response);
      } catch (err) {
        response = errorResponse(err, log, request.headers.get(REQUEST_ID_HEADER) ?? 'none');
      }
      intake.observe?.(route.path, route.method, response.status, (performance.now() - started) / 1000);
      return response;
    });
  });
  endpoints.notFound = createEndpoint('/**', { method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'] as unknown as 'GET' }, async (ctx) => {
    const url = new URL((ctx.request as Request).url);
    return json({ error: 'NOT_FOUND', message: `no route for ${(ctx.request as Request).method} ${url.pathname}` }, 404);
  });
  return createRouter(endpoints, { openapi: { disabled: true } } as never);
}
