import assert from 'node:assert/strict';
import { parseArgs } from '../../../loadtest/args.js';
import { main } from '../../../loadtest/cli.js';
import { formatTable } from '../../../loadtest/report.js';
import type { RunResult } from '../../../loadtest/runner.js';
import { adminDatabaseUrl } from '../../../bench/support/postgres.js';
import { redisUrl } from '../../support/postgres.js';

/**
 * `--spawn uws --processes 2`: two real server processes on one database and one Redis; bots spread over
 * both, light bots (raw WebSocket) play beside measured ones, the report covers every process and Redis.
 */
describe('load-test harness against two processes (light and measured bots, ~20 s)', function () {
  this.timeout(120_000);
  let result: RunResult;

  before(async () => {
    const redis = redisUrl();
    const o = parseArgs(
      [
        '--spawn',
        'uws',
        '--processes',
        '2',
        '--sessions',
        '12',
        '--measure-fraction',
        '0.5',
        '--duration',
        '4',
        '--ramp',
        '2',
        '--grace',
        '2',
        '--workers',
        '2',
        '--drop-fraction',
        '0',
        '--seed',
        '5',
        '--quiet',
        '--database-url',
        await adminDatabaseUrl(),
        '--server-env',
        `REDIS_URL=${redis}`,
        '--out',
        'loadtest-results/cluster-smoke.json',
      ],
      {},
    );
    [result] = await main(o);
  });

  it('connects every planned session across both processes', () => {
    assert.equal(result.counters.sessions.planned, 12);
    assert.equal(result.counters.sessions.connected, 12, formatTable([result]));
    assert.equal(result.counters.sessions.failed, 0, JSON.stringify(result.counters.joinFailures));
    assert.equal(result.bots.measured + result.bots.light, 12);
    assert.ok(result.bots.light > 0 && result.bots.measured > 0, JSON.stringify(result.bots));
  });

  it('reports each process and their sum; sessions landed on both', () => {
    assert.equal(result.servers.length, 2);
    for (const p of result.servers) assert.equal(p.available, true, p.reason);
    const clients = result.servers.map((p) => p.sessionClients ?? 0);
    assert.ok(
      clients.every((c) => c > 0),
      `sessions per process: ${clients}`,
    );
    assert.equal(result.server.sessionClients, clients[0] + clients[1]);
    assert.ok((result.server.cpuPercentAvg ?? 0) >= (result.servers[0].cpuPercentAvg ?? 0));
  });

  it('light bots played (frames in, inputs out) and Redis was read at both ends of the window', () => {
    assert.ok(result.traffic.session.perBot.framesInPerSec > 0);
    assert.ok(result.counters.actions.swipes > 0);
    assert.equal(result.redis.available, true, result.redis.reason);
    assert.ok((result.redis.commandsTotal ?? 0) > 0);
  });
});
