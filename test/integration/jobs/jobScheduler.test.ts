import assert from 'node:assert/strict';
import pino from 'pino';
import { setTimeout as sleep2 } from 'node:timers/promises';
import { createTestDatabase, useTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerProcess, type ServerProcess } from '../../support/serverProcess.js';
import { JobLogRepository } from '../../../persistence/jobs/JobLogRepository.js';
import { JobBusyError, JobScheduler, type JobDefinition } from '../../../features/jobs/JobScheduler.js';
import { allowingForLoad } from '../../support/time.js';

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ADMIN = 'admin-token-for-job-tests-0123456789';

type Row = { job_name: string; trigger: string; scheduled_for: Date | null; outcome: string; process: string; error: string | null };

describe('JobScheduler (two schedulers on one real Postgres)', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  const schedulers: JobScheduler[] = [];
  const make = (name: string, jobs: JobDefinition[], enabled = true) => {
    const s = new JobScheduler({
      jobs,
      logs: new JobLogRepository(database().orm),
      url: database().url,
      log: silent,
      enabled,
      processName: name,
      stopTimeoutMs: 1000,
    });
    schedulers.push(s);
    return s;
  };
  const rows = (job: string) =>
    database().sql.query<Row>(`SELECT job_name, trigger, scheduled_for, outcome, process, error FROM job_logs WHERE job_name = ? ORDER BY id`, [job]);
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  });

  it('runs each schedule slot exactly once, whichever process wakes first', async () => {
    const runs: string[] = [];
    const job = (who: string): JobDefinition => ({
      name: 'every_second',
      description: 'probe',
      schedule: '* * * * * *',
      run: async () => (runs.push(who), { rows: 1 }),
    });
    const a = make('A', [job('A')]);
    const b = make('B', [job('B')]);
    a.start();
    b.start();
    await sleep(4200);
    await Promise.all([a.stop(), b.stop()]);
    const logged = await rows('every_second');
    const slots = logged.map((r) => new Date(r.scheduled_for!).toISOString());
    assert.ok(logged.length >= 3, `ran ${logged.length} times in 4.2 s`);
    assert.equal(new Set(slots).size, slots.length, `a slot ran twice: ${slots.join(', ')}`);
    assert.equal(runs.length, logged.length, 'one execution per job_logs row');
    assert.ok(logged.every((r) => r.outcome === 'succeeded' && r.trigger === 'schedule'));
    for (const s of slots) assert.equal(new Date(s).getUTCMilliseconds(), 0, 'slots are whole seconds');
  });

  it('refuses a second run while one is running anywhere (409), here or in another process', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: JobDefinition = { name: 'slow', description: 'waits', schedule: null, run: async () => (await gate, { rows: 7 }) };
    const a = make('A', [slow], false);
    const b = make('B', [slow], false);
    const { runId } = await a.runNow('slow');
    await assert.rejects(b.runNow('slow'), JobBusyError);
    await assert.rejects(a.runNow('slow'), JobBusyError);
    const status = (await b.status()).find((j) => j.name === 'slow')!;
    assert.equal(status.running, true);
    release();
    await sleep(300);
    const [row] = await rows('slow');
    assert.deepEqual([row.outcome, row.trigger, row.process], ['succeeded', 'manual', 'A']);
    assert.ok(runId);
    await b.runNow('slow'); // free again
  });

  it('marks a run left "running" by a dead process as abandoned at the next run, and records failures', async () => {
    await database().sql.query(
      `INSERT INTO job_logs (job_name, trigger, started_at, outcome, process) VALUES ('flaky', 'schedule', now() - interval '1 hour', 'running', 'dead:1')`,
    );
    const flaky: JobDefinition = { name: 'flaky', description: 'fails', schedule: null, run: async () => Promise.reject(new Error('the source was down')) };
    const a = make('A', [flaky], false);
    await a.runNow('flaky');
    await sleep(300);
    const logged = await rows('flaky');
    assert.deepEqual(
      logged.map((r) => r.outcome),
      ['abandoned', 'failed'],
    );
    assert.match(logged[1].error!, /the source was down/);
    assert.equal((await a.status())[0].failures24h, 2);
  });

  it('stops cleanly: a running job is aborted and recorded as interrupted', async () => {
    const patient: JobDefinition = {
      name: 'patient',
      description: 'until aborted',
      schedule: null,
      run: async (ctx) => (await new Promise((r) => ctx.signal.addEventListener('abort', r)), { rows: 1 }),
    };
    const a = make('A', [patient], false);
    await a.runNow('patient');
    await a.stop();
    const [row] = await rows('patient');
    assert.equal(row.outcome, 'interrupted');
  });

  it('a job that throws because shutdown aborted it is recorded as interrupted, not failed, and logs no error', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    // The shape of a wait cut short by the abort: node's timers reject with an AbortError.
    const waiting: JobDefinition = {
      name: 'waiting',
      description: 'sleeps with the signal',
      schedule: null,
      run: async (ctx) => (await sleep2(60_000, undefined, { signal: ctx.signal }), { rows: 1 }),
    };
    const a = new JobScheduler({
      jobs: [waiting],
      logs: new JobLogRepository(database().orm),
      url: database().url,
      log,
      enabled: false,
      processName: 'A',
      stopTimeoutMs: 1000,
    });
    await a.runNow('waiting');
    await a.stop();
    const [row] = await rows('waiting');
    assert.equal(row.outcome, 'interrupted');
    assert.match(row.error!, /abort/i, JSON.stringify(lines));
    assert.deepEqual(
      lines.filter((l) => l.level >= 50),
      [],
      'no error-level line for an interruption',
    );
    assert.ok(
      lines.some((l) => l.level === 40 && /interrupted by shutdown/.test(l.msg)),
      JSON.stringify(lines),
    );
  });

  it('a run that ignores the abort past stopTimeoutMs is recorded interrupted once and left behind: its late end records and logs no error', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    let finish!: (fail: boolean) => void;
    const ended = new Promise<boolean>((r) => (finish = r));
    // One long step that cannot be interrupted (an image resize on a busy machine), then it fails.
    const stubborn: JobDefinition = {
      name: 'stubborn',
      description: 'ignores the abort',
      schedule: null,
      run: async () => ((await ended) ? Promise.reject(new Error('pool is closed')) : { rows: 1 }),
    };
    const a = new JobScheduler({
      jobs: [stubborn],
      logs: new JobLogRepository(database().orm),
      url: database().url,
      log,
      enabled: false,
      processName: 'A',
      stopTimeoutMs: 200,
    });
    await a.runNow('stubborn');
    const t0 = Date.now();
    await a.stop();
    assert.ok(Date.now() - t0 < allowingForLoad(2000), `stop waited ${Date.now() - t0} ms`);
    finish(true);
    await sleep(200);
    const logged = await rows('stubborn');
    assert.deepEqual(
      logged.map((r) => r.outcome),
      ['interrupted'],
    );
    assert.match(logged[0].error!, /shut down during the run/);
    assert.deepEqual(
      lines.filter((l) => l.level >= 50),
      [],
      JSON.stringify(lines),
    );
  });
});

