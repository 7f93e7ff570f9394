import type { Server } from '@colyseus/core';
import type { Route } from '../http/route.js';
import type { JobDefinition } from '../../features/jobs/JobScheduler.js';
import type { JobName } from '../config/config.js';
import type { wireFoundation } from './foundation.js';

/** What every feature's wiring may use: the process's shared components, built once by the foundation. */
export type WireContext = Awaited<ReturnType<typeof wireFoundation>>;

/** What a feature hands the composition root besides the services other features use. */
export interface FeatureParts {
  routes: Route[];
  /** Scheduled jobs, registered with the one scheduler before it starts. */
  jobs?: JobDefinition[];
  /** Work started once the server listens and the scheduler runs (never delays readiness). */
  start?(): void;
}

/** A room type a feature adds to the Colyseus server before it listens. */
export interface RoomDefinition {
  name: string;
  define(server: Server): void;
}

/** A job run on its `JOB_CRON_<NAME>` schedule. */
export const scheduled = ({ config }: WireContext, name: JobName, description: string, run: JobDefinition['run']): JobDefinition => ({
  name,
  description,
  schedule: config.jobs.schedules[name],
  run,
});
