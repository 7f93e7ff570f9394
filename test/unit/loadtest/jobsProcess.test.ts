import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from '../../../loadtest/args.js';
import { jobsPlan } from '../../../loadtest/jobsProcess.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('loadtest --jobs: where spawned servers run the scheduled jobs', () => {
  it('defaults to separate: room processes get JOBS_ENABLED=false, one jobs process gets the same env with jobs on', () => {
    const o = parseArgs(['--sessions', '5', '--spawn', 'uws', '--server-env', 'JOB_CRON_DNA_MIRRORING=off'], {});
    assert.equal(o.jobs, 'separate');
    const plan = jobsPlan(o, o.serverEnv, 2);
    assert.deepEqual(plan.roomEnv, { JOB_CRON_DNA_MIRRORING: 'off', JOBS_ENABLED: 'false' });
    assert.deepEqual(plan.jobs, { env: { JOB_CRON_DNA_MIRRORING: 'off', JOBS_ENABLED: 'true' }, cpus: undefined });
  });

  it('inprocess keeps the env as given and spawns no jobs process (JOBS_ENABLED in --server-env is then allowed)', () => {
    const o = parseArgs(['--sessions', '5', '--spawn', 'ws', '--jobs', 'inprocess', '--server-env', 'JOBS_ENABLED=false'], {});
    assert.equal(o.jobs, 'inprocess');
    assert.deepEqual(jobsPlan(o, o.serverEnv, 2), { roomEnv: { JOBS_ENABLED: 'false' } });
    assert.equal(parseArgs(['--sessions', '5', '--spawn', 'uws', '--jobs=separate'], {}).jobs, 'separate');
  });

  it('pins the jobs process to the CPUs --server-cpus leaves free, or nowhere when none is left', () => {
    const o = parseArgs(['--sessions', '5', '--spawn', 'uws', '--server-cpus', '1'], {});
    assert.deepEqual(jobsPlan(o, {}, 2).jobs?.cpus, [0]);
    assert.deepEqual(jobsPlan(o, {}, 4).jobs?.cpus, [0, 2, 3]);
    assert.equal(jobsPlan({ jobs: 'separate', serverCpus: [0, 1] }, {}, 2).jobs?.cpus, undefined);
  });

  it("a cluster's Redis env reaches the jobs process too, with its rooms off: placement never gives it one", () => {
    const env = { REDIS_URL: 'redis://127.0.0.1:6379/8', REDIS_PREFIX: 'ds_load_x:' };
    assert.deepEqual(jobsPlan({ jobs: 'separate' }, env), {
      roomEnv: { ...env, JOBS_ENABLED: 'false' },
      jobs: { env: { ...env, JOBS_ENABLED: 'true', ROOMS_ENABLED: 'false' }, cpus: undefined },
    });
  });

  it('bench/captureCpu.sh keeps jobs in the server process so its figures stay comparable', () => {
    assert.match(fs.readFileSync(path.join(ROOT, 'bench/captureCpu.sh'), 'utf8'), /loadtest\/cli\.ts --spawn uws --jobs inprocess /);
  });

  it('a run over Redis (a cluster, or REDIS_URL) runs the jobs apart too, in a process without rooms; inprocess stays available', () => {
    assert.equal(parseArgs(['--sessions', '5', '--spawn', 'uws', '--processes', '2'], {}).jobs, 'separate');
    assert.equal(parseArgs(['--sessions', '5', '--spawn', 'uws', '--processes', '2', '--jobs', 'separate'], {}).jobs, 'separate');
    assert.equal(parseArgs(['--soak', '--sessions', '5', '--processes', '2', '--server-env', 'REDIS_URL=redis://127.0.0.1:6379/5'], {}).jobs, 'separate');
    const single = parseArgs(['--sessions', '5', '--spawn', 'uws', '--server-env', 'REDIS_URL=redis://127.0.0.1:6379/5'], {});
    assert.equal(jobsPlan(single, single.serverEnv).jobs?.env.ROOMS_ENABLED, 'false');
    assert.equal(parseArgs(['--sessions', '5', '--spawn', 'uws', '--processes', '2', '--jobs', 'inprocess'], {}).jobs, 'inprocess');
  });
});
