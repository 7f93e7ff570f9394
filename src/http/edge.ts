import { randomUUID } from 'node:crypto';
import type { HttpSettings } from '../config/config.js';
import type { Logger } from '../logger.js';
import { findJsonProblem, jsonDepthExceeds, stringProblem } from '../../systems/text.js';
import { corsPolicy, type CorsPolicy, type Headerlist } from './cors.js';
import { firstRefusal, gatesFor, servedUnlessRefused, type EdgeGate } from './edgeGates.js';
import {
  BadRequestHeadError,
  MethodNotAllowedError,
  OriginNotAllowedError,
  PayloadTooLargeError,
  SERVED_METHODS,
  UnsupportedMediaTypeError,
} from './edgeErrors.js';
import {
  CLIENT_ADDRESS_HEADER,
  INTERNAL_MESSAGE,
  RECEIVED_METHOD_HEADER,
  REQUEST_ID_HEADER,
  ValidationError,
  errorReply,
  errorResponse,
  type ErrorReply,
} from './router.js';

/**
 * The HTTP edge: every request on either transport, to our routes or to Colyseus's matchmaking, passes
 * here before any handler sees it. The transport adapters (uwsHttp.ts, nodeHttp.ts) only move bytes:
 * they ask {@link HttpEdge.beforeBody} whether to read the body at all, stop reading at
 * {@link HttpEdge.maxBodyBytes}, and write the {@link EdgeReply} they get back.
 */

/** One request as the adapters saw its head. */
export interface EdgeRequest {
  /** Upper-case method. */
  method: string;
  /** Path and query as received, e.g. `/api/stations/99.9?device_model=x`. */
  url: string;
  headers: Headers;
  requestId: string;
  /** The peer's address (the socket's; a proxy's own address when one is in front). */
  remoteAddress: string;
}

/** What the adapter writes back. */
export interface EdgeReply {
  status: number;
  /** Lower-case names; never content-length, connection or transfer-encoding (the adapter owns those). */
  headers: Headerlist;
  body: Uint8Array;
  /** HEAD: send the headers and the body's length, not the body. */
  omitBody: boolean;
  /**
   * How the connection ends: `keep` (keep-alive); `close` (the handler asked for it, e.g. during
   * shutdown; the body was read); `drain` (the body was refused unread: close without resetting the
   * connection, so the client still reads this reply).
   */
  connection: 'keep' | 'close' | 'drain';
}

/**
 * The one exception to "bodies are JSON, at most HTTP_MAX_BODY_BYTES": a route that takes raw bytes of
 * some content types (the artist image upload). Its body skips the JSON checks when the type is one of
 * `contentTypes`; any other type is a 415 naming them. The larger `maxBytes` applies only when
 * `authorized` accepts the request head, so an anonymous client still meets the default limit.
 */
export interface RawBodyRoute {
  method: string;
  /** Matched against the path (no query). */
  path: RegExp;
  /** Lower-case media types, e.g. image/png. */
  contentTypes: readonly string[];
  maxBytes: number;
  /** The setting that sets `maxBytes` (named in the 413). */
  setting: string;
  /** What the 413 advises (default: upload a smaller image). */
  advice?: string;
  authorized(headers: Headers): boolean;
}

/** The router's one entry point (Colyseus's router, extended with the matchmaking routes). */
export interface EdgeRouter {
  handler(request: Request): Promise<Response>;
}

const DROPPED_RESPONSE_HEADERS = new Set(['content-length', 'connection', 'transfer-encoding', 'keep-alive']);
/** Colyseus's code for an unexpected exception in a room's onCreate/onAuth: its message is internal detail. */
const MATCHMAKE_UNHANDLED = 523;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

const invalid = (field: string, message: string, summary: string) => new ValidationError(summary, [{ field, message }]);

/** Answering before the body is read: a body still to come must be drained, not reset. */
const unreadBody = (req: EdgeRequest): EdgeReply['connection'] => (announcesBody(req.headers) ? 'drain' : 'keep');

/** True when the request announces a body (a Content-Length above 0, or chunked transfer). */
export function announcesBody(headers: Headers): boolean {
  return Number(headers.get('content-length') ?? 0) > 0 || headers.has('transfer-encoding');
}

