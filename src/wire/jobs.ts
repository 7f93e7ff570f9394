import { JobLogRepository } from '../../persistence/jobs/JobLogRepository.js';
import { JobScheduler } from '../../features/jobs/JobScheduler.js';
import { JOB_ROUTES } from '../http/jobsRoutes.js';
import { adminGate } from '../http/authGates.js';
import { mount } from '../http/route.js';
import type { FeatureParts, WireContext } from './context.js';

/** The one scheduler: each schedule slot runs once across processes (an advisory lock) and leaves a `job_logs` row. Nothing runs before `start()`. */
export function wire(ctx: WireContext): FeatureParts & { scheduler: JobScheduler; logs: JobLogRepository } {
  const { config, log } = ctx;
  const logs = new JobLogRepository(ctx.orm);
  const scheduler = new JobScheduler({
    jobs: [],
    logs,
    url: ctx.databaseUrl,
    log: log.child({ component: 'jobs' }),
    enabled: config.jobs.enabled,
    processName: config.publicAddress,
    // A run that has not reacted to the abort by then is recorded interrupted: a long step must not hold up a Ctrl-C.
    stopTimeoutMs: Math.min(1000, config.shutdownTimeoutMs / 4),
  });
  return { scheduler, logs, routes: mount(JOB_ROUTES, { scheduler, logs, admin: adminGate(config.adminToken) }) };
}
