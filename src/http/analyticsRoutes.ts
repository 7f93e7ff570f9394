import { z } from 'zod';
import type { PlatformMetrics } from '../../features/analytics/platformMetrics.js';
import { adminGate, type AdminGate } from './authGates.js';
import { readTreasury } from '../../features/analytics/treasury.js';
import type { Sql } from '../../persistence/db.js';
import { MONEY_SUBJECTS, moneyTotalsSchema } from '../../systems/analytics/treasury.js';
import { dailyRowSchema } from '../../systems/analytics/platformKpis.js';
import type { MoneySubject } from '../../systems/leaderboard/countingRules.js';
import { isValidId } from '../../systems/leaderboard/windows.js';
import { ValidationError } from './errors.js';
import { mount, routeOf, type Route } from './route.js';

interface AnalyticsRouteDeps {
  metrics: PlatformMetrics;
  admin: AdminGate;
  /** Where the money rollups are read; absent: no Treasury route (tests of the metrics alone). */
  treasury?: Sql;
  now: () => number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const treasurySchema = z
  .object({
    subject: z.enum(MONEY_SUBJECTS as [MoneySubject, ...MoneySubject[]]),
    id: z.string(),
    generatedAt: z.string(),
    spent: moneyTotalsSchema,
    earned: moneyTotalsSchema,
  })
  .meta({ title: 'TreasuryTotals' });

const num = z.number().nullable();
const goal = { goal: z.number(), status: z.enum(['Exceeding goal', 'Meeting goal', 'Below goal', 'No data']) };
const apiRow = {
  endpoint: z.string(),
  requests: z.number(),
  avg_ms: num,
  p95_ms: num,
  p99_ms: num.optional(),
  server_errors: z.number(),
  client_errors: z.number(),
  error_rate: num,
  alert: z.boolean(),
};

/** The platform KPIs (features/analytics/platformMetrics.ts `PlatformMetricsReport`). */
export const platformMetricsSchema = z
  .object({
    period: z.string(),
    range: z.object({ from: z.string(), to: z.string() }),
    generated_at: z.string(),
    user_metrics: z.object({
      total_users: z.number(),
      new_users: z.number(),
      daily_active_users: z.number(),
      total_sessions: z.number(),
      avg_session_duration_minutes: num,
      session_duration_lift_vs_benchmark: z.string().nullable(),
      benchmark_minutes: z.number(),
    }),
    engagement_kpis: z.object({
      interaction_depth: z.object({ avg_orbs_per_session: num, ...goal, distribution: z.record(z.string(), z.number()) }),
      sensor_engagement: z.object({ percentage: num, ...goal }),
      constellation_growth: z.object({ capture_rate: num, avg_captures_per_user: num, total_captures: z.number() }),
    }),
    content_performance: z.object({
      top_artists: z.array(
        z.object({
          id: z.string(),
          name: z.string().nullable(),
          count: z.number(),
          visits: z.number(),
          avg_time_spent: z.string().nullable(),
          avg_time_spent_seconds: num,
          measured_visits: z.number(),
        }),
      ),
      top_orbs: z.array(z.object({ id: z.string(), from: z.string(), to: z.string(), name: z.string().nullable(), clicks: z.number() })),
      bottlenecks: z.array(
        z.object({ id: z.string(), name: z.string().nullable(), visits: z.number(), orbTaps: z.number(), captures: z.number(), avg_interactions: z.number() }),
      ),
    }),
    daily: z.array(dailyRowSchema),
    technical_performance: z.object({
      endpoints: z.array(z.object({ ...apiRow, since_start: z.object({ requests: z.number(), p95_ms: num }).nullable() })),
      bucket: z.enum(['minute', 'hour']).nullable(),
      note: z.string(),
    }),
    cache: z.object({ ttl_ms: z.number(), hit: z.boolean() }),
  })
  .meta({ title: 'PlatformMetrics' });

const route = routeOf<AnalyticsRouteDeps>('ops');

/** Platform KPIs and Treasury totals: the admin Bearer token; any other token is 403 (a user's, a wrong one), none 401. */
export const ANALYTICS_ROUTES = [
  route('GET /api/admin/metrics', {
    operationId: 'opsMetrics',
    summary: 'Platform KPIs over a range (query `range`, e.g. 7d), for the /ops dashboard. A token that is not ADMIN_TOKEN is 403.',
    auth: 'admin',
    query: z.object({ range: z.string().optional().meta({ description: '1d–90d or 1h–72h; default 7d.' }) }),
    responses: { 200: { description: 'The KPIs.', schema: platformMetricsSchema } },
    errors: ['FORBIDDEN'],
    handler: async ({ query }, { metrics }) => metrics.get(query.range ?? null),
  }),
  route('GET /api/admin/treasury/{subject}/{entityId}', {
    operationId: 'opsTreasury',
    summary:
      'Treasury, for reconciling payouts: money spent and earned by a user, or spent on and earned by an artist or a Concierto event (`subject` user, artist or event), per currency in integer minor units: all time and the last 30 and 7 UTC days.',
    auth: 'admin',
    params: z.object({ subject: z.enum(MONEY_SUBJECTS as [MoneySubject, ...MoneySubject[]]), entityId: z.string() }),
    responses: { 200: { description: 'The totals.', schema: treasurySchema } },
    errors: ['FORBIDDEN'],
    servedWhen: (d) => d.treasury !== undefined,
    handler: async ({ params: { subject, entityId: id } }, { treasury, now }) => {
      if (subject === 'user' ? !UUID.test(id) : !isValidId(id))
        throw new ValidationError(`entityId must be ${subject === 'user' ? 'a user id (UUID)' : 'an id: 1–200 characters without whitespace'}`, [
          { field: 'entityId', message: 'is not one' },
        ]);
      return readTreasury(treasury!, subject, subject === 'user' ? id.toLowerCase() : id, now());
    },
  }),
];

export const analyticsRoutes = (metrics: PlatformMetrics, adminToken: string | undefined, treasury?: Sql, now: () => number = Date.now): Route[] =>
  mount(ANALYTICS_ROUTES, { metrics, admin: adminGate(adminToken, { wrongTokenForbidden: true }), treasury, now });
