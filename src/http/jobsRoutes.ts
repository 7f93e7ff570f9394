import { z } from 'zod';
import type { JobScheduler } from '../../features/jobs/JobScheduler.js';
import type { JobLogRepository } from '../../persistence/jobs/JobLogRepository.js';
import type { AdminGate } from './authGates.js';
import { NotFoundError } from './errors.js';
import { intQuery, reply, routeOf } from './route.js';
import { jobRunSchema as jobRun } from '../../systems/ops/answers.js';

const opsJobStartedSchema = z
  .object({ job: z.string(), runId: z.union([z.string(), z.number()]), status: z.literal('running'), runs: z.string() })
  .meta({ title: 'OpsJobStarted' });
const route = routeOf<{ scheduler: JobScheduler; logs: JobLogRepository; admin: AdminGate }>('ops', 'admin');

const known = (scheduler: JobScheduler, name: string): string => {
  if (!scheduler.names.includes(name)) throw new NotFoundError(`no job "${name.slice(0, 64)}"; jobs: ${scheduler.names.join(', ')}`);
  return name;
};

export const JOB_ROUTES = [
  route('GET /api/ops/jobs', {
    operationId: 'opsJobs',
    summary: 'Every scheduled job: schedule, next run, last run, failures in 24 h.',
    responses: { 200: { description: '`{ jobs }`.', schema: z.object({ jobs: z.array(z.looseObject({ name: z.string() })) }).meta({ title: 'OpsJobs' }) } },
    handler: async (_ctx, { scheduler }) => ({ jobs: await scheduler.status() }),
  }),
  route('GET /api/ops/jobs/{name}/runs', {
    operationId: 'opsJobRuns',
    summary: "A job's recent runs (query `limit` 1–200, default 20).",
    query: z.object({ limit: intQuery(1, 200, 20) }),
    responses: { 200: { description: '`{ runs }`.', schema: z.object({ runs: z.array(jobRun) }).meta({ title: 'OpsJobRuns' }) } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, query }, { logs, scheduler }) => ({ runs: await logs.recent(known(scheduler, params.name), query.limit) }),
  }),
  route('POST /api/ops/jobs/{name}/run', {
    operationId: 'opsRunJob',
    summary: 'Run a job now (once across processes).',
    responses: { 202: { description: '`{ job, runId, status: "running", runs }`.', schema: opsJobStartedSchema } },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT'],
    handler: async ({ params: { name } }, { scheduler }) => {
      const { runId } = await scheduler.runNow(name);
      return reply(202, { job: name, runId, status: 'running' as const, runs: `/api/ops/jobs/${name}/runs` });
    },
  }),
];