describe('scheduled jobs across two real server processes', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  const servers: ServerProcess[] = [];
  const env = (db: TestDatabase): Record<string, string | undefined> => ({
    DATABASE_URL: db.url,
    REDIS_URL: undefined,
    ADMIN_TOKEN: ADMIN,
    JOB_CRON_GLOBAL_METRICS: '* * * * * *',
    ...Object.fromEntries(
      ['GRAVITY_EDGES', 'SESSION_AGGREGATION', 'POPULARITY_SCORES', 'CLEANUP', 'PASSPORT_PARTITIONS', 'INFLUENCE_GRAPH'].map((j) => [`JOB_CRON_${j}`, 'off']),
    ),
  });

  before(async () => {
    db = await createTestDatabase();
    // One after the other: the first applies the migrations.
    servers.push(await startServerProcess({ ...env(db), PUBLIC_ADDRESS: 'proc-a' }));
    servers.push(await startServerProcess({ ...env(db), PUBLIC_ADDRESS: 'proc-b' }));
  });
  after(async () => {
    const codes = await Promise.all(servers.map((s) => s.stop('SIGTERM')));
    await db?.drop();
    assert.deepEqual(codes, [0, 0], servers.map((s) => s.output().slice(-2000)).join('\n----\n'));
  });

  it('runs a job once per schedule slot, never in both processes', async () => {
    await sleep(5000);
    const logged = await db.sql.query<Row>(
      `SELECT job_name, trigger, scheduled_for, outcome, process FROM job_logs WHERE job_name = 'global_metrics' AND trigger = 'schedule' ORDER BY scheduled_for`,
    );
    const slots = logged.map((r) => new Date(r.scheduled_for!).toISOString());
    assert.ok(logged.length >= 3, `only ${logged.length} runs in 5 s`);
    assert.equal(new Set(slots).size, slots.length, `a slot ran twice: ${JSON.stringify(logged)}`);
    assert.ok(logged.every((r) => ['proc-a', 'proc-b'].includes(r.process)));
    const [dupes] = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT scheduled_for FROM job_logs WHERE scheduled_for IS NOT NULL GROUP BY job_name, scheduled_for HAVING count(*) > 1) d`,
    );
    assert.equal(dupes.n, 0);
  });

  it('shows the jobs in the ops API and runs one on demand with the admin token', async () => {
    const [a, b] = servers;
    const unauth = await fetch(`${a.baseUrl}/api/ops/jobs`);
    assert.equal(unauth.status, 401);
    const list = await (await fetch(`${b.baseUrl}/api/ops/jobs`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
    const gm = list.jobs.find((j: { name: string }) => j.name === 'global_metrics');
    assert.equal(gm.schedule, '* * * * * *');
    assert.ok(gm.lastRun && gm.nextRunAt);
    assert.equal(list.jobs.find((j: { name: string }) => j.name === 'cleanup').schedule, null, 'JOB_CRON_CLEANUP=off');

    const run = await fetch(`${a.baseUrl}/api/ops/jobs/cleanup/run`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(run.status, 202);
    const { runId } = await run.json();
    await sleep(500);
    const runs = await (await fetch(`${b.baseUrl}/api/ops/jobs/cleanup/runs?limit=5`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
    assert.deepEqual([runs.runs[0].id, runs.runs[0].trigger, runs.runs[0].outcome], [runId, 'manual', 'succeeded']);
    assert.equal((await fetch(`${a.baseUrl}/api/ops/jobs/nope/run`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } })).status, 404);
  });
});
