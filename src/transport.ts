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
  return { transport: new WebSocketTransport({ maxPayload: 64 * 1024, pingInterval: 10_000 }), kind: 'ws' };
}
