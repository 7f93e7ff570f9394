import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { HttpSettings } from '../config/config.js';
import type { Logger } from '../logger.js';
import { findJsonProblem, jsonDepthExceeds, stringProblem } from '../../systems/text.js';
import { corsPolicy, type Headerlist } from './cors.js';
import {
  badRequestHead,
  errorReply,
  INTERNAL_MESSAGE,
  methodNotAllowed,
  originNotAllowed,
  payloadTooLarge,
  SERVED_METHODS,
  unsupportedMediaType,
  ValidationError,
} from './errors.js';
import { Reply, type Route } from './route.js';
import { routeTable, safeDecode, type RouteTable } from './routeTable.js';

/**
 * The HTTP edge: every request on either transport passes here. The transport adapters only move bytes into
 * {@link HttpEdge.receive}; replies are encoded here once; anything not ours (Colyseus's matchmaking) goes to Colyseus's
 * router as a Web Request.
 */

/** One request, from the socket to the handler: the head as the adapter read it, then what the edge found. */
export interface HttpRequest {
  /** Upper-case method as received (HEAD is served by the GET route). */
  method: string;
  /** Path and query as received, e.g. `/api/stations/99.9?device_model=x`. */
  url: string;
  headers: Headers;
  requestId: string;
  /** The peer's address (the socket's; a proxy's own address when one is in front). */
  remoteAddress: string;
  /** The address per-address limits count: the peer, or behind a trusted proxy the address it appended. */
  clientAddress: string;
  /** The path with dot segments resolved, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  /** The body's bytes (none for GET and HEAD). */
  body: Uint8Array;
  /** The body parsed as JSON, when it is JSON; undefined without one. */
  json: unknown;
}

export interface EdgeReply {
  status: number;
  /** Lower-case names; never content-length, connection or transfer-encoding (the adapter owns those). */
  headers: Headerlist;
  body: Uint8Array;
  /** HEAD: send the headers and the body's length, not the body. */
  omitBody: boolean;
  /** `drain`: the body was refused unread, so close without resetting the connection and the client still reads this reply. */
  connection: 'keep' | 'close' | 'drain';
}

/** What a route taking raw bytes (image upload, payment webhook) accepts: lower-case media types (another is 415), and its own bound. */
export interface RawBody {
  contentTypes: readonly string[];
  limit?: BodyLimit;
}

/** A raw-body route's own `maxBytes` (the `setting` named in the 413, with `advice`), for heads `authorized` accepts (default: all). */
export interface BodyLimit {
  maxBytes: number;
  setting: string;
  advice: string;
  /** So an anonymous client meets the default limit. */
  authorized?(request: Pick<HttpRequest, 'headers'>): boolean;
}

/** Where an adapter puts a request's body; `announced`: the head says a body follows. */
export interface BodySink {
  announced: boolean;
  push(chunk: Uint8Array): void;
  end(): void;
  /** The client went away mid-body: nobody to answer. */
  abort(): void;
}

/** A check run once the body is in, before routing, that may refuse: `admit` throws an AppError (RATE_LIMITED: 429 with Retry-After). */
export interface EdgeGate {
  /** Whether the gate looks at this request (upper-case method; the path as the router will match it). */
  applies(method: string, path: string): boolean;
  /** `address` is the one the per-address limits count (the socket's peer, or the trusted proxy's X-Forwarded-For). */
  admit(address: string): Promise<void>;
  /** While an admitted request is served: `refused` rejects with the answer to give should the gate close meanwhile; `stop` once answered. */
  whileServed?(): { refused: Promise<never>; stop(): void };
}

/** Colyseus's router (its matchmaking): what none of our routes serves. */
export interface EdgeRouter {
  handler(request: Request): Promise<Response>;
}

/** How requests are served: all refused while draining (matchmaking too), ours timed per route pattern, and an answer's last look (the admin failure count). */
export interface Intake {
  draining(): boolean;
  observe?(route: string, method: string, status: number, seconds: number): void;
  /** Sees each answer of our routes; resolves to the answer to send (that one, or a replacement). */
  settled?(request: HttpRequest, reply: Reply): Promise<Reply>;
}

const DROPPED_RESPONSE_HEADERS = new Set(['content-length', 'connection', 'transfer-encoding', 'keep-alive']);
/** Colyseus's code for an unexpected exception in a room's onCreate/onAuth: its message is internal detail. */
const MATCHMAKE_UNHANDLED = 523;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
const EMPTY = new Uint8Array();

