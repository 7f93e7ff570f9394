/** `job_logs`; the unique `(job_name, scheduled_for)` index is the claim on a schedule slot ({@link JobLogRepository.claim}). */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Orm } from '../orm.js';
import { JobLog } from '../entities/jobs.js';
import type { JobRunView } from '../../systems/ops/answers.js';

export type { JobRunView };
export type JobTrigger = JobRunView['trigger'];
type JobOutcome = JobRunView['outcome'];

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

function view(row: JobLog): JobRunView {
  return {
    id: String(row.id),
    jobName: row.jobName,
    trigger: row.trigger as JobTrigger,
    scheduledFor: iso(row.scheduledFor),
    startedAt: row.startedAt.toISOString(),
    finishedAt: iso(row.finishedAt),
    durationMs: row.durationMs ?? null,
    rows: row.rows ?? null,
    outcome: row.outcome as JobOutcome,
    error: row.error ?? null,
    details: row.details ?? {},
    process: row.process,
  };
}

export class JobLogRepository {
  constructor(private readonly orm: Orm) {}

  /** Inserts a `running` row; null when `(job, scheduledFor)` is already taken (another process runs that slot). */
  async claim(jobName: string, trigger: JobTrigger, scheduledFor: Date | null, startedAt: Date, process: string): Promise<string | null> {
    try {
      const id = await this.orm.em.fork().insert(JobLog, { jobName, trigger, scheduledFor, startedAt, outcome: 'running', details: {}, process });
      return String(id);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return null;
      throw err;
    }
  }

  async finish(
    id: string,
    outcome: Exclude<JobOutcome, 'running'>,
    finishedAt: Date,
    startedAt: Date,
    result: { rows?: number; details?: Record<string, unknown>; error?: string },
  ): Promise<void> {
    await this.orm.em.fork().nativeUpdate(
      JobLog,
      { id },
      {
        outcome,
        finishedAt,
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        rows: result.rows ?? null,
        details: result.details ?? {},
        error: result.error?.slice(0, 2000) ?? null,
      },
    );
  }

  /** Rows left `running` by a process that died: called only by the holder of the job's lock. */
  async abandonStale(jobName: string, now: Date): Promise<number> {
    return this.orm.em
      .fork()
      .nativeUpdate(
        JobLog,
        { jobName, outcome: 'running' },
        { outcome: 'abandoned', finishedAt: now, error: 'the process running it stopped before finishing (crash or kill); the next run starts over' },
      );
  }

  /** The newest runs of a job, newest first. */
  async recent(jobName: string, limit: number): Promise<JobRunView[]> {
    const rows = await this.orm.em.fork().find(JobLog, { jobName }, { orderBy: { startedAt: 'desc', id: 'desc' }, limit });
    return rows.map(view);
  }

  /** Last run, last success and failures since `since` of one job. */
  async summary(jobName: string, since: Date): Promise<{ last: JobRunView | null; lastSuccessAt: string | null; failures: number }> {
    const em = this.orm.em.fork();
    const [last, success, failures] = await Promise.all([
      em.findOne(JobLog, { jobName }, { orderBy: { startedAt: 'desc', id: 'desc' } }),
      em.findOne(JobLog, { jobName, outcome: 'succeeded' }, { orderBy: { startedAt: 'desc', id: 'desc' }, fields: ['finishedAt'] }),
      em.count(JobLog, { jobName, outcome: { $in: ['failed', 'abandoned', 'interrupted'] }, startedAt: { $gte: since } }),
    ]);
    return { last: last ? view(last) : null, lastSuccessAt: iso(success?.finishedAt), failures };
  }

  /** Deletes runs older than `before`; returns how many. */
  async prune(before: Date): Promise<number> {
    return this.orm.em.fork().nativeDelete(JobLog, { startedAt: { $lt: before }, outcome: { $ne: 'running' } });
  }
}
