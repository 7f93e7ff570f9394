import assert from 'node:assert/strict';
import { installWebSocketGlobal } from '../../src/compat.js';

/** Regression: on Node 20 a session reconnect failed with "WebSocket is not defined" inside @colyseus/core. */
describe('issue: reconnection on Node 20 needs WebSocket.OPEN', () => {
  it('provides a global WebSocket with the standard readyState constants', () => {
    installWebSocketGlobal();
    const ws = (globalThis as unknown as { WebSocket: { OPEN: number; CLOSED: number } }).WebSocket;
    assert.equal(ws.OPEN, 1);
    assert.equal(ws.CLOSED, 3);
  });
});