const invalid = (field: string, message: string, summary: string) => new ValidationError(summary, [{ field, message }]);

/** Answering before the body is read: a body still to come must be drained, not reset. */
const unreadBody = (req: HttpRequest): EdgeReply['connection'] => (announcesBody(req.headers) ? 'drain' : 'keep');

function announcesBody(headers: Headers): boolean {
  return Number(headers.get('content-length') ?? 0) > 0 || headers.has('transfer-encoding');
}

/**
 * During shutdown nothing new is taken, matchmaking included (a keep-alive client must not get an ack the drain races),
 * and the socket is closed: behind a balancer the retry's new connection reaches another process. The message leads
 * with the code because the Colyseus SDK hands a client only the message and the status.
 */
const SHUTTING_DOWN = new Reply(
  503,
  { error: 'SHUTTING_DOWN', message: 'SHUTTING_DOWN: this server is draining; retry at once on a new connection (another server), or after Retry-After' },
  { 'retry-after': '2', connection: 'close' },
);

export class HttpEdge {
  private readonly cors: ReturnType<typeof corsPolicy>;
  private routes: RouteTable = routeTable([]);
  private intake: Intake = { draining: () => false };

  constructor(
    private readonly settings: HttpSettings,
    private readonly log: Logger,
    private readonly gates: readonly EdgeGate[] = [],
  ) {
    this.cors = corsPolicy(settings.corsOrigins);
  }

  /** Serves these routes (before Colyseus's router, which gets what they do not match). */
  serve(routes: readonly Route[], intake: Intake = { draining: () => false }): void {
    this.routes = routeTable(routes);
    this.intake = intake;
  }

  /** What the route of this request (by its head) takes as raw bytes, if it does. */
  private rawBody(req: HttpRequest): RawBody | undefined {
    return req.path ? this.routes.match(req.method === 'HEAD' ? 'GET' : req.method, req.path)?.route.rawBody : undefined;
  }

  /** The larger limit this request gets: a raw-body route's, for its content types, when authorized. */
  private uploadOf(req: HttpRequest): BodyLimit | undefined {
    const raw = this.rawBody(req);
    if (!raw?.limit || !raw.contentTypes.includes(mediaType(req.headers.get('content-type') ?? ''))) return undefined;
    return raw.limit.authorized?.(req) === false ? undefined : raw.limit;
  }

  /** Largest body this request may send: HTTP_MAX_BODY_BYTES, or an authorized upload's own bound. */
  bodyLimit(req: HttpRequest): number {
    return this.uploadOf(req)?.maxBytes ?? this.settings.maxBodyBytes;
  }

  /** Names a request the adapter has just received; every reply and 5xx log line carries this id. */
  open(method: string, url: string, headers: Headers, remoteAddress = ''): HttpRequest {
    // The target is read once here; a malformed one keeps an empty path and is refused (400) once the body is in.
    const target = parseTarget(url);
    const [path, query] = [target?.pathname ?? '', target?.searchParams ?? new URLSearchParams()];
    const req = { method: method.toUpperCase(), url, headers, requestId: randomUUID(), remoteAddress, path, query, body: EMPTY };
    return { ...req, clientAddress: this.clientAddress(req), json: undefined };
  }

  /** Decided by the head alone: OPTIONS, or a Content-Length over the limit (413, closed so the body is never read). Null: read the body. */
  beforeBody(req: HttpRequest): EdgeReply | null {
    if (req.method === 'OPTIONS') return this.options(req);
    // fetch's Request refuses TRACE/CONNECT outright; answer before anything tries to build one.
    if (!SERVED_METHODS.includes(req.method)) return this.refuse(req, methodNotAllowed(req.method), unreadBody(req), { allow: SERVED_METHODS.join(', ') });
    return Number(req.headers.get('content-length') ?? 0) > this.bodyLimit(req) ? this.tooLarge(req) : null;
  }

  /** The body passed the limit while streaming (chunked, or no usable Content-Length): 413, then close. */
  tooLarge(req: HttpRequest): EdgeReply {
    const upload = this.uploadOf(req);
    return this.refuse(req, payloadTooLarge(upload?.maxBytes ?? this.settings.maxBodyBytes, upload?.setting, upload?.advice), 'drain');
  }

