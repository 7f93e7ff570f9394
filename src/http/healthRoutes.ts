import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Backplane } from '../../persistence/backplane/Backplane.js';
import type { Sql } from '../../persistence/db.js';
import type { Registry } from 'prom-client';
import { registerScraped } from '../metrics.js';
import { reply, routeOf, type Reply } from './route.js';

type Probe = 'up' | 'down' | 'not_configured';

export interface HealthDeps {
  sql: Sql;
  backplane: Pick<Backplane, 'kind' | 'ping'>;
  /** Redis as the last pings found it, the answer the edge's gate acts on (a probe of its own said "not ready" while sign-ins hung). */
  liveness?: { readonly down: boolean };
  /** How long the database (and, without `liveness`, Redis) may take to answer (READY_PROBE_TIMEOUT_MS). */
  probeTimeoutMs: number;
  transport: string;
  startedAt: number;
}

export type HealthAnswer = Reply<200 | 503, z.input<typeof healthReportSchema>>;

const processInfo = (deps: HealthDeps) => ({ pid: process.pid, uptimeSec: Math.round((Date.now() - deps.startedAt) / 1000), transport: deps.transport });

/** `up` when `work` resolves within READY_PROBE_TIMEOUT_MS, else `down` (the unref'd timer outlives a fast answer, holding nothing). */
const probe = (deps: HealthDeps, work: Promise<unknown>): Promise<Probe> =>
  Promise.race([work.then(() => 'up' as const), sleep(deps.probeTimeoutMs, 'down' as const, { ref: false })]).catch(() => 'down' as const);

/** Probes the database (a `sampled` report reuses a statement answered in the last second: a `SELECT 1` per sample was measurable load) and Redis; 503 when the database is down, since no session can be served. */
export async function healthReport(deps: HealthDeps, sampled = false): Promise<HealthAnswer> {
  const answered = sampled && Date.now() - (deps.sql.answeredAt?.() ?? 0) < 1000;
  const database = answered ? 'up' : await probe(deps, deps.sql.query('SELECT 1'));
  const liveness = deps.liveness && (deps.liveness.down ? 'down' : 'up');
  const redis: Probe = deps.backplane.kind !== 'redis' ? 'not_configured' : (liveness ?? (await probe(deps, deps.backplane.ping())));
  const ok = database === 'up' && redis !== 'down';
  // A 503 carries a code like every other 5xx; the probe results stay for load balancers and operators.
  const unavailable =
    database === 'up' ? {} : { error: 'DATABASE_UNAVAILABLE', message: 'the database does not answer; sessions cannot be served until it does' };
  return reply(database === 'up' ? 200 : 503, {
    ...unavailable,
    status: ok ? 'ok' : 'degraded',
    process: { ...processInfo(deps), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) },
    database,
    redis,
  });
}

/** Readiness: 503 while the database is down, or Redis when it is configured (this process cannot serve). */
export async function readiness(deps: HealthDeps): Promise<HealthAnswer> {
  const report = await healthReport(deps);
  if (report.status !== 200 || report.body.redis !== 'down') return report;
  return reply(503, {
    error: 'REDIS_UNAVAILABLE',
    message: 'Redis does not answer; rooms on other processes and shared leaderboards are unreachable until it does',
    ...report.body,
  });
}

const probeSchema = z.enum(['up', 'down', 'not_configured']);
const processSchema = z.object({ pid: z.number().int(), uptimeSec: z.number().int(), transport: z.string() });

/** `/health` and `/health/ready` (200 and 503 alike): the probe report; a 503 adds `error` and `message`. */
export const healthReportSchema = z
  .object({
    error: z.string().optional(),
    message: z.string().optional(),
    status: z.enum(['ok', 'degraded']),
    process: processSchema.extend({ rssMb: z.number().int() }),
    database: probeSchema,
    redis: probeSchema,
  })
  .meta({ title: 'HealthReport' });

const report = (description: string, codes: string) => ({
  200: { description, schema: healthReportSchema },
  503: { description: `Not ready: the report with \`error\` ${codes}.`, schema: healthReportSchema },
});
const healthLiveSchema = z.object({ status: z.literal('live'), process: processSchema }).meta({ title: 'HealthLive' });
const route = routeOf<HealthDeps>('health', 'none');

/**
 * `/health/live`: the event loop answers (no I/O: a database outage must not restart healthy processes).
 * `/health/ready`: it can serve now. `/health`: the probe report, 503 only when the database is down.
 */
export const HEALTH_ROUTES = [
  route('GET /health', {
    operationId: 'health',
    summary: 'Probe report (database, Redis, process); 503 only when the database is down.',
    responses: report('`{ status, process, database, redis }`.', 'DATABASE_UNAVAILABLE'),
    errors: ['DATABASE_UNAVAILABLE'],
    handler: async (_ctx, deps) => healthReport(deps),
  }),
  route('GET /health/live', {
    operationId: 'healthLive',
    summary: 'Liveness: the process answers (no I/O).',
    responses: { 200: { description: '`{ status: "live", process }`.', schema: healthLiveSchema } },
    handler: async (_ctx, deps) => ({ status: 'live' as const, process: processInfo(deps) }),
  }),
  route('GET /health/ready', {
    operationId: 'healthReady',
    summary: 'Readiness: the database, and Redis when configured, answer.',
    responses: report('The probe report.', 'DATABASE_UNAVAILABLE or REDIS_UNAVAILABLE'),
    errors: ['DATABASE_UNAVAILABLE', 'REDIS_UNAVAILABLE'],
    handler: async (_ctx, deps) => readiness(deps),
  }),
];

/** `ds_dependency_up` on /metrics, probed at each scrape, so an alert can tell "the database is down" from "this process is down". */
export function registerDependencyGauge(registry: Registry, deps: HealthDeps): void {
  const probed = async () => {
    const { body } = await healthReport(deps, true);
    return { postgres: body.database === 'up' ? 1 : 0, ...(body.redis !== 'not_configured' && { redis: body.redis === 'up' ? 1 : 0 }) };
  };
  registerScraped(registry, {
    ds_dependency_up: [
      '1 when the dependency answered its health probe at this scrape (a statement answered in the last second or SELECT 1 within 2 s; Redis PING within 1 s), else 0',
      probed,
      'dependency',
    ],
  });
}
