import assert from 'node:assert/strict';
import pg from 'pg';
import { startPrivatePostgres, type PrivatePostgres } from '../support/postgres.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { TRANSPORTS } from '../support/httpServers.js';

/**
 * Regression: `/api/stations/*` answered 500 while Postgres was down,
 * and 5xx bodies said only "internal error". A database outage is now 503 DATABASE_UNAVAILABLE with
 * Retry-After, and every 5xx carries a code and the request id that the server logged with the cause.
 * The outage is real: a private PostgreSQL cluster of this test's own is stopped (never the shared one).
 */
describe('issue: a database outage answers 503 with a request id, never a 500 or the driver error', function () {
  this.timeout(120_000);
  let cluster: PrivatePostgres;

  before(async () => {
    cluster = await startPrivatePostgres();
  });
  after(async () => cluster?.destroy());

  for (const transport of TRANSPORTS) {
    describe(`over ${transport}`, () => {
      let server: ServerProcess;
      // Frequencies nobody asked for yet: the station cache cannot answer them, Postgres must.
      const uncached = transport === 'uws' ? ['88.9', '89.3', '89.7'] : ['90.1', '90.5', '90.9'];

      before(async () => {
        await cluster.start();
        const admin = new pg.Client({ connectionString: cluster.url });
        await admin.connect();
        await admin.query(`CREATE DATABASE outage_${transport}`);
        await admin.end();
        server = await startServerProcess({
          DATABASE_URL: cluster.url.replace(/\/postgres$/, `/outage_${transport}`),
          TRANSPORT: transport,
          REDIS_URL: undefined,
        });
        assert.equal((await fetch(`${server.baseUrl}/api/stations/88.5`)).status, 200);
      });
      after(async () => {
        await cluster.start(); // a server stops cleanly only with its database back
        const code = await server?.stop('SIGTERM');
        assert.equal(code, 0, server?.output().slice(-3000));
      });

      it('answers 503 DATABASE_UNAVAILABLE with Retry-After and the request id in body and header', async () => {
        await cluster.stop();
        for (const frequency of uncached.slice(0, 2)) {
          const res = await fetch(`${server.baseUrl}/api/stations/${frequency}`, { signal: AbortSignal.timeout(10_000) });
          const text = await res.text();
          assert.equal(res.status, 503, text);
          const body = JSON.parse(text);
          assert.equal(body.error, 'DATABASE_UNAVAILABLE');
          assert.match(body.message, /retry/i);
          assert.equal(res.headers.get('retry-after'), '5');
          assert.match(body.requestId, /^[0-9a-f-]{36}$/);
          assert.equal(res.headers.get('x-request-id'), body.requestId);
          assert.doesNotMatch(text, /ECONNREFUSED|127\.0\.0\.1|pg-pool|stack/);
        }
      });

      it('keeps /health a coded 503 that still reports the probes', async () => {
        const res = await fetch(`${server.baseUrl}/health`, { signal: AbortSignal.timeout(10_000) });
        assert.equal(res.status, 503);
        const body = await res.json();
        assert.deepEqual([body.error, body.database, body.process.transport], ['DATABASE_UNAVAILABLE', 'down', transport]);
        assert.equal(res.headers.get('x-request-id'), body.requestId);
      });

      it('liveness stays 200 while the database is down; readiness is a coded 503', async () => {
        const live = await fetch(`${server.baseUrl}/health/live`, { signal: AbortSignal.timeout(10_000) });
        assert.equal(live.status, 200);
        assert.equal((await live.json()).status, 'live');
        const ready = await fetch(`${server.baseUrl}/health/ready`, { signal: AbortSignal.timeout(10_000) });
        assert.equal(ready.status, 503);
        const body = await ready.json();
        assert.deepEqual([body.error, body.database], ['DATABASE_UNAVAILABLE', 'down']);
      });

      it('logs the driver error under the same request id', async () => {
        const res = await fetch(`${server.baseUrl}/api/stations/${uncached[2]}`, { signal: AbortSignal.timeout(10_000) });
        const { requestId } = await res.json();
        await new Promise((r) => setTimeout(r, 200));
        const line = server
          .output()
          .split('\n')
          .find((l) => l.includes(requestId));
        assert.ok(line, `no log line carries ${requestId}`);
        assert.match(line, /ECONNREFUSED/);
      });

      it('serves again once the database is back', async () => {
        await cluster.start();
        let status = 0;
        for (let i = 0; i < 40 && status !== 200; i++) {
          status = (await fetch(`${server.baseUrl}/api/stations/${uncached[0]}`)).status;
          if (status !== 200) await new Promise((r) => setTimeout(r, 250));
        }
        assert.equal(status, 200);
        assert.equal((await fetch(`${server.baseUrl}/health/ready`)).status, 200);
      });
    });
  }
});
