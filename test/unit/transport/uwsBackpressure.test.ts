import assert from 'node:assert/strict';
import net from 'node:net';
import { createRequire } from 'node:module';
import { uwsSocketOptions } from '../../../src/transport.js';

/**
 * What uWS does to a client that stops reading, with our socket settings. Without closeOnBackpressureLimit it
 * silently drops every frame past maxBackpressure while the socket stays open: the client misses state patches
 * and its decoded state goes wrong without anyone knowing. With it (WS_CLOSE_ON_BACKPRESSURE, the default) the
 * socket closes; the session is held for reconnection and the client rejoins with a full state.
 */

/** The parts of uWebSockets.js used here (the vendored package ships no types). */
interface UwsSocket {
  send(frame: Uint8Array, isBinary: boolean): number;
  getBufferedAmount(): number;
}
interface UwsApp {
  ws(pattern: string, behavior: Record<string, unknown>): UwsApp;
  listen(host: string, port: number, cb: (token: unknown) => void): void;
}
const uWS = createRequire(import.meta.url)('uWebSockets.js') as {
  App(): UwsApp;
  us_socket_local_port(token: unknown): number;
  us_listen_socket_close(token: unknown): void;
};

describe('uWS socket settings: a client that stops reading', function () {
  this.timeout(20_000);

  for (const wsCloseOnBackpressure of [true, false]) {
    it(
      wsCloseOnBackpressure
        ? 'is closed at maxBackpressure (WS_CLOSE_ON_BACKPRESSURE=true, the default)'
        : 'is left open with frames silently dropped when WS_CLOSE_ON_BACKPRESSURE=false',
      async () => {
        const app = uWS.App();
        let server: UwsSocket | undefined;
        let closedWith: number | undefined;
        app.ws('/*', {
          ...uwsSocketOptions({ wsMaxMessageBytes: 65536, wsMaxBackpressureBytes: 64 * 1024, wsCloseOnBackpressure }),
          open: (ws: UwsSocket) => void (server = ws),
          close: (_ws: UwsSocket, code: number) => void (closedWith = code),
        });
        const listen = await new Promise<unknown>((resolve, reject) =>
          app.listen('127.0.0.1', 0, (s) => (s ? resolve(s) : reject(new Error('listen failed')))),
        );
        const socket = net.connect(uWS.us_socket_local_port(listen), '127.0.0.1');
        try {
          socket.write(
            'GET /x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
          );
          await new Promise((r) => socket.once('data', r));
          socket.pause(); // the client no longer reads: the kernel buffers fill, then uWS's own
          await until(() => server !== undefined);
          const frame = new Uint8Array(8000); // a large patch, sent one at a time as a session room does
          let dropped = 0;
          for (let i = 0; i < 3000 && closedWith === undefined; i++) {
            if (server!.send(frame, true) === 2) dropped++;
            if (i % 50 === 0) await new Promise((r) => setImmediate(r));
          }
          await new Promise((r) => setTimeout(r, 100));
          if (wsCloseOnBackpressure) {
            assert.equal(closedWith, 1006, 'closed: the client rejoins and gets a full state');
          } else {
            assert.equal(closedWith, undefined, 'still open…');
            assert.ok(dropped > 0, '…and frames past maxBackpressure were dropped');
            assert.ok(server!.getBufferedAmount() <= 64 * 1024 + 8000, `queued ${server!.getBufferedAmount()} B`);
          }
        } finally {
          socket.destroy();
          uWS.us_listen_socket_close(listen);
        }
      },
    );
  }
});

async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}
