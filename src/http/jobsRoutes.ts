import { z } from 'zod';
import type { JobScheduler } from '../../features/jobs/JobScheduler.js';
import type { JobLogRepository } from '../../persistence/jobs/JobLogRepository.js';
import { json, NotFoundError, ValidationError, type Route } from './router.js';
import { adminOnly, NO_STORE } from './authGates.js';
import { declareRoutes, mountRoutes } from './declare.js';

interface JobRouteDeps {
  scheduler: JobScheduler;
  logs: JobLogRepository;
  admin: ReturnType<typeof adminOnly>;
  known(name: string): string;
}

/** One run as job_logs holds it (persistence/jobs/JobLogRepository.ts `JobRunView`). */
const jobRun = z.object({
  id: z.string(),
  jobName: z.string(),
  trigger: z.enum(['schedule', 'manual', 'event']),
  scheduledFor: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  rows: z.number().nullable(),
  outcome: z.enum(['running', 'succeeded', 'failed', 'interrupted', 'abandoned']),
  error: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  process: z.string(),
});

/**
 * The jobs part of the ops API (admin Bearer token, like /api/ops/*): every job with its schedule, next
 * run, last run (duration, rows, outcome, error) and failures in 24 h; a job's recent runs; run now.
 * Without ADMIN_TOKEN the routes answer 503 OPS_DISABLED, as the rest of the ops API does.
 */
export const JOB_ROUTES = declareRoutes<JobRouteDeps>()([
  {
    operationId: 'opsJobs',
    method: 'GET',
    path: '/api/ops/jobs',
    tag: 'ops',
    summary: 'Every scheduled job: schedule, next run, last run, failures in 24 h.',
    auth: 'admin',
    responses: {
      200: {
        description: '`{ jobs }`.',
        title: 'OpsJobs',
        schema: z.object({ jobs: z.array(z.looseObject({ name: z.string() })) }).meta({ title: 'OpsJobs' }),
      },
    },
    handler: (ctx, { scheduler, admin }) => admin(async () => json({ jobs: await scheduler.status() }, 200, NO_STORE))(ctx),
  },
  {
    operationId: 'opsJobRuns',
    method: 'GET',
    path: '/api/ops/jobs/{name}/runs',
    tag: 'ops',
    summary: "A job's recent runs (query `limit` 1–200, default 20).",
    auth: 'admin',
    responses: { 200: { description: '`{ runs }`.', title: 'OpsJobRuns', schema: z.object({ runs: z.array(jobRun) }).meta({ title: 'OpsJobRuns' }) } },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
    handler: (ctx, { logs, admin, known }) =>
      admin(async ({ params, query }) => {
        const raw = query.get('limit') ?? '20';
        const limit = Number(raw);
        if (!/^\d+$/.test(raw) || limit < 1 || limit > 200)
          throw new ValidationError('limit must be an integer from 1 to 200', [{ field: 'limit', message: `"${raw.slice(0, 20)}" is out of range` }]);
        return json({ runs: await logs.recent(known(params.name), limit) }, 200, NO_STORE);
      })(ctx),
  },
  {
    operationId: 'opsRunJob',
    method: 'POST',
    path: '/api/ops/jobs/{name}/run',
    tag: 'ops',
    summary: 'Run a job now (once across processes).',
    auth: 'admin',
    responses: {
      202: {
        description: '`{ job, runId, status: "running", runs }`.',
        title: 'OpsJobStarted',
        schema: z
          .object({ job: z.string(), runId: z.union([z.string(), z.number()]), status: z.literal('running'), runs: z.string() })
          .meta({ title: 'OpsJobStarted' }),
      },
    },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'],
    handler: (ctx, { scheduler, admin }) =>
      admin(async ({ params }) => {
        const { runId } = await scheduler.runNow(params.name);
        return json({ job: params.name, runId, status: 'running', runs: `/api/ops/jobs/${params.name}/runs` }, 202, NO_STORE);
      })(ctx),
  },
]);

/** The jobs routes, served. */
export function jobsRoutes(scheduler: JobScheduler, logs: JobLogRepository, adminToken: string | undefined): Route[] {
  const known = (name: string): string => {
    if (!scheduler.names.includes(name)) throw new NotFoundError(`no job "${name.slice(0, 64)}"; jobs: ${scheduler.names.join(', ')}`);
    return name;
  };
  return mountRoutes(JOB_ROUTES, { scheduler, logs, admin: adminOnly(adminToken), known });
}
