import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';

/** One run of a scheduled or manual job (migration 007); `(jobName, scheduledFor)` is unique. */
export const JobLog = defineEntity({
  name: 'JobLog',
  tableName: 'job_logs',
  properties: {
    // GENERATED ALWAYS AS IDENTITY in the table: Postgres assigns it.
    id: p.bigint('string').primary().autoincrement().columnType('bigint'),
    jobName: p.text(),
    trigger: p.text(),
    scheduledFor: p.datetime().nullable(),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
    durationMs: p.integer().nullable(),
    rows: p.integer().nullable(),
    outcome: p.text(),
    error: p.text().nullable(),
    details: p.json<Record<string, unknown>>(),
    process: p.text(),
  },
});
export type JobLog = InferEntity<typeof JobLog>;
