import assert from 'node:assert/strict';
import { parseArgs } from '../../../loadtest/args.js';
import { formatTable } from '../../../loadtest/report.js';
import { runLoad, type RunResult } from '../../../loadtest/runner.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerProcess, type ServerProcess } from '../../support/serverProcess.js';

const TOKEN = 'loadtest-smoke-token-0123456789';

describe('load-test harness smoke run (5 sessions, ~5 s)', function () {
  this.timeout(90_000);
  let db: TestDatabase;
  let server: ServerProcess;
  let result: RunResult;

  before(async () => {
    db = await createTestDatabase({ migrate: false });
    server = await startServerProcess({ DATABASE_URL: db.url, TRANSPORT: 'uws', REDIS_URL: undefined, ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn' });
    const options = parseArgs(
      [
        '--sessions',
        '5',
        '--spectators',
        '2',
        '--duration',
        '5',
        '--ramp',
        '1',
        '--grace',
        '2',
        '--workers',
        '2',
        '--drop-fraction',
        '0',
        '--quiet',
        '--url',
        server.baseUrl.replace('http', 'ws'),
        '--admin-token',
        TOKEN,
      ],
      {},
    );
    result = await runLoad(options, 'smoke', () => undefined);
  });

  after(async () => {
    await server?.stop('SIGTERM');
    await db?.drop();
  });

  it('connects every session, none fails or drops, and the run ends by itself', () => {
    assert.equal(result.timedOut, false);
    assert.equal(result.counters.sessions.connected, 5, formatTable([result]));
    assert.equal(result.counters.sessions.failed, 0, JSON.stringify(result.counters.joinFailures));
    assert.equal(result.counters.sessions.dropped, 0);
  });

  it('reports input→effect latency percentiles and traffic per session', () => {
    const swipe = result.latencyMs.swipeToPatch;
    assert.ok(swipe.count > 0, 'no swipe → patch samples');
    for (const k of ['p50', 'p95', 'p99', 'max'] as const) assert.equal(typeof swipe[k], 'number', `swipeToPatch.${k}`);
    assert.ok(swipe.p50! > 0 && swipe.p99! < 1000, JSON.stringify(swipe));
    assert.ok(result.latencyMs.patchInterval.count > 0);
    assert.ok(result.traffic.session.perBot.bytesInPerSec > 0);
    assert.ok(result.traffic.session.perBot.framesOutPerSec > 0);
    assert.ok(result.counters.actions.swipes > 0);
  });

  it('reports the coliseum either as joined or as unavailable, never as a crash', () => {
    const c = result.counters.spectators;
    assert.equal(c.connected + c.unavailable + c.failed, 2);
    if (c.unavailable) assert.match(result.coliseum, /coliseum unavailable/);
    else assert.equal(c.connected, 2);
  });

  it('samples the server through GET /metrics', () => {
    assert.equal(result.server.available, true, result.server.reason);
    assert.ok((result.server.cpuPercentAvg ?? 0) > 0);
    assert.ok((result.server.rssMbMax ?? 0) > 0);
    assert.ok(formatTable([result]).includes('swipe→first patch'));
  });
});
