import assert from 'node:assert/strict';
import os from 'node:os';
import { ArgsError, hardTimeoutSec, parseArgs } from '../../../loadtest/args.js';

describe('loadtest argument parsing', () => {
  it('reads the documented flags', () => {
    const o = parseArgs(
      [
        '--sessions',
        '1000',
        '--spectators',
        '200',
        '--duration',
        '60',
        '--url',
        'ws://10.0.0.5:2567/',
        '--ramp',
        '30',
        '--workers',
        '3',
        '--out',
        'x/run.json',
        '--admin-token',
        'abcdefabcdefabcdef',
      ],
      {},
    );
    assert.equal(o.sessions, 1000);
    assert.equal(o.spectators, 200);
    assert.equal(o.durationSec, 60);
    assert.equal(o.url, 'ws://10.0.0.5:2567');
    assert.equal(o.rampSec, 30);
    assert.equal(o.workers, 3);
    assert.equal(o.out, 'x/run.json');
    assert.equal(o.adminToken, 'abcdefabcdefabcdef');
  });

  it('accepts --flag=value and takes the admin token from the environment', () => {
    const o = parseArgs(['--sessions=5', '--window=day', '--leaderboards=artists.visits,artists.captures'], { ADMIN_TOKEN: 'from-env-token-123' });
    assert.equal(o.sessions, 5);
    assert.equal(o.window, 'day');
    assert.deepEqual(o.leaderboards, ['artists.visits', 'artists.captures']);
    assert.equal(o.adminToken, 'from-env-token-123');
  });

  it('defaults: ramp of 1 s per 100 bots (at least 2), CPU-count workers capped by the bot count', () => {
    const small = parseArgs(['--sessions', '5'], {});
    assert.equal(small.rampSec, 2);
    assert.equal(small.workers, Math.min(os.availableParallelism(), 5));
    assert.equal(parseArgs(['--sessions', '1000', '--spectators', '500'], {}).rampSec, 15);
    assert.equal(parseArgs(['--sessions', '1'], {}).workers, 1);
  });

  it('rejects bad values with a message naming the flag', () => {
    const bad: Array<[string[], RegExp]> = [
      [['--sessions', '-3'], /--sessions/],
      [['--sessions=-3'], /--sessions must be an integer/],
      [['--sessions', 'many'], /--sessions/],
      [['--duration'], /--duration needs a value/],
      [['--sessions', '5', '--url', 'http://x'], /--url must look like ws:\/\//],
      [['--sessions', '5', '--window', 'year'], /--window must be one of/],
      [['--sessions', '5', '--spawn', 'tcp'], /--spawn must be uws or ws/],
      [['--sessions', '5', '--bogus'], /unknown option "--bogus"/],
      [['--sessions', '0'], /nothing to run/],
      [['--sessions', '5', '--compare-transports', '--spawn', 'ws'], /drop --spawn/],
      [['--sessions', '5', '--server-env', 'NOEQUALS'], /KEY=VALUE/],
      [['--sessions', '5', '--server-dir', '/tmp/base'], /--server-dir needs --spawn/],
      [['--sessions', '5', '--server-cpus', '1'], /--server-cpus needs --spawn/],
      [['--sessions', '5', '--spawn', 'uws', '--server-cpus', '1,x'], /--server-cpus/],
      [['--sessions', '5', '--spawn', 'uws', '--server-cpus', '4096'], /--server-cpus/],
      [['--sessions', '5', '--spawn', 'uws', '--jobs', 'elsewhere'], /--jobs must be separate or inprocess/],
      [['--sessions', '5', '--jobs', 'inprocess'], /--jobs needs --spawn/],
      [['--sessions', '5', '--spawn', 'uws', '--server-env', 'JOBS_ENABLED=false'], /JOBS_ENABLED needs --jobs inprocess/],
      [['--sessions', '5', '--spawn', 'uws', '--processes', '2', '--server-env', 'ROOMS_ENABLED=false'], /ROOMS_ENABLED is not for the harness/],
    ];
    for (const [argv, message] of bad)
      assert.throws(
        () => parseArgs(argv, {}),
        (err: Error) => err instanceof ArgsError && message.test(err.message),
        argv.join(' '),
      );
  });

  it('collects repeated --server-env pairs', () => {
    const o = parseArgs(['--sessions', '1', '--server-env', 'PATCH_HZ=30', '--server-env', 'LOG_LEVEL=info'], {});
    assert.deepEqual(o.serverEnv, { PATCH_HZ: '30', LOG_LEVEL: 'info' });
  });

  it('takes the checkout spawned servers run (--server-dir) with --spawn', () => {
    assert.equal(parseArgs(['--sessions', '1', '--spawn', 'uws', '--server-dir', '/work/wt/base'], {}).serverDir, '/work/wt/base');
    assert.equal(parseArgs(['--sessions', '1', '--spawn', 'uws'], {}).serverDir, undefined);
  });

  it('takes the CPUs spawned processes are pinned to (--server-cpus), one per process in turn', () => {
    assert.deepEqual(parseArgs(['--sessions', '1', '--spawn', 'uws', '--server-cpus', '0'], {}).serverCpus, [0]);
    assert.equal(parseArgs(['--sessions', '1', '--spawn', 'uws'], {}).serverCpus, undefined);
  });

  it('--riders N: rides of N riders (0: the same hosts alone); not with spectators or a soak', () => {
    assert.equal(parseArgs(['--sessions', '20', '--riders', '4'], {}).riders, 4);
    assert.equal(parseArgs(['--sessions', '20', '--riders', '0'], {}).riders, 0);
    assert.equal(parseArgs(['--sessions', '20'], {}).riders, undefined);
    assert.throws(() => parseArgs(['--sessions', '2', '--riders', '4', '--spectators', '1'], {}), /--riders runs rides only/);
    assert.throws(() => parseArgs(['--sessions', '2', '--riders', '-1'], {}), /--riders/);
    assert.equal(parseArgs(['--riders', '4', '--reactions', '6'], {}).reactions, 6);
    assert.throws(() => parseArgs(['--reactions', '6'], {}), /--reactions needs --riders/);
  });

  it('hard timeout = ramp + duration + grace + 30 s', () => {
    assert.equal(hardTimeoutSec({ rampSec: 10, durationSec: 60, graceSec: 5 }), 105);
  });
});
