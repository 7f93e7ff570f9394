/**
 * The passport processors in the ops panel (seed 004 "DIA Coliseum admin": pipeline health, processing
 * queue depth, manual trigger), admin token like the rest of /api/ops:
 * - `GET /api/ops/processors` — each processor's cursor, the passport rows still waiting for it (its queue
 *   depth), when the oldest of them arrived (its lag in time) and when the cursor last moved.
 * - `POST /api/ops/processors/:name/run` — catch it up now, at most MAX_RUN_BATCHES batches; one audit line.
 */
import type { Logger } from '../logger.js';
import type { CursorLag } from '../../persistence/passport/PassportCursor.js';
import { adminOnly, NO_STORE } from './adminGate.js';
import { json, NotFoundError, type Route } from './router.js';

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

export function processorOpsRoutes(deps: OpsProcessorDeps): Route[] {
  const now = deps.now ?? Date.now;
  const admin = adminOnly(deps.adminToken);
  const view = async (p: OpsProcessor) => {
    const lag = await p.lag();
    const lagSeconds = lag.oldestPendingAt ? Math.max(0, Math.round((now() - Date.parse(lag.oldestPendingAt)) / 1000)) : 0;
    return { name: p.name, title: p.title, ...lag, lagSeconds };
  };
  const find = (name: string): OpsProcessor => {
    const p = deps.processors.find((x) => x.name === name);
    if (!p) throw new NotFoundError(`no processor "${name.slice(0, 64)}"; GET /api/ops/processors lists them (${deps.processors.map((x) => x.name).join(', ')})`);
    return p;
  };
  return [
    { method: 'GET', path: '/api/ops/processors', handler: admin(async () => json({ processors: await Promise.all(deps.processors.map(view)) }, 200, NO_STORE)) },
    {
      method: 'POST',
      path: '/api/ops/processors/:name/run',
      handler: admin(async ({ params }) => {
        const p = find(params.name ?? '');
        const started = now();
        const processed = await p.catchUp(MAX_RUN_BATCHES);
        const after = await view(p);
        deps.audit.info({ audit: true, action: 'run_processor', processor: p.name, processed }, 'operator ran a passport processor');
        return json({ processed, tookMs: now() - started, ...after }, 200, NO_STORE);
      }),
    },
  ];
}