export class HttpEdge {
  private readonly cors: CorsPolicy;

  constructor(
    private readonly settings: HttpSettings,
    private readonly log: Logger,
    private readonly rawBodyRoutes: readonly RawBodyRoute[] = [],
    private readonly gates: readonly EdgeGate[] = [],
  ) {
    this.cors = corsPolicy(settings.corsOrigins);
  }

  get maxBodyBytes(): number {
    return this.settings.maxBodyBytes;
  }

  /** The raw-body route a request is for (method and path), if any. */
  private rawRoute(req: EdgeRequest): RawBodyRoute | undefined {
    if (this.rawBodyRoutes.length === 0) return undefined;
    const path = req.url.split('?')[0];
    return this.rawBodyRoutes.find((r) => r.method === req.method && r.path.test(path));
  }

  /** The raw-body route whose larger limit this request gets: its method, path and content type, and authorized. */
  private uploadOf(req: EdgeRequest): RawBodyRoute | undefined {
    const route = this.rawRoute(req);
    return route && route.contentTypes.includes(mediaType(req.headers.get('content-type') ?? '')) && route.authorized(req.headers) ? route : undefined;
  }

  /** Largest body this request may send: HTTP_MAX_BODY_BYTES, or an authorized upload's own bound. */
  bodyLimit(req: EdgeRequest): number {
    return this.uploadOf(req)?.maxBytes ?? this.settings.maxBodyBytes;
  }

  /** Names a request the adapter has just received; every reply and 5xx log line carries this id. */
  open(method: string, url: string, headers: Headers, remoteAddress = ''): EdgeRequest {
    return { method: method.toUpperCase(), url, headers, requestId: randomUUID(), remoteAddress };
  }

  /**
   * A reply decided by the head alone, before any body byte is read: OPTIONS (CORS preflight), or a
   * Content-Length above the limit (413, connection closed so the body is never read). Null: read the body.
   */
  beforeBody(req: EdgeRequest): EdgeReply | null {
    if (req.method === 'OPTIONS') return this.options(req);
    // fetch's Request refuses TRACE/CONNECT outright; answer before anything tries to build one.
    if (!SERVED_METHODS.includes(req.method)) {
      const reply = this.plain(req, errorReply(new MethodNotAllowedError(req.method), this.log, req.requestId));
      return { ...reply, headers: [...reply.headers, ['allow', SERVED_METHODS.join(', ')]], connection: unreadBody(req) };
    }
    const declared = Number(req.headers.get('content-length') ?? 0);
    if (declared > this.bodyLimit(req)) return this.tooLarge(req);
    return null;
  }

  /** The body passed the limit while streaming (chunked, or no usable Content-Length): 413, then close. */
  tooLarge(req: EdgeRequest): EdgeReply {
    const upload = this.uploadOf(req);
    const error = upload
      ? new PayloadTooLargeError(upload.maxBytes, upload.setting, upload.advice ?? 'upload a smaller image')
      : new PayloadTooLargeError(this.settings.maxBodyBytes);
    return { ...this.plain(req, errorReply(error, this.log, req.requestId)), connection: 'drain' };
  }

  /** The whole body is in: check it, route the request, and shape the reply. Never throws. */
  async complete(req: EdgeRequest, body: Uint8Array, router: EdgeRouter): Promise<EdgeReply> {
    try {
      const gates = gatesFor(this.gates, req);
      const refused = await firstRefusal(gates, req, this.clientAddress(req), this.log);
      if (refused) return this.plain(req, refused);
      let response: Response;
      try {
        response = await servedUnlessRefused(gates, () => router.handler(this.toRequest(req, body)));
      } catch (err) {
        response = errorResponse(err, this.log, req.requestId);
      }
      return await this.finish(req, response);
    } catch (err) {
      // A response body that failed while being read: still one coded answer, never a hang.
      return this.plain(req, errorReply(err, this.log, req.requestId));
    }
  }

