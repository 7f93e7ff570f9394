/**
 * Runs scheduled jobs once per slot across every process: croner computes UTC slots, every process wakes, and Postgres
 * decides: an advisory lock per job (no overlap; dies with its process) and the unique `(job_name, scheduled_for)`
 * row (of lock holders one after another, only the first insert lands). A `running` row the next holder finds
 * belonged to a dead process: it is marked `abandoned`.
 */
import os from 'node:os';
import { Cron } from 'croner';
import type { Logger } from 'pino';
import { AppError } from '../../systems/errors.js';
import type { JobLogRepository, JobTrigger } from '../../persistence/jobs/JobLogRepository.js';
import { JobLocks } from '../../persistence/jobs/JobLocks.js';

export interface JobContext {
  /** Aborted when the process shuts down: finish the current batch and return. */
  signal: AbortSignal;
  nowMs: number;
  log: Logger;
  trigger: JobTrigger;
}

/** What a run reports into `job_logs`. */
export interface JobResult {
  rows: number;
  details?: Record<string, unknown>;
}

export interface JobDefinition {
  name: string;
  description: string;
  /** Cron pattern (UTC), or null: runs only when asked (/ops "run now"). */
  schedule: string | null;
  run(ctx: JobContext): Promise<JobResult>;
}

export class JobBusyError extends AppError<'CONFLICT'> {
  constructor(name: string) {
    const message = `job "${name}" is running right now (here or in another process); wait for it to finish (GET /api/ops/jobs shows it) and try again`;
    super('CONFLICT', message, undefined, 5);
  }
}

/** Longest sleep between slot checks: a clock jump is noticed within this time. */
const MAX_SLEEP_MS = 30_000;

export interface SchedulerOptions {
  jobs: JobDefinition[];
  logs: JobLogRepository;
  /** A Postgres URL for the scheduler's lock connection. */
  url: string;
  log: Logger;
  /** false: this process runs no schedule (manual runs still work). */
  enabled: boolean;
  /** Shown in job_logs.process. */
  processName?: string;
  /** How long stop() waits for running jobs after aborting them. Default 5 s. */
  stopTimeoutMs: number;
}

