import http from 'node:http';
import type { Transport } from '@colyseus/core';
import type { Config, TransportKind } from './config.js';
import type { Logger } from './logger.js';

export interface ChosenTransport {
  transport: Transport;
  kind: TransportKind;
}

/** uWebSockets.js by default; the pure-JS `ws` transport when asked, or (with a warning) when uWS cannot load. */
export async function createTransport(config: Config, log: Logger): Promise<ChosenTransport> {
  if (config.transport === 'uws') {
    try {
      const { uWebSocketsTransport } = await import('@colyseus/uwebsockets-transport');
      return { transport: new uWebSocketsTransport({ maxPayloadLength: 64 * 1024, idleTimeout: 60 }), kind: 'uws' };
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'uWebSockets.js native binary did not load; falling back to the ws transport (set TRANSPORT=ws to silence this)');
    }
  }
  const { WebSocketTransport } = await import('@colyseus/ws-transport');
  const server = http.createServer();
  // better-call's Node adapter ends a response only if its single write() returned true: bodies over
  // ~16 KiB (web bundles, /metrics) hung forever. Report every write as flushed; Node still buffers it.
  server.prependListener('request', (_req, res) => {
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    res.write = ((...args: unknown[]) => {
      write(...args);
      return true;
    }) as typeof res.write;
  });
  return { transport: new WebSocketTransport({ server, maxPayload: 64 * 1024, pingInterval: 10_000 }), kind: 'ws' };
}