  /** The adapter could not read the request head: 400, then close (the body, if any, is unread). */
  unreadableHead(err: unknown): EdgeReply {
    const req = this.open('GET', '/', new Headers());
    return { ...this.plain(req, errorReply(new BadRequestHeadError((err as Error)?.message ?? String(err)), this.log, req.requestId)), connection: 'drain' };
  }

  private options(req: EdgeRequest): EdgeReply {
    const origin = req.headers.get('origin');
    const connection = unreadBody(req);
    if (origin === null || !req.headers.has('access-control-request-method')) {
      return {
        status: 204,
        headers: [
          ['allow', SERVED_METHODS.join(', ')],
          [REQUEST_ID_HEADER, req.requestId],
        ],
        body: new Uint8Array(),
        omitBody: false,
        connection,
      };
    }
    const granted = this.cors.preflightHeaders(origin);
    if (!granted) return { ...this.plain(req, errorReply(new OriginNotAllowedError(origin), this.log, req.requestId)), connection };
    return { status: 204, headers: [...granted, [REQUEST_ID_HEADER, req.requestId]], body: new Uint8Array(), omitBody: false, connection };
  }

  /** Checks what only the edge can check generically, then builds the Web Request the router takes. */
  private toRequest(req: EdgeRequest, body: Uint8Array): Request {
    const url = this.checkUrl(req.url);
    const headers = new Headers(req.headers);
    headers.set(REQUEST_ID_HEADER, req.requestId);
    // Set here and only here: a client cannot choose the address its limits are counted against.
    headers.set(CLIENT_ADDRESS_HEADER, this.clientAddress(req));
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    headers.set(RECEIVED_METHOD_HEADER, req.method);
    // GET and HEAD bodies mean nothing to any route: read (within the limit) and dropped.
    const hasBody = body.byteLength > 0 && method !== 'GET';
    const raw = this.rawRoute(req);
    const contentType = req.headers.get('content-type') ?? '';
    if (hasBody && raw && !raw.contentTypes.includes(mediaType(contentType))) throw new UnsupportedMediaTypeError(contentType, raw.contentTypes);
    if (hasBody && !raw) this.checkJsonBody(contentType, body);
    // The adapters hand over Node Buffers (ArrayBufferLike); fetch's types want a plain ArrayBuffer view.
    return new Request(url, { method, headers, body: hasBody ? (body as Uint8Array<ArrayBuffer>) : undefined });
  }

  /** Whom the per-address limits count: the socket's peer, or behind a trusted proxy the address it appended. */
  private clientAddress(req: EdgeRequest): string {
    if (this.settings.trustForwardedFor) {
      const forwarded = req.headers.get('x-forwarded-for')?.split(',').pop()?.trim();
      if (forwarded) return forwarded;
    }
    return req.remoteAddress || 'unknown';
  }

  /** The absolute URL for the router; NUL or a lone surrogate in the path or query is a 400. */
  private checkUrl(raw: string): string {
    const path = raw.startsWith('/') ? raw : safeUrl(raw);
    if (path === null) throw invalid('(path)', 'is not a valid request target', 'the request URL is malformed');
    const url = new URL(`http://localhost${path}`);
    const decodedPath = safeDecode(url.pathname);
    const pathProblem = decodedPath === null ? null : stringProblem(decodedPath);
    if (pathProblem) throw invalid('(path)', pathProblem, 'the request path holds a character that cannot be stored');
    for (const [key, value] of url.searchParams) {
      const problem = stringProblem(key) ?? stringProblem(value);
      if (problem)
        throw invalid(`query.${key.replace(/[^\x20-\x7e]/g, '?').slice(0, 64)}`, problem, 'a query parameter holds a character that cannot be stored');
    }
    return url.toString();
  }

  /** JSON only; nesting bounded before parsing; no unstorable strings, prototype-shadowing keys or numbers beyond JSON's range. */
  private checkJsonBody(contentType: string, body: Uint8Array): void {
    if (!isJson(contentType)) throw new UnsupportedMediaTypeError(contentType);
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
  }

