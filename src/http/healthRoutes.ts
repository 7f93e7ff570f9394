import type { Backplane } from '../../persistence/backplane/Backplane.js';
import type { Sql } from '../../persistence/db.js';
import { Gauge, type Registry } from 'prom-client';
import { json, type Route } from './router.js';

type Probe = 'up' | 'down' | 'not_configured';

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface HealthDeps {
  sql: Sql;
  backplane: Pick<Backplane, 'kind' | 'ping'>;
  /** Redis as the last pings found it (redisLiveness.ts): down answers at once, without waiting out a ping. */
  liveness?: { readonly down: boolean };
  transport: string;
  startedAt: number;
}

/** Probes the database and Redis; 503 when the database is down, since no session can be served. */
export async function healthReport(deps: HealthDeps): Promise<{ status: number; body: Record<string, unknown> }> {
  const database: Probe = await within(2000, deps.sql.query('SELECT 1')).then(() => 'up' as const, () => 'down' as const);
  const redis: Probe = deps.backplane.kind !== 'redis' ? 'not_configured' : deps.liveness?.down ? 'down' : await within(1000, deps.backplane.ping()).then(() => 'up' as const, () => 'down' as const);
  const ok = database === 'up' && redis !== 'down';
  // A 503 carries a code like every other 5xx; the probe results stay for load balancers and operators.
  const unavailable = database === 'up' ? {} : { error: 'DATABASE_UNAVAILABLE', message: 'the database does not answer; sessions cannot be served until it does' };
  return {
    status: database === 'up' ? 200 : 503,
    body: {
      ...unavailable,
      status: ok ? 'ok' : 'degraded',
      process: { pid: process.pid, uptimeSec: Math.round((Date.now() - deps.startedAt) / 1000), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20), transport: deps.transport },
      database,
      redis,
    },
  };
}

/** Readiness: 503 while the database is down, or Redis when it is configured (this process cannot serve). */
export async function readiness(deps: HealthDeps): Promise<{ status: number; body: Record<string, unknown> }> {
  const report = await healthReport(deps);
  if (report.status !== 200 || report.body.redis !== 'down') return report;
  return { status: 503, body: { error: 'REDIS_UNAVAILABLE', message: 'Redis does not answer; rooms on other processes and shared leaderboards are unreachable until it does', ...report.body } };
}

const processInfo = (deps: HealthDeps) => ({ pid: process.pid, uptimeSec: Math.round((Date.now() - deps.startedAt) / 1000), transport: deps.transport });

/**
 * `/health/live`: the process is up and its event loop answers (no I/O: a database outage must not get
 * healthy processes restarted). `/health/ready`: it can serve now (database, and Redis when configured).
 * `/health`: the probe report, 503 only when the database is down (kept for existing monitors).
 */
export function healthRoutes(deps: HealthDeps): Route[] {
  return [
    { method: 'GET', path: '/health/live', handler: async () => json({ status: 'live', process: processInfo(deps) }) },
    {
      method: 'GET',
      path: '/health/ready',
      handler: async () => {
        const { status, body } = await readiness(deps);
        return json(body, status);
      },
    },
    {
      method: 'GET',
      path: '/health',
      handler: async () => {
        const { status, body } = await healthReport(deps);
        return json(body, status);
      },
    },
  ];
}

/**
 * `ds_dependency_up{dependency="postgres"|"redis"}` on /metrics: the same probes as /health, run at each
 * scrape, so an alert can tell "the database is down" from "this process is down" (Redis only when configured).
 */
export function registerDependencyGauge(registry: Registry, deps: HealthDeps): void {
  new Gauge({
    name: 'ds_dependency_up',
    help: '1 when the dependency answered its health probe at this scrape (SELECT 1 within 2 s, Redis PING within 1 s), else 0',
    labelNames: ['dependency'],
    registers: [registry],
    async collect() {
      const { body } = await healthReport(deps);
      this.reset();
      this.set({ dependency: 'postgres' }, body.database === 'up' ? 1 : 0);
      if (body.redis !== 'not_configured') this.set({ dependency: 'redis' }, body.redis === 'up' ? 1 : 0);
    },
  });
}
