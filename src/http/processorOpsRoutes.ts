/** The passport processors in the ops panel: each cursor's queue depth and lag, and a bounded catch-up now (one audit line). */
import type { Logger } from '../logger.js';
import type { CursorLag } from '../../persistence/passport/PassportCursor.js';
import { z } from 'zod';
import { adminGate, type AdminGate } from './authGates.js';
import { NotFoundError } from './errors.js';
import { mount, routeOf, type Route } from './route.js';

/** A run-now stops after this many batches, so one click cannot hold a request for a whole backlog. */
export const MAX_RUN_BATCHES = 20;

/** What the routes need of a processor (features/passport/CursorProcessor.ts satisfies it). */
export interface OpsProcessor {
  readonly name: string;
  /** What it feeds, in words. */
  readonly title: string;
  lag(): Promise<CursorLag>;
  catchUp(maxBatches?: number): Promise<number>;
}

export interface OpsProcessorDeps {
  processors: OpsProcessor[];
  adminToken: string | undefined;
  audit: Pick<Logger, 'info'>;
  now?: () => number;
}

/** One processor as the panel lists it: its cursor's lag (persistence/passport/PassportCursor.ts `CursorLag`) and the lag in seconds. */
export const processorViewSchema = z
  .object({
    name: z.string(),
    title: z.string(),
    lastId: z.string(),
    headId: z.string(),
    behind: z.number().int(),
    behindCapped: z.boolean(),
    oldestPendingAt: z.string().nullable(),
    movedAt: z.string().nullable(),
    lagSeconds: z.number(),
  })
  .meta({ title: 'OpsProcessor' });

interface ProcessorRouteDeps extends OpsProcessorDeps {
  now: () => number;
  admin: AdminGate;
  view(p: OpsProcessor): Promise<z.output<typeof processorViewSchema>>;
  find(name: string): OpsProcessor;
}
const route = routeOf<ProcessorRouteDeps>('ops');

export const PROCESSOR_OPS_ROUTES = [
  route('GET /api/ops/processors', {
    operationId: 'opsProcessors',
    summary:
      "The passport processors (the Coliseum rollups): each one's cursor, the rows still waiting (`behind`, counted up to 100,000), when the oldest of them arrived (`oldestPendingAt`, `lagSeconds`) and when the cursor last moved.",
    auth: 'admin',
    responses: { 200: { description: '`{ processors }`.', schema: z.object({ processors: z.array(processorViewSchema) }).meta({ title: 'OpsProcessors' }) } },
    handler: async (_ctx, deps) => ({ processors: await Promise.all(deps.processors.map(deps.view)) }),
  }),
  route('POST /api/ops/processors/{name}/run', {
    operationId: 'opsRunProcessor',
    summary: 'Catch a passport processor up now (at most 20 batches); one audit log line.',
    auth: 'admin',
    params: z.object({ name: z.string() }),
    responses: {
      200: {
        description: '`{ processed, tookMs }` and the processor as listed.',
        schema: processorViewSchema.extend({ processed: z.number().int(), tookMs: z.number() }).meta({ title: 'OpsProcessorRun' }),
      },
    },
    errors: ['NOT_FOUND'],
    handler: async ({ params }, deps) => {
      const p = deps.find(params.name);
      const started = deps.now();
      const processed = await p.catchUp(MAX_RUN_BATCHES);
      const after = await deps.view(p);
      deps.audit.info({ audit: true, action: 'run_processor', processor: p.name, processed }, 'operator ran a passport processor');
      return { processed, tookMs: deps.now() - started, ...after };
    },
  }),
];

export function processorOpsRoutes(deps: OpsProcessorDeps): Route[] {
  const now = deps.now ?? Date.now;
  const view = async (p: OpsProcessor) => {
    const lag = await p.lag();
    const lagSeconds = lag.oldestPendingAt ? Math.max(0, Math.round((now() - Date.parse(lag.oldestPendingAt)) / 1000)) : 0;
    return { name: p.name, title: p.title, ...lag, lagSeconds };
  };
  const find = (name: string): OpsProcessor => {
    const p = deps.processors.find((x) => x.name === name);
    if (!p)
      throw new NotFoundError(`no processor "${name.slice(0, 64)}"; GET /api/ops/processors lists them (${deps.processors.map((x) => x.name).join(', ')})`);
    return p;
  };
  return mount(PROCESSOR_OPS_ROUTES, { ...deps, now, admin: adminGate(deps.adminToken), view, find });
}
