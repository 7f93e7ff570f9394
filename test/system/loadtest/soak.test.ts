import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { parseArgs } from '../../../loadtest/args.js';
import { soakMain } from '../../../loadtest/cli.js';
import type { SoakResult } from '../../../loadtest/soak.js';
import { formatSamples, formatVerdict } from '../../../loadtest/soakVerdict.js';
import { adminDatabaseUrl } from '../../../bench/support/postgres.js';
import { redisUrl } from '../../support/postgres.js';

const MINUTES = Number(process.env.SOAK_MINUTES || 10);
const SESSIONS = Number(process.env.SOAK_SESSIONS || 120);

/**
 * The soak under churn (`npm run loadtest -- --soak`): two server processes over one Redis and one
 * database, SOAK_SESSIONS listeners at once (default 120, which this 2-core machine carries beside the
 * generator) joining, playing, dropping and reconnecting, leaving and coming back for SOAK_MINUTES
 * (default 10). Memory, handles, timers, rooms, Redis keys and subscriptions and Postgres connections
 * must come back to their baseline (loadtest/soakVerdict.ts has the rule).
 */
describe(`soak under churn: ${SESSIONS} listeners on two processes with Redis for ${MINUTES} min`, function () {
  this.timeout((MINUTES * 60 + 240) * 1000);
  let result: SoakResult;
  const redis = redisUrl();
  const prefix = `ds_soak_${randomBytes(4).toString('hex')}:`;

  before(async () => {
    const o = parseArgs(
      [
        '--soak',
        '--minutes',
        String(MINUTES),
        '--sessions',
        String(SESSIONS),
        '--processes',
        '2',
        '--workers',
        '1',
        '--seed',
        '34',
        '--quiet',
        '--database-url',
        await adminDatabaseUrl(),
        '--server-env',
        `REDIS_URL=${redis}`,
        '--server-env',
        `REDIS_PREFIX=${prefix}`,
        '--out',
        'loadtest-results/soak-system.json',
      ],
      {},
    );
    result = await soakMain(o);
  });

  after(async () => {
    // What the servers leave is under the run's REDIS_PREFIX (caches with a TTL, boards); Colyseus's own keys go with the rooms.
    const client = new Redis(redis);
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    client.disconnect();
  });

  it('keeps the population near its target and the listeners playing', () => {
    const v = result.verdict;
    assert.ok(v.populationBaseline !== null && v.populationBaseline >= SESSIONS * 0.8, `population ${v.populationBaseline} of ${SESSIONS}`);
    assert.ok(result.lives > SESSIONS, `lives ${result.lives}: listeners must come and go`);
    assert.ok(result.counters.actions.captures > 0 && result.counters.actions.swipes > 0);
    assert.ok(result.counters.reconnects.ok > 0, JSON.stringify(result.counters.reconnects));
    const failed = result.counters.sessions.failed;
    assert.ok(failed <= result.counters.sessions.attempted * 0.01, `${failed} failed joins: ${JSON.stringify(result.counters.joinFailures)}`);
  });

  it('measured every quantity on both processes, Redis and Postgres', () => {
    const s = result.samples.find((x) => x.phase === 'steady')!;
    assert.equal(s.processes.length, 2);
    for (const key of ['rssMb', 'heapUsedMb', 'heapAfterGcMb', 'handles', 'timers', 'redisKeys', 'redisChannels', 'pgConnections'] as const)
      assert.notEqual(s[key], null, `${key} unmeasured: ${JSON.stringify(result.probeErrors)}`);
  });

  it('PASSes: everything returns to its baseline', () => {
    assert.equal(result.verdict.pass, true, `${formatSamples(result.samples)}\n\n${formatVerdict(result.verdict)}`);
  });
});
