/** The passport processors in the ops panel: each cursor's queue depth and lag, and a bounded catch-up now (one audit line). */
import type { Logger } from '../logger.js';
import { cursorLagSchema } from '../../systems/ops/answers.js';
import type { CursorProcessor } from '../../features/passport/CursorProcessor.js';
import { z } from 'zod';
import type { AdminGate } from './authGates.js';
import { NotFoundError } from './errors.js';
import { routeOf } from './route.js';

/** A run-now stops after this many batches, so one click cannot hold a request for a whole backlog. */
export const MAX_RUN_BATCHES = 20;

/** What the routes need of a processor, and what it feeds, in words (`title`). */
export type OpsProcessor = Pick<CursorProcessor, 'name' | 'lag' | 'catchUp'> & { readonly title: string };

interface OpsProcessorDeps {
  processors: OpsProcessor[];
  admin: AdminGate;
  audit: Pick<Logger, 'info'>;
  now: () => number;
}

/** One processor as the panel lists it: its cursor's lag and the lag in seconds. */
export const processorViewSchema = z
  .object({ name: z.string(), title: z.string(), ...cursorLagSchema.shape, lagSeconds: z.number() })
  .meta({ title: 'OpsProcessor' });

const opsProcessorRunSchema = processorViewSchema.extend({ processed: z.number().int(), tookMs: z.number() }).meta({ title: 'OpsProcessorRun' });
const route = routeOf<OpsProcessorDeps>('ops', 'admin');

const view = async (p: OpsProcessor, now: number) => {
  const lag = await p.lag();
  const lagSeconds = lag.oldestPendingAt ? Math.max(0, Math.round((now - Date.parse(lag.oldestPendingAt)) / 1000)) : 0;
  return { name: p.name, title: p.title, ...lag, lagSeconds };
};

const find = (processors: OpsProcessor[], name: string): OpsProcessor => {
  const p = processors.find((x) => x.name === name);
  if (!p) throw new NotFoundError(`no processor "${name.slice(0, 64)}"; GET /api/ops/processors lists them (${processors.map((x) => x.name).join(', ')})`);
  return p;
};

export const PROCESSOR_OPS_ROUTES = [
  route('GET /api/ops/processors', {
    operationId: 'opsProcessors',
    summary:
      "The passport processors (the Coliseum rollups): each one's cursor, the rows still waiting (`behind`, counted up to 100,000), when the oldest of them arrived (`oldestPendingAt`, `lagSeconds`) and when the cursor last moved.",
    responses: { 200: { description: '`{ processors }`.', schema: z.object({ processors: z.array(processorViewSchema) }).meta({ title: 'OpsProcessors' }) } },
    handler: async (_ctx, deps) => ({ processors: await Promise.all(deps.processors.map((p) => view(p, deps.now()))) }),
  }),
  route('POST /api/ops/processors/{name}/run', {
    operationId: 'opsRunProcessor',
    summary: 'Catch a passport processor up now (at most 20 batches); one audit log line.',
    params: z.object({ name: z.string() }),
    responses: { 200: { description: '`{ processed, tookMs }` and the processor as listed.', schema: opsProcessorRunSchema } },
    errors: ['NOT_FOUND'],
    handler: async ({ params }, deps) => {
      const p = find(deps.processors, params.name);
      const started = deps.now();
      const processed = await p.catchUp(MAX_RUN_BATCHES);
      const after = await view(p, deps.now());
      deps.audit.info({ audit: true, action: 'run_processor', processor: p.name, processed }, 'operator ran a passport processor');
      return { processed, tookMs: deps.now() - started, ...after };
    },
  }),
];
