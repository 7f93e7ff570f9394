import { WebSocket as WsWebSocket } from 'ws';

/**
 * @colyseus/core 0.18 reads `WebSocket.OPEN` from the global scope when a client reconnects; Node 20
 * has no global WebSocket (Node 22 does), so every reconnection failed with "WebSocket is not defined".
 * Only the readyState constants are read, and `ws` defines the same values.
 */
export function installWebSocketGlobal(): void {
  const scope = globalThis as { WebSocket?: unknown };
  if (typeof scope.WebSocket === 'undefined') scope.WebSocket = WsWebSocket;
}