  /** The whole body is in: check it, route the request, and shape the reply. Never throws. */
  async complete(req: HttpRequest, body: Uint8Array, fallback: EdgeRouter): Promise<EdgeReply> {
    try {
      // A malformed target meets no gate: it is refused as such before routing.
      const gates = req.path ? this.gates.filter((gate) => gate.applies(req.method, req.path)) : [];
      if (this.intake.draining()) return this.encode(req, SHUTTING_DOWN);
      try {
        for (const gate of gates) await gate.admit(req.clientAddress);
      } catch (err) {
        // A gate's refusal names the request id, whatever its status.
        const refused = errorReply(err, this.log, req.requestId);
        return this.encode(req, new Reply(refused.status, { ...refused.body, requestId: req.requestId }, refused.headers));
      }
      this.read(req, body);
      const match = this.routes.match(req.method === 'HEAD' ? 'GET' : req.method, req.path);
      if (match) return this.encode(req, await servedUnlessRefused(gates, () => this.answer(req, match.route, match.params)));
      return await this.finish(req, await servedUnlessRefused(gates, () => fallback.handler(webRequest(req))));
    } catch (err) {
      // A 400 of the checks, or a response body that failed while being read: still one coded answer, never a hang.
      return this.refuse(req, err);
    }
  }

  /**
   * A request whose head the adapter reads with `read` (synchronously): answered from the head alone (null; `send` has the
   * reply), or the sink its body goes to, chunk by chunk, stopping (413, connection closed) as soon as it passes the limit.
   */
  receive(read: () => HttpRequest, router: EdgeRouter, send: (reply: EdgeReply) => void): BodySink | null {
    let head: HttpRequest;
    try {
      head = read();
    } catch (err) {
      // e.g. a header value the WHATWG Headers class refuses: a 400, then close (the body, if any, is unread).
      this.log.debug({ err }, 'unreadable HTTP request head');
      const req = this.open('GET', '/', new Headers());
      send(this.refuse(req, badRequestHead((err as Error)?.message ?? String(err)), 'drain'));
      return null;
    }
    const early = this.beforeBody(head);
    if (early) {
      send(early);
      return null;
    }
    const chunks: Uint8Array[] = [];
    const limit = this.bodyLimit(head);
    let size = 0;
    let refused = false;
    return {
      announced: announcesBody(head.headers),
      push: (chunk) => {
        if (refused) return;
        size += chunk.byteLength;
        if (size <= limit) return void chunks.push(chunk);
        refused = true;
        chunks.length = 0;
        send(this.tooLarge(head));
      },
      end: () => {
        if (!refused) void this.complete(head, Buffer.concat(chunks, size), router).then(send);
      },
      abort: () => void (refused = true),
    };
  }

  /** One of our routes: its answer (or error) seen by the intake, timed by pattern. */
  private async answer(req: HttpRequest, route: Route, params: Record<string, string>): Promise<Reply> {
    const started = performance.now();
    const failed = (err: unknown) => errorReply(err, this.log, req.requestId);
    let reply = await route.serve(req, params).catch(failed);
    if (this.intake.settled) reply = await this.intake.settled(req, reply).catch(failed);
    this.intake.observe?.(route.path, route.method, reply.status, (performance.now() - started) / 1000);
    return reply;
  }

  private options(req: HttpRequest): EdgeReply {
    const origin = req.headers.get('origin');
    const connection = unreadBody(req);
    const preflight = origin !== null && req.headers.has('access-control-request-method');
    const granted: Headerlist | null = preflight ? this.cors.preflightHeaders(origin) : [['allow', SERVED_METHODS.join(', ')]];
    if (!granted) return this.refuse(req, originNotAllowed(origin!), connection);
    return { status: 204, headers: [...granted, ['x-request-id', req.requestId]], body: EMPTY, omitBody: false, connection };
  }

  /** What only the edge can check generically: the target (path, query) and the body (JSON, unless a raw-body route's type). */
  private read(req: HttpRequest, body: Uint8Array): void {
    this.checkTarget(req);
    // GET and HEAD bodies mean nothing to any route: read (within the limit) and dropped.
    if (body.byteLength === 0 || req.method === 'GET' || req.method === 'HEAD') return;
    req.body = body;
    const raw = this.rawBody(req);
    const contentType = req.headers.get('content-type') ?? '';
    if (raw && !raw.contentTypes.includes(mediaType(contentType))) throw unsupportedMediaType(contentType, raw.contentTypes);
    if (!raw) req.json = this.checkJsonBody(contentType, body);
  }

