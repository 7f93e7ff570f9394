import assert from 'node:assert/strict';
import { diffRedisInfo, parseRedisInfo } from '../../../loadtest/redisSampler.js';
import { parseArgs } from '../../../loadtest/args.js';

// Lines as Redis 7.0 prints them (INFO commandstats + INFO cpu), CRLF included.
const BEFORE = [
  '# Commandstats',
  'cmdstat_zincrby:calls=100,usec=300,usec_per_call=3.00,rejected_calls=0,failed_calls=0',
  'cmdstat_get:calls=40,usec=40,usec_per_call=1.00,rejected_calls=0,failed_calls=0',
  '# CPU',
  'used_cpu_sys:1.500000',
  'used_cpu_user:2.000000',
  'used_cpu_sys_children:0.000000',
  'used_cpu_user_children:0.000000',
  'used_cpu_sys_main_thread:1.400000',
  'used_cpu_user_main_thread:1.900000',
].join('\r\n');
const AFTER =
  BEFORE.replace('calls=100,', 'calls=1100,').replace('used_cpu_user:2.000000', 'used_cpu_user:3.000000') +
  '\r\ncmdstat_hset:calls=50,usec=1,usec_per_call=0.02,rejected_calls=0,failed_calls=0';

describe('load-test Redis sampler (INFO commandstats and cpu)', () => {
  it('parses calls per command and CPU seconds, without counting the main-thread lines twice', () => {
    const s = parseRedisInfo(BEFORE);
    assert.deepEqual(s.calls, { zincrby: 100, get: 40 });
    assert.equal(s.cpuSec, 3.5);
  });

  it('reports the window: commands per second, per session-second, Redis CPU in cores, busiest first', () => {
    const summary = diffRedisInfo(parseRedisInfo(BEFORE), parseRedisInfo(AFTER), 10, 50);
    assert.equal(summary.commandsTotal, 1050); // 1,000 ZINCRBY + 50 HSET (new command), GET unchanged
    assert.equal(summary.commandsPerSec, 105);
    assert.equal(summary.commandsPerSessionSecond, 2.1);
    assert.equal(summary.cpuCores, 0.1);
    assert.deepEqual(summary.top, [
      { command: 'zincrby', calls: 1000 },
      { command: 'hset', calls: 50 },
    ]);
  });

  it('samples the Redis a spawned server is given, unless --redis-url says otherwise', () => {
    assert.equal(parseArgs(['--spawn', 'uws', '--server-env', 'REDIS_URL=redis://127.0.0.1:6379/2']).redisUrl, 'redis://127.0.0.1:6379/2');
    assert.equal(parseArgs(['--redis-url', 'redis://h:1', '--server-env', 'REDIS_URL=redis://x:2']).redisUrl, 'redis://h:1');
    assert.equal(parseArgs([]).redisUrl, undefined);
  });
});