  /** Response → reply: request id and CORS on every reply; no internal detail in a 5xx; HEAD drops the body. */
  private async finish(req: EdgeRequest, response: Response): Promise<EdgeReply> {
    let body: Uint8Array = new Uint8Array(await response.arrayBuffer());
    let headers = headerList(response.headers);
    if (response.status >= 500 || (response.status === 404 && body.byteLength === 0)) {
      const cleaned = this.cleanError(req, response.status, headers, body);
      body = cleaned.body;
      headers = cleaned.headers;
    } else if (response.status >= 400) {
      body = withRequestId(body, req.requestId);
    }
    // A handler may ask to end the connection (503 SHUTTING_DOWN during a drain closes keep-alive sockets).
    const connection = /\bclose\b/i.test(response.headers.get('connection') ?? '') ? 'close' : 'keep';
    return {
      status: response.status,
      headers: [...headers, ...this.cors.responseHeaders(req.headers.get('origin')), [REQUEST_ID_HEADER, req.requestId]],
      body,
      omitBody: req.method === 'HEAD',
      connection,
    };
  }

  /** Keeps our own coded error bodies (adding the request id); replaces anything else with a coded one. */
  private cleanError(req: EdgeRequest, status: number, headers: Headerlist, body: Uint8Array): { headers: Headerlist; body: Uint8Array } {
    const parsed = parseObject(body);
    const asJson = (value: unknown) => ({
      headers: [...headers.filter(([k]) => k !== 'content-type'), ['content-type', 'application/json'] as [string, string]],
      body: encoder.encode(JSON.stringify(value)),
    });
    if (status === 404 && body.byteLength === 0)
      return asJson({ error: 'NOT_FOUND', message: `no route for ${req.method} ${req.url.split('?')[0].slice(0, 200)}` });
    if (parsed && typeof parsed.error === 'string' && typeof parsed.code !== 'number') return asJson({ ...parsed, requestId: req.requestId });
    if (parsed && typeof parsed.code === 'number' && typeof parsed.error === 'string') {
      // Colyseus matchmaking ({code, error}, read by the SDK): its own codes say what to do; 523 is a raw exception.
      if (parsed.code !== MATCHMAKE_UNHANDLED) return asJson({ ...parsed, requestId: req.requestId });
      this.log.error({ requestId: req.requestId, status, cause: parsed.error, url: req.url.slice(0, 200) }, 'matchmaking failed with an unexpected error');
      return asJson({ code: parsed.code, error: INTERNAL_MESSAGE, requestId: req.requestId });
    }
    this.log.error(
      { requestId: req.requestId, status, url: req.url.slice(0, 200), body: new TextDecoder().decode(body.subarray(0, 300)) },
      'HTTP handler answered 5xx without a coded body',
    );
    return asJson({ error: 'INTERNAL', message: INTERNAL_MESSAGE, requestId: req.requestId });
  }

  /** An error decided at the edge, written without going through a Response. */
  private plain(req: EdgeRequest, reply: ErrorReply): EdgeReply {
    const headers: Headerlist = [['content-type', 'application/json'], ...Object.entries(reply.headers)];
    return {
      status: reply.status,
      headers: [...headers, ...this.cors.responseHeaders(req.headers.get('origin')), [REQUEST_ID_HEADER, req.requestId]],
      body: encoder.encode(JSON.stringify(reply.body)),
      omitBody: req.method === 'HEAD',
      connection: 'keep',
    };
  }
}

/** The media type of a Content-Type value, lower-cased, without parameters. */
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

/** A matchmaking refusal ({code, error}, e.g. 401 from a room's onAuth) with the request id added; any other body as it is. */
function withRequestId(body: Uint8Array, requestId: string): Uint8Array {
  const parsed = parseObject(body);
  if (!parsed || typeof parsed.code !== 'number' || typeof parsed.error !== 'string') return body;
  return encoder.encode(JSON.stringify({ ...parsed, requestId }));
}

function parseObject(body: Uint8Array): Record<string, unknown> | null {
  try {
    const value = JSON.parse(new TextDecoder().decode(body)) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** Path and query of an absolute-form request target (`GET http://host/path`), or null. */
function safeUrl(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.pathname + url.search;
  } catch {
    return null;
  }
}
