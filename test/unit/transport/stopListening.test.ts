import assert from 'node:assert/strict';
import net from 'node:net';
import pino from 'pino';
import { createTransport } from '../../../src/transport.js';
import type { Config } from '../../../src/config/config.js';
import type { HttpEdge } from '../../../src/http/edge.js';

const connect = (port: number): Promise<net.Socket> =>
  new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });

const closed = (socket: net.Socket, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (socket.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => (clearTimeout(timer), resolve(true)));
  });

/**
 * A draining process closes its listening socket at once: behind a balancer the next connection is refused here and
 * goes to another process, while the connections already open stay until their rooms move them.
 */
describe('transport: stopListening at the drain', function () {
  this.timeout(20_000);
  const ports = { uws: 22101, ws: 22102 } as const;

  for (const kind of ['uws', 'ws'] as const) {
    it(`${kind}: refuses new connections, keeps the open ones, and Colyseus's own shutdown after it is harmless`, async () => {
      const config = {
        transport: kind,
        wsMaxMessageBytes: 65536,
        wsMaxBackpressureBytes: 65536,
        wsCloseOnBackpressure: true,
        http: { headersTimeoutMs: 10_000, requestTimeoutMs: 10_000 },
      } as unknown as Config;
      const chosen = await createTransport(config, pino({ level: 'silent' }), {} as HttpEdge);
      assert.equal(chosen.kind, kind);
      await new Promise<void>((resolve) => chosen.transport.listen(ports[kind], '127.0.0.1', undefined, () => resolve()));
      const open = await connect(ports[kind]);
      // An HTTP request in progress holds the connection: not idle, so nothing may close it.
      open.write('GET /x HTTP/1.1\r\nHost: x\r\n');
      chosen.stopListening();
      await assert.rejects(connect(ports[kind]), /ECONNREFUSED/);
      assert.equal(await closed(open, 300), false, 'the open connection stays');
      chosen.stopListening();
      chosen.transport.shutdown();
      open.destroy();
    });
  }
});
