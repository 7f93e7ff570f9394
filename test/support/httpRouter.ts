/**
 * Routes served in process through the real HTTP edge (default settings unless given): a Web Request in, the
 * edge's reply as a Web Response out, for tests that call routes without starting a server.
 */
import pino from 'pino';
import { loadConfig, type HttpSettings } from '../../src/config/config.js';
import { HttpEdge, type EdgeRouter, type HttpRequest, type Intake } from '../../src/http/edge.js';
import { errorReply } from '../../src/http/errors.js';
import { Reply, type Route } from '../../src/http/route.js';
import type { Logger } from '../../src/logger.js';

const NOTHING_ELSE: EdgeRouter = { handler: async () => new Response(null, { status: 404 }) };

export interface TestRouter {
  edge: HttpEdge;
  handler(request: Request): Promise<Response>;
}

export function buildRouter(
  routes: Route[],
  log: Logger = pino({ level: 'silent' }) as unknown as Logger,
  intake?: Intake,
  options: { settings?: Partial<HttpSettings>; address?: string; fallback?: EdgeRouter } = {},
): TestRouter {
  const edge = new HttpEdge({ ...loadConfig({}).http, ...options.settings }, log);
  edge.serve(routes, intake);
  return {
    edge,
    async handler(request) {
      const url = new URL(request.url);
      const req = edge.open(request.method, url.pathname + url.search, new Headers(request.headers), options.address ?? '127.0.0.1');
      const reply = edge.beforeBody(req) ?? (await edge.complete(req, new Uint8Array(await request.arrayBuffer()), options.fallback ?? NOTHING_ELSE));
      const empty = reply.omitBody || [204, 205, 304].includes(reply.status);
      return new Response(empty ? null : (reply.body as Uint8Array<ArrayBuffer>), { status: reply.status, headers: reply.headers });
    },
  };
}

/** One route's answer to a request with these params and headers, without the edge (a unit test of the handler). */
export async function serveDirect(route: Route, params: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Response> {
  const request = { method: route.method, url: route.path, path: route.path, headers: new Headers(headers), query: new URLSearchParams() } as HttpRequest;
  const reply = await route.serve(request, params).catch((err: unknown) => {
    const { status, body, headers: h } = errorReply(err, pino({ level: 'silent' }) as unknown as Logger, 'test');
    return new Reply(status, body, { ...h, 'content-type': 'application/json' });
  });
  const body = reply.body instanceof Uint8Array || typeof reply.body === 'string' ? reply.body : reply.body === null ? null : JSON.stringify(reply.body);
  return new Response(body as BodyInit | null, { status: reply.status, headers: reply.headers });
}
