import { STATUS_CODES } from 'node:http';
import type { EdgeReply, HttpRequest, EdgeRouter, HttpEdge } from './edge.js';

/** The parts of uWebSockets.js' HttpResponse we use (the vendored package ships no types). */
export interface UwsResponse {
  onAborted(handler: () => void): unknown;
  onData(handler: (chunk: ArrayBuffer, isLast: boolean) => void): unknown;
  cork(callback: () => void): unknown;
  /** The peer's address as text (IPv4, or IPv6 in full form). */
  getRemoteAddressAsText(): ArrayBuffer;
  writeStatus(status: string): unknown;
  writeHeader(key: string, value: string): unknown;
  end(body?: Uint8Array, closeConnection?: boolean): unknown;
  endWithoutBody(reportedContentLength?: number, closeConnection?: boolean): unknown;
}

/** The parts of uWebSockets.js' HttpRequest we use; valid only synchronously inside the handler. */
export interface UwsRequest {
  getMethod(): string;
  getUrl(): string;
  getQuery(): string;
  forEach(callback: (key: string, value: string) => void): void;
}

export interface UwsApp {
  any(pattern: string, handler: (res: UwsResponse, req: UwsRequest) => void): unknown;
}

/**
 * Serves every request on a uWS app through the edge, replacing the transport's handler, which buffered bodies without a
 * limit. uWS rules: copy the request synchronously, onAborted before yielding, answer once, cork writes outside the handler's tick.
 */
export function serveUws(app: UwsApp, edge: HttpEdge, router: EdgeRouter): void {
  app.any('/*', (res, req) => {
    const exchange = { res, aborted: false, answered: false };
    res.onAborted(() => {
      exchange.aborted = true;
    });
    const head = () => readHead(edge, req, Buffer.from(res.getRemoteAddressAsText()).toString());
    const body = edge.receive(head, router, (reply) => write(exchange, reply));
    if (!body?.announced) return body?.end();
    res.onData((chunk, isLast) => {
      if (exchange.answered) return;
      // uWS reuses the chunk's memory after this callback returns: copy it.
      body.push(Buffer.from(new Uint8Array(chunk)));
      if (isLast) body.end();
    });
  });
}

function readHead(edge: HttpEdge, req: UwsRequest, remoteAddress: string): HttpRequest {
  const headers = new Headers();
  req.forEach((key, value) => headers.append(key, value));
  const query = req.getQuery();
  return edge.open(req.getMethod(), query ? `${req.getUrl()}?${query}` : req.getUrl(), headers, remoteAddress);
}

function write(exchange: { res: UwsResponse; aborted: boolean; answered: boolean }, reply: EdgeReply): void {
  if (exchange.aborted || exchange.answered) return;
  exchange.answered = true;
  const { res } = exchange;
  res.cork(() => {
    res.writeStatus(`${reply.status} ${STATUS_CODES[reply.status] ?? ''}`.trimEnd());
    for (const [key, value] of reply.headers) res.writeHeader(key, value);
    if (reply.omitBody) {
      // endWithoutBody(length) leaves uWS waiting for the announced body, and any argument becomes a Content-Length; called
      // bare it writes none, so we write the GET's.
      if (reply.connection !== 'keep') res.writeHeader('connection', 'close');
      res.writeHeader('content-length', String(reply.body.byteLength));
      res.endWithoutBody();
      return;
    }
    // A refused, unread body: closeConnection would reset the socket before the client read the 413, so uWS drops the rest
    // in C++ while the header tells the client to hang up. A handler's 'close' closes at once.
    if (reply.connection === 'drain') res.writeHeader('connection', 'close');
    res.end(reply.body, reply.connection === 'close');
  });
}
