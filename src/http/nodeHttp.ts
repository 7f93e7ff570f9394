import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EdgeReply, EdgeRouter, HttpEdge } from './edge.js';

/**
 * Serves every request through the edge on the ws transport, replacing Colyseus's listener, whose body reader had no
 * limit and whose writer hung bodies over ~16 KiB.
 */
export function nodeHttpHandler(edge: HttpEdge, router: EdgeRouter): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const head = () => edge.open(req.method ?? 'GET', req.url ?? '/', headersOf(req), req.socket.remoteAddress ?? '');
    const body = edge.receive(head, router, (reply) => write(req, res, reply));
    if (!body) return;
    // Registered for 'checkContinue' too: a refused upload is never sent at all.
    if (/100-continue/i.test(req.headers.expect ?? '')) res.writeContinue();
    req.on('data', body.push);
    req.on('end', body.end);
    req.on('error', body.abort);
  };
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  return headers;
}

function write(req: IncomingMessage, res: ServerResponse, reply: EdgeReply): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = reply.status;
  for (const [key, value] of reply.headers) res.appendHeader(key, value);
  res.setHeader('content-length', reply.body.byteLength);
  // With 'close' Node ends the socket itself once the reply is out (the body was read: no reset).
  if (reply.connection !== 'keep') res.setHeader('connection', 'close');
  if (reply.connection === 'drain') lingerThenClose(req);
  res.end(reply.omitBody ? undefined : reply.body);
}

/** How long a connection refused mid-body may keep sending (discarded) before it is cut. */
const LINGER_MS = 2000;

/**
 * Destroying the socket with body bytes unread makes the kernel reset it before the client reads the 413. So:
 * half-close after the reply, discard what arrives, and cut after LINGER_MS or when the client hangs up.
 */
function lingerThenClose(req: IncomingMessage): void {
  const socket = req.socket;
  socket.destroySoon = () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
  req.removeAllListeners('data');
  req.resume();
}
