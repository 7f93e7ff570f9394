import http from 'node:http';
import type { Transport } from '@colyseus/core';
import type { Config, TransportKind } from './config/config.js';
import type { Logger } from './logger.js';
import type { EdgeRouter, HttpEdge } from './http/edge.js';
import { nodeHttpHandler } from './http/nodeHttp.js';
import { serveUws, type UwsApp } from './http/uwsHttp.js';

/** uWebSockets.js's ListenOptions value (a declared enum its runtime exports as a plain number). */
const LIBUS_LISTEN_EXCLUSIVE_PORT = 1;

export interface ChosenTransport {
  transport: Transport;
  kind: TransportKind;
  /** Call right after `server.listen()` resolves. uWS needs nothing here: its router binding is replaced up front. */
  serveHttp(router: EdgeRouter): void;
  /**
   * Closes the listening socket, keeping the connections open. At a drain's first moment: a balancer's next
   * connection is refused here and goes to another process, instead of waiting for Colyseus's shutdown, which
   * closes it only after every room is gone. Once only; Colyseus's own close later is then a no-op.
   */
  stopListening(): void;
}

/** Including what a slow client meets. */
export function uwsSocketOptions(config: Pick<Config, 'wsMaxMessageBytes' | 'wsMaxBackpressureBytes' | 'wsCloseOnBackpressure'>) {
  return {
    maxPayloadLength: config.wsMaxMessageBytes,
    idleTimeout: 60,
    maxBackpressure: config.wsMaxBackpressureBytes,
    closeOnBackpressureLimit: config.wsCloseOnBackpressure,
  };
}

/** uWebSockets.js, or `ws` when asked or when uWS cannot load; either way every HTTP request goes through `edge` first. */
export async function createTransport(config: Config, log: Logger, edge: HttpEdge): Promise<ChosenTransport> {
  if (config.transport === 'uws') {
    try {
      const { uWebSocketsTransport } = await import('@colyseus/uwebsockets-transport');
      const uWebSockets = (await import('uWebSockets.js')).default as unknown as { us_listen_socket_close(socket: unknown): void };
      const transport = new uWebSocketsTransport(uwsSocketOptions(config));
      // Ours serves Colyseus's router through the edge instead of the transport's handler (no body limit, HEAD with a body).
      transport.bindRouter = (router: EdgeRouter) => serveUws(transport.app as unknown as UwsApp, edge, router);
      const listening = transport as unknown as { _listeningSocket?: unknown };
      // uWS shares a port by default (SO_REUSEPORT): a second process started on a taken port would silently take half
      // its connections. Exclusive, as Node's own listen: the second one fails its boot instead.
      transport.listen = (port: number, host?: string, _backlog?: number, done?: (err?: Error) => void) => {
        const bound = (socket: unknown) => {
          listening._listeningSocket = socket || undefined;
          done?.(socket ? undefined : Object.assign(new Error(`listen EADDRINUSE: port ${port} is in use`), { code: 'EADDRINUSE' }));
        };
        // The addon takes (host, port, options, cb) too; its declarations list only (port, options, cb).
        const app = transport.app as unknown as { listen(...args: unknown[]): void };
        const wildcard = !host || host === '0.0.0.0' || host === '::'; // dual-stack, as before
        app.listen(...(wildcard ? [] : [host]), port, LIBUS_LISTEN_EXCLUSIVE_PORT, bound);
        return transport;
      };
      const stopListening = () => {
        // Colyseus's shutdown closes `_listeningSocket` if set: cleared, so the socket is never closed twice.
        const socket = listening._listeningSocket;
        listening._listeningSocket = undefined;
        if (socket) uWebSockets.us_listen_socket_close(socket);
      };
      return { transport, kind: 'uws', serveHttp: () => {}, stopListening };
    } catch (err) {
      log.warn(
        { err: (err as Error).message },
        'uWebSockets.js native binary did not load; falling back to the ws transport (set TRANSPORT=ws to silence this)',
      );
    }
  }
  const { WebSocketTransport } = await import('@colyseus/ws-transport');
  // Node checks these every connectionsCheckingInterval (30 s by default): once a second keeps a slow client close to the bound.
  const { headersTimeoutMs, requestTimeoutMs } = config.http;
  const server = http.createServer({ headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: 1000 });
  return {
    transport: new WebSocketTransport({ server, maxPayload: config.wsMaxMessageBytes, pingInterval: 10_000 }),
    kind: 'ws',
    serveHttp: (router) => {
      // Colyseus prepended its own listener at listen (no body limit, CORS for any origin); swapped in the same tick, nothing slips through.
      server.removeAllListeners('request');
      const handler = nodeHttpHandler(edge, router);
      server.on('request', handler);
      server.on('checkContinue', handler);
    },
    // Stops accepting; open connections (sockets upgraded to WebSocket among them) stay. Colyseus's later close is harmless.
    stopListening: () => void (server.listening && server.close()),
  };
}
