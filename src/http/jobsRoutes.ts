import type { JobScheduler } from '../../features/jobs/JobScheduler.js';
import type { JobLogRepository } from '../../persistence/jobs/JobLogRepository.js';
import { json, NotFoundError, ValidationError, type Route } from './router.js';
import { adminOnly, NO_STORE } from './adminGate.js';

/**
 * The jobs part of the ops API (admin Bearer token, like /api/ops/*): every job with its schedule, next
 * run, last run (duration, rows, outcome, error) and failures in 24 h; a job's recent runs; run now.
 * Without ADMIN_TOKEN the routes answer 503 OPS_DISABLED, as the rest of the ops API does.
 */
export function jobsRoutes(scheduler: JobScheduler, logs: JobLogRepository, adminToken: string | undefined): Route[] {
  const admin = adminOnly(adminToken);
  const known = (name: string): string => {
    if (!scheduler.names.includes(name)) throw new NotFoundError(`no job "${name.slice(0, 64)}"; jobs: ${scheduler.names.join(', ')}`);
    return name;
  };
  return [
    { method: 'GET', path: '/api/ops/jobs', handler: admin(async () => json({ jobs: await scheduler.status() }, 200, NO_STORE)) },
    {
      method: 'GET',
      path: '/api/ops/jobs/:name/runs',
      handler: admin(async ({ params, query }) => {
        const raw = query.get('limit') ?? '20';
        const limit = Number(raw);
        if (!/^\d+$/.test(raw) || limit < 1 || limit > 200) throw new ValidationError('limit must be an integer from 1 to 200', [{ field: 'limit', message: `"${raw.slice(0, 20)}" is out of range` }]);
        return json({ runs: await logs.recent(known(params.name), limit) }, 200, NO_STORE);
      }),
    },
    {
      method: 'POST',
      path: '/api/ops/jobs/:name/run',
      handler: admin(async ({ params }) => {
        const { runId } = await scheduler.runNow(params.name);
        return json({ job: params.name, runId, status: 'running', runs: `/api/ops/jobs/${params.name}/runs` }, 202, NO_STORE);
      }),
    },
  ];
}
