import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import pino from 'pino';
import { createTransport } from '../../../src/transport.js';
import type { Config } from '../../../src/config/config.js';
import type { HttpEdge } from '../../../src/http/edge.js';

const config = (transport: 'uws' | 'ws') =>
  ({
    transport,
    wsMaxMessageBytes: 65536,
    wsMaxBackpressureBytes: 65536,
    wsCloseOnBackpressure: true,
    http: { headersTimeoutMs: 10_000, requestTimeoutMs: 10_000 },
  }) as unknown as Config;

/**
 * uWS shares a port between processes by default (SO_REUSEPORT): a second server started on a taken port booted and
 * silently took part of the first one's connections (a test saw another server's rate limits). Both transports now
 * refuse a taken port at listen, the way Node's own server does, so the second boot fails with EADDRINUSE.
 */
describe('transport: a taken port fails the listen', function () {
  this.timeout(20_000);
  const ports = { uws: 24110, ws: 24111 } as const;

  for (const kind of ['uws', 'ws'] as const) {
    it(`${kind}: the second listen on the port gets EADDRINUSE, the first keeps listening`, async () => {
      const listen = async () => {
        const chosen = await createTransport(config(kind), pino({ level: 'silent' }), {} as HttpEdge);
        const failed = await new Promise<Error | undefined>((resolve) => {
          if (kind === 'ws') (chosen.transport as unknown as { server: import('node:http').Server }).server.once('error', resolve);
          chosen.transport.listen(ports[kind], '127.0.0.1', undefined, (err?: Error) => resolve(err));
        });
        return { chosen, failed };
      };
      const first = await listen();
      assert.equal(first.failed, undefined);
      const second = await listen();
      try {
        assert.match(String(second.failed?.message), /EADDRINUSE/);
        const socket = net.connect(ports[kind], '127.0.0.1');
        await once(socket, 'connect'); // the first server still listens
        socket.destroy();
      } finally {
        second.chosen.stopListening();
        first.chosen.stopListening();
      }
    });
  }
});
