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

/** The optional @pm2/io module as far as it is used here (a CommonJS singleton; imported by name: it may be absent). */
type Pm2Io = { default: { destroy(): void } };
const PM2_IO = '@pm2/io';

/**
 * @colyseus/core reports room and CCU gauges to PM2 through @pm2/io when that is installed (dev installs:
 * @colyseus/testing brings it; the production image, `npm ci --omit=dev`, has none). Importing it starts an
 * agent that calls process._getActiveHandles() every 1 s and 3 s, and that call aborted a Node 20 process
 * in CI ("AsyncWrap::GetOwner Assertion failed: !obj.IsEmpty()"). This server does not run under
 * PM2 (its metrics are prom-client's), so the agent is stopped before Colyseus starts; its gauges go nowhere.
 */
export async function stopPm2Agent(): Promise<void> {
  const io = (await import(PM2_IO).catch(() => null)) as Pm2Io | null;
  io?.default.destroy();
}
