import { createEndpoint, createRouter } from '@colyseus/core';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

/** What a route handler sees: the Web request, path params, query, and the parsed JSON body. */
export interface HttpContext {
  request: Request;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handler: (ctx: HttpContext) => Promise<Response>;
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

/** Maps named domain errors to HTTP statuses; the code travels in the body. */
const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403, CONFLICT: 409,
  BACKPRESSURE: 503,
  NOT_PERSISTED: 503,
  PAYLOAD_TOO_LARGE: 413,
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
  return json({ error: 'SHUTTING_DOWN', message: 'this server is shutting down; retry against another server or in a few seconds' }, 503, { 'retry-after': '2', connection: 'close' });
}

function errorResponse(err: unknown, log: Logger): Response {
  if (err instanceof AppError) {
    const status = STATUS_BY_CODE[err.code] ?? 400;
    const extra = err.details ? { details: err.details } : {};
    const headers: Record<string, string> = err.retryAfterSec !== undefined ? { 'retry-after': String(err.retryAfterSec) } : {};
    return json({ error: err.code, message: err.message, ...extra }, status, headers);
  }
  log.error({ err }, 'unhandled error in HTTP route');
  return json({ error: 'INTERNAL', message: 'internal error; the server logged the details' }, 500);
}

async function readBody(ctx: { request?: Request; body?: unknown }): Promise<unknown> {
  return ctx.body;
}

/**
 * Our routes on Colyseus' router (served by both transports), every error mapped to JSON,
 * and a catch-all 404: with uWS an unmatched route would otherwise never be answered.
 */
export function buildRouter(routes: Route[], log: Logger, intake: { draining(): boolean } = { draining: () => false }) {
  const endpoints: Record<string, ReturnType<typeof createEndpoint>> = {};
  routes.forEach((route, i) => {
    endpoints[`r${i}`] = createEndpoint(route.path, { method: route.method }, async (ctx) => {
      const request = ctx.request as Request;
      if (intake.draining()) return shuttingDown();
      try {
        const query = new URL(request.url).searchParams;
        return await route.handler({ request, params: (ctx.params ?? {}) as Record<string, string>, query, body: await readBody(ctx) });
      } catch (err) {
        return errorResponse(err, log);
      }
    });
  });
  endpoints.notFound = createEndpoint('/**', { method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'] as unknown as 'GET' }, async (ctx) => {
    const url = new URL((ctx.request as Request).url);
    return json({ error: 'NOT_FOUND', message: `no route for ${(ctx.request as Request).method} ${url.pathname}` }, 404);
  });
  return createRouter(endpoints, { openapi: { disabled: true } } as never);
}
