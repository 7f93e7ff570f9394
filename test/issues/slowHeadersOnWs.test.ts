import assert from 'node:assert/strict';
import net from 'node:net';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';

/** Opens a connection that sends a header line every `everyMs` and never ends its headers; resolves with how long the server kept it. */
function slowHeaders(port: number, everyMs: number, giveUpMs: number): Promise<number> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n'));
    const drip = setInterval(() => socket.writable && socket.write(`X-Slow-${Date.now()}: 1\r\n`), everyMs);
    const done = () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      socket.destroy();
      resolve(Date.now() - started);
    };
    const giveUp = setTimeout(done, giveUpMs);
    socket.on('close', done);
    socket.on('error', () => undefined);
  });
}

/**
 * Regression: on the ws transport 1,500 slowloris connections (a header line every 5 s) were all still
 * held at 70 s; uWS closes them at about 10 s. The ws transport's HTTP server now bounds the headers
 * (HTTP_HEADERS_TIMEOUT_MS) and the whole request (HTTP_REQUEST_TIMEOUT_MS).
 */
describe('issue: slow-header connections were held forever on the ws transport', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let server: ServerProcess;

  before(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({ DATABASE_URL: db.url, REDIS_URL: undefined, LOG_LEVEL: 'warn', TRANSPORT: 'ws', HTTP_HEADERS_TIMEOUT_MS: '2000' });
  });
  after(async () => {
    await server?.stop('SIGTERM');
    await db?.drop();
  });

  it('closes 20 connections dripping a header line every 500 ms within the 2 s bound (plus the 1 s check)', async () => {
    const held = await Promise.all(Array.from({ length: 20 }, () => slowHeaders(server.port, 500, 15_000)));
    assert.ok(Math.max(...held) < 5_000, `held for ${held.join(', ')} ms`);
    assert.ok(Math.min(...held) >= 1_500, `closed before the bound: ${held.join(', ')} ms`);
    assert.equal((await fetch(`${server.baseUrl}/health/live`)).status, 200, 'the server serves others meanwhile');
  });
});