export class JobScheduler {
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly crons = new Map<string, Cron>();
  /** Work recorded with {@link JobScheduler.record} (e.g. uploads): listed with the jobs, never scheduled or run on demand. */
  private readonly eventJobs = new Map<string, string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void>; runId: string; startedAt: Date }>();
  /** Runs stop() stopped waiting for (and recorded as interrupted): whatever they do next is not recorded. */
  private readonly leftBehind = new Set<string>();
  private readonly locks: JobLocks;
  private readonly now = Date.now;
  private readonly processName: string;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {
    this.processName = options.processName ?? `${os.hostname()}:${process.pid}`;
    this.locks = new JobLocks(options.url, (err) =>
      options.log.warn({ err: err.message }, 'job lock connection lost; locks held by it are released, the next run reconnects'),
    );
    this.add(...options.jobs);
  }

  /** Names work that runs on an event (an upload) and is recorded with {@link JobScheduler.record}. */
  addEventJob(name: string, description: string): void {
    this.eventJobs.set(name, description);
  }

  /** Registers jobs before `start()` (each feature's wiring hands over its own). */
  add(...jobs: JobDefinition[]): void {
    for (const job of jobs) {
      if (this.jobs.has(job.name)) throw new Error(`job "${job.name}" is registered twice`);
      this.jobs.set(job.name, job);
      if (job.schedule) this.crons.set(job.name, new Cron(job.schedule, { paused: true, timezone: 'Etc/UTC' }));
    }
  }

  /** Arms a timer per scheduled job (when enabled). */
  start(): void {
    if (!this.options.enabled) return;
    for (const name of this.crons.keys()) this.arm(name, this.now());
  }

  /** Sleeps until the job's next slot after `afterMs`, runs it, and re-arms. */
  private arm(name: string, afterMs: number): void {
    if (this.stopped) return;
    const next = this.crons.get(name)!.nextRun(new Date(afterMs));
    if (!next) return;
    const slot = next.getTime();
    const timer = setTimeout(
      () => {
        if (this.now() < slot) return this.arm(name, afterMs); // woke early (long slots are slept in pieces)
        void this.execute(name, 'schedule', new Date(slot)).catch((err) => this.options.log.error({ err, job: name }, 'scheduled job could not start'));
        this.arm(name, slot);
      },
      Math.min(Math.max(0, slot - this.now()), MAX_SLEEP_MS),
    );
    this.timers.set(name, timer);
  }

  /** Starts a run of `name` now (the /ops button). Resolves once the run is claimed, with its id. */
  async runNow(name: string): Promise<{ runId: string }> {
    const event = this.eventJobs.get(name);
    if (event) throw new AppError('VALIDATION_FAILED', `"${name}" runs when its event happens (${event}); it cannot be run on demand`);
    if (!this.jobs.has(name)) throw new AppError('NOT_FOUND', `no job "${name.slice(0, 64)}"; jobs: ${this.names.join(', ')}`);
    const runId = await this.execute(name, 'manual', null);
    if (!runId) throw new JobBusyError(name);
    return { runId };
  }

  /** Returns the run id, or null when another run holds the lock or the slot was taken; the job continues in the background. */
  private async execute(name: string, trigger: JobTrigger, slot: Date | null): Promise<string | null> {
    if (this.stopped || this.running.has(name)) return null;
    const job = this.jobs.get(name)!;
    const entry = { controller: new AbortController(), done: Promise.resolve(), runId: '', startedAt: new Date(this.now()) };
    this.running.set(name, entry); // reserved while we ask Postgres
    let locked = false;
    try {
      locked = await this.locks.tryLock(name);
      if (!locked) return null;
      const startedAt = (entry.startedAt = new Date(this.now()));
      await this.options.logs.abandonStale(name, startedAt);
      const runId = await this.options.logs.claim(name, trigger, slot, startedAt, this.processName);
      if (!runId) return null;
      entry.runId = runId;
      entry.done = this.runJob(job, trigger, runId, startedAt, entry.controller.signal).finally(() => this.release(name, runId));
      return runId;
    } finally {
      if (!entry.runId) {
        this.running.delete(name);
        if (locked) await this.unlock(name);
      }
    }
  }

  private async runJob(job: JobDefinition, trigger: JobTrigger, runId: string, startedAt: Date, signal: AbortSignal): Promise<void> {
    const log = this.options.log.child({ job: job.name, runId });
    try {
      const result = await job.run({ signal, nowMs: startedAt.getTime(), log, trigger });
      if (this.leftBehind.has(runId)) return log.info({ rows: result.rows }, 'job ended after shutdown had recorded it as interrupted');
      const outcome = signal.aborted ? 'interrupted' : 'succeeded';
      await this.options.logs.finish(runId, outcome, new Date(this.now()), startedAt, result);
      log.info({ rows: result.rows, ms: this.now() - startedAt.getTime(), outcome }, 'job finished');
    } catch (err) {
      const error = errorText(err);
      // Shutdown aborted the run: what failed is the interruption (e.g. a wait cut short), not the job.
      if (this.leftBehind.has(runId)) return log.info({ err: error }, 'job ended after shutdown had recorded it as interrupted');
      const outcome = signal.aborted ? 'interrupted' : 'failed';
      if (outcome === 'failed') log.error({ err }, 'job failed');
      else log.warn({ err: error }, 'job interrupted by shutdown; the next run continues');
      const recorded = this.options.logs.finish(runId, outcome, new Date(this.now()), startedAt, { error });
      await recorded.catch((e) => log.error({ err: e }, `could not record the run as ${outcome}`));
    }
  }

  private async release(name: string, runId: string): Promise<void> {
    this.running.delete(name);
    // A run stop() left behind ends after the lock connection closed, which released its lock.
    if (!this.leftBehind.has(runId)) await this.unlock(name);
  }

  private async unlock(name: string): Promise<void> {
    await this.locks
      .unlock(name)
      .catch((err) => this.options.log.warn({ err: err.message, job: name }, 'could not release a job lock (its connection is gone, which released it)'));
  }

  /** Records event-triggered work (an upload) as a job run; no lock, such runs may overlap. */
  async record<T>(name: string, work: () => Promise<{ value: T; rows: number; details?: Record<string, unknown> }>): Promise<T> {
    const startedAt = new Date(this.now());
    const runId = await this.options.logs.claim(name, 'event', null, startedAt, this.processName);
    try {
      const { value, rows, details } = await work();
      if (runId) await this.options.logs.finish(runId, 'succeeded', new Date(this.now()), startedAt, { rows, details });
      return value;
    } catch (err) {
      if (runId) await this.options.logs.finish(runId, 'failed', new Date(this.now()), startedAt, { error: errorText(err) }).catch(() => undefined);
      throw err;
    }
  }

  /** Every job with its schedule, next slot, whether it runs now (anywhere), last run and failures in 24 h. */
  async status() {
    const since = new Date(this.now() - 86_400_000);
    const listed = [...this.jobs.values(), ...[...this.eventJobs].map(([name, description]) => ({ name, description, schedule: null }))];
    return Promise.all(
      listed.map(async (job) => {
        const summary = await this.options.logs.summary(job.name, since);
        const next = this.options.enabled ? (this.crons.get(job.name)?.nextRun(new Date(this.now())) ?? null) : null;
        return {
          name: job.name,
          description: job.description,
          schedule: job.schedule,
          runnable: this.jobs.has(job.name), // false for event jobs (uploads): they run when their event happens
          nextRunAt: next ? next.toISOString() : null,
          running: summary.last?.outcome === 'running',
          lastRun: summary.last,
          lastSuccessAt: summary.lastSuccessAt,
          failures24h: summary.failures,
        };
      }),
    );
  }

  get runningCount(): number {
    return this.running.size;
  }

  get names(): string[] {
    return [...this.jobs.keys(), ...this.eventJobs.keys()];
  }

  /** Aborts running jobs and waits up to stopTimeoutMs; a run still going is recorded as interrupted. Then releases the locks. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    const runs = [...this.running.entries()];
    for (const [, run] of runs) run.controller.abort();
    const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), this.options.stopTimeoutMs).unref());
    for (const [name, run] of runs) {
      if ((await Promise.race([run.done.then(() => 'done' as const), deadline])) === 'late' && run.runId) {
        this.leftBehind.add(run.runId);
        await this.options.logs
          .finish(run.runId, 'interrupted', new Date(this.now()), run.startedAt, { error: 'the server shut down during the run; the next run continues' })
          .catch(() => undefined);
        this.options.log.warn({ job: name }, 'job still running at shutdown; recorded as interrupted');
      }
    }
    await this.locks.close();
  }
}

const errorText = (err: unknown): string => (err as Error)?.message ?? String(err);
