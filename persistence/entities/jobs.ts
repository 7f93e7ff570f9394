import { defineEntity, p } from '@mikro-orm/postgresql';

/** One run of a scheduled or manual job (migration 007); `(jobName, scheduledFor)` is unique. */
export const JobLogSchema = defineEntity({
  name: 'JobLog',
  tableName: 'job_logs',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    jobName: p.string(),
    trigger: p.string(),
    scheduledFor: p.datetime().nullable(),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
    durationMs: p.integer().nullable(),
    rows: p.integer().nullable(),
    outcome: p.string(),
    error: p.text().nullable(),
    details: p.json<Record<string, unknown>>(),
    process: p.string(),
  },
});
export class JobLog extends JobLogSchema.class {}
JobLogSchema.setClass(JobLog);