  /** Whom the per-address limits count: the socket's peer, or behind a trusted proxy the address it appended. */
  private clientAddress(req: Pick<HttpRequest, 'headers' | 'remoteAddress'>): string {
    if (this.settings.trustForwardedFor) {
      const forwarded = req.headers.get('x-forwarded-for')?.split(',').pop()?.trim();
      if (forwarded) return forwarded;
    }
    return req.remoteAddress || 'unknown';
  }

  /** A malformed target, or NUL or a lone surrogate in the path or query, is a 400. */
  private checkTarget({ path, query }: HttpRequest): void {
    if (!path) throw invalid('(path)', 'is not a valid request target', 'the request URL is malformed');
    const decodedPath = safeDecode(path);
    const pathProblem = decodedPath === null ? null : stringProblem(decodedPath);
    if (pathProblem) throw invalid('(path)', pathProblem, 'the request path holds a character that cannot be stored');
    for (const [key, value] of query) {
      const problem = stringProblem(key) ?? stringProblem(value);
      if (problem)
        throw invalid(`query.${key.replace(/[^\x20-\x7e]/g, '?').slice(0, 64)}`, problem, 'a query parameter holds a character that cannot be stored');
    }
  }

  /** JSON only; nesting bounded before parsing; no unstorable strings, prototype-shadowing keys or numbers beyond JSON's range. */
  private checkJsonBody(contentType: string, body: Uint8Array): unknown {
    if (!isJson(contentType)) throw unsupportedMediaType(contentType);
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      throw invalid('(body)', 'is not valid UTF-8', 'the body is not valid UTF-8 JSON');
    }
    const maxDepth = this.settings.maxJsonDepth;
    if (jsonDepthExceeds(text, maxDepth))
      throw invalid('(body)', `nests objects/arrays deeper than ${maxDepth} levels (HTTP_MAX_JSON_DEPTH)`, 'the JSON body is nested too deeply');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw invalid('(body)', `is not valid JSON (${(err as Error).message.slice(0, 120)})`, 'the body is not valid JSON');
    }
    const problem = findJsonProblem(value);
    if (problem) throw invalid(problem.field, problem.message, `invalid ${problem.field}: ${problem.message}`);
    return value;
  }

  /** Our answer → bytes, once: JSON unless the answer is bytes or text of its own type; a 5xx carries a code and the request id. */
  private encode(req: HttpRequest, reply: Reply): EdgeReply {
    const headers = Object.fromEntries(Object.entries(reply.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const type = headers['content-type'];
    const raw =
      reply.body instanceof Uint8Array
        ? reply.body
        : typeof reply.body === 'string' && type && !type.startsWith('application/json')
          ? encoder.encode(reply.body)
          : null;
    const json = reply.status >= 500 ? this.coded5xx(req, raw ? parseObject(raw) : reply.body) : raw ? undefined : (reply.body ?? undefined);
    if (json !== undefined) headers['content-type'] = 'application/json';
    const body = json === undefined ? (raw ?? EMPTY) : encoder.encode(JSON.stringify(json));
    // A handler may ask to end the connection (503 SHUTTING_DOWN during a drain closes keep-alive sockets).
    const connection = /\bclose\b/i.test(headers.connection ?? '') ? 'close' : 'keep';
    const list = Object.entries(headers).filter(([k]) => !DROPPED_RESPONSE_HEADERS.has(k));
    return { ...this.framed(req, reply.status, list, body), connection };
  }

  /** A 5xx body of ours keeps its code and gains the request id; one without a code says INTERNAL (the rest is logged). */
  private coded5xx(req: HttpRequest, body: unknown): unknown {
    const object = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
    if (object && typeof object.error === 'string') return { ...object, requestId: req.requestId };
    this.log.error(
      { requestId: req.requestId, url: req.url.slice(0, 200), body: JSON.stringify(body).slice(0, 300) },
      'HTTP handler answered 5xx without a code',
    );
    return { error: 'INTERNAL', message: INTERNAL_MESSAGE, requestId: req.requestId };
  }

  /** Colyseus's Response → reply: its coded bodies keep their codes (with the request id); an uncoded 5xx or empty 404 becomes ours. */
  private async finish(req: HttpRequest, response: Response): Promise<EdgeReply> {
    let body: Uint8Array = new Uint8Array(await response.arrayBuffer());
    let headers = headerList(response.headers);
    const parsed = response.status >= 400 ? parseObject(body) : null;
    const asJson = (value: unknown) => {
      headers = [...headers.filter(([k]) => k !== 'content-type'), ['content-type', 'application/json']];
      body = encoder.encode(JSON.stringify(value));
    };
    if (response.status === 404 && body.byteLength === 0) asJson({ error: 'NOT_FOUND', message: `no route for ${req.method} ${req.path.slice(0, 200)}` });
    else if (parsed && typeof parsed.code === 'number' && typeof parsed.error === 'string') {
      // Colyseus matchmaking ({code, error}, read by the SDK): its own codes say what to do; 523 is a raw exception.
      if (parsed.code !== MATCHMAKE_UNHANDLED) asJson({ ...parsed, requestId: req.requestId });
      else {
        this.log.error({ requestId: req.requestId, cause: parsed.error, url: req.url.slice(0, 200) }, 'matchmaking failed with an unexpected error');
        asJson({ code: parsed.code, error: INTERNAL_MESSAGE, requestId: req.requestId });
      }
    } else if (response.status >= 500) {
      this.log.error({ requestId: req.requestId, status: response.status, url: req.url.slice(0, 200) }, 'matchmaking answered 5xx without a coded body');
      asJson({ error: 'INTERNAL', message: INTERNAL_MESSAGE, requestId: req.requestId });
    }
    return { ...this.framed(req, response.status, headers, body), connection: 'keep' };
  }

  /** An error's answer; `connection`: how the socket goes on (refused before the body is read: drained), `headers` besides the error's. */
  private refuse(req: HttpRequest, err: unknown, connection: EdgeReply['connection'] = 'keep', headers: Record<string, string> = {}): EdgeReply {
    const reply = errorReply(err, this.log, req.requestId);
    return { ...this.encode(req, new Reply(reply.status, reply.body, { ...reply.headers, ...headers })), connection };
  }

  /** Every reply: CORS for the request's origin and the request id. */
  private framed(req: HttpRequest, status: number, headers: Headerlist, body: Uint8Array): Omit<EdgeReply, 'connection'> {
    return {
      status,
      headers: [...headers, ...this.cors.responseHeaders(req.headers.get('origin')), ['x-request-id', req.requestId]],
      body,
      omitBody: req.method === 'HEAD',
    };
  }
}

/** The Web Request a Colyseus router takes (matchmaking, the monitor's API). */
export function webRequest(req: HttpRequest): Request {
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const url = `http://localhost${req.path}${req.query.size ? `?${req.query}` : ''}`;
  // The adapters hand over Node Buffers (ArrayBufferLike); fetch's types want a plain ArrayBuffer view.
  return new Request(url, { method, headers: req.headers, body: req.body.byteLength ? (req.body as Uint8Array<ArrayBuffer>) : undefined });
}

function mediaType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

/** `application/json` (any case, optional parameters); a charset, if given, must be UTF-8. */
function isJson(contentType: string): boolean {
  const [type, ...params] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  const charset = params.find((p) => p.startsWith('charset='));
  return charset === undefined || /^charset="?utf-?8"?$/.test(charset);
}

function headerList(headers: Headers): Headerlist {
  const list: Headerlist = [];
  headers.forEach((value, key) => {
    if (!DROPPED_RESPONSE_HEADERS.has(key) && key !== 'set-cookie') list.push([key, value]);
  });
  for (const cookie of headers.getSetCookie()) list.push(['set-cookie', cookie]);
  return list;
}

function parseObject(body: Uint8Array): Record<string, unknown> | null {
  try {
    const value = JSON.parse(new TextDecoder().decode(body)) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The route's answer, or the refusal of a gate that closed while the route was still serving. */
export async function servedUnlessRefused<T>(gates: readonly EdgeGate[], serve: () => Promise<T>): Promise<T> {
  const watches = gates.flatMap((gate) => (gate.whileServed ? [gate.whileServed()] : []));
  if (watches.length === 0) return serve();
  try {
    // A route left behind still settles on its own; race() has a handler on it, so its failure is no unhandled rejection.
    return await Promise.race([serve(), ...watches.map((w) => w.refused)]);
  } finally {
    for (const w of watches) w.stop();
  }
}

/** A request target, origin form or absolute form (`GET http://host/path`), with dot segments resolved as the router's URL parser does; or null. */
function parseTarget(raw: string): URL | null {
  try {
    return raw.startsWith('/') ? new URL(`http://localhost${raw}`) : new URL(raw);
  } catch {
    return null;
  }
}
