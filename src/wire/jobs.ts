import { JobLogRepository } from '../../persistence/jobs/JobLogRepository.js';
import { JobScheduler } from '../../features/jobs/JobScheduler.js';
import { jobsRoutes } from '../http/jobsRoutes.js';
import type { FeatureParts, WireContext } from './context.js';

/**
 * The one scheduler: every feature hands it its jobs; each schedule slot runs once across processes
 * (a Postgres advisory lock) and leaves a `job_logs` row. Nothing runs until `start()`, after listen.
 */
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
    // A run that has not reacted to the abort by then is recorded interrupted and left behind: a long step
    // (an image resize on a busy machine) must not hold up a Ctrl-C; its next run continues.
    stopTimeoutMs: Math.min(1000, config.shutdownTimeoutMs / 4),
  });
  return { scheduler, logs, routes: jobsRoutes(scheduler, logs, config.adminToken) };
}
