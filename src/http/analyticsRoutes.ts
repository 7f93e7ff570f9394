import { z } from 'zod';
import { platformMetricsSchema, type PlatformMetrics } from '../../features/analytics/platformMetrics.js';
import { adminGate, type AdminGate } from './authGates.js';
import { readTreasury } from '../../features/analytics/treasury.js';
import type { Sql } from '../../persistence/db.js';
import { MONEY_SUBJECTS, moneyTotalsSchema } from '../../systems/analytics/treasury.js';
import type { MoneySubject } from '../../systems/leaderboard/countingRules.js';
import { isValidId } from '../../systems/leaderboard/windows.js';
import { UUID_RE } from '../../systems/passport/index.js';
import { ValidationError } from './errors.js';
import { mount, routeOf, type Route } from './route.js';

interface AnalyticsRouteDeps {
  metrics: PlatformMetrics;
  admin: AdminGate;
  /** Where the money rollups are read; absent: no Treasury route (tests of the metrics alone). */
  treasury?: Sql;
  now: () => number;
}

const subject = z.enum(MONEY_SUBJECTS as [MoneySubject, ...MoneySubject[]]);
export const treasurySchema = z
  .object({
    subject,
    id: z.string(),
    generatedAt: z.string(),
    spent: moneyTotalsSchema,
    earned: moneyTotalsSchema,
  })
  .meta({ title: 'TreasuryTotals' });

const route = routeOf<AnalyticsRouteDeps>('ops', 'admin');

/** Platform KPIs and Treasury totals: the admin Bearer token; any other token is 403 (a user's, a wrong one), none 401. */
export const ANALYTICS_ROUTES = [
  route('GET /api/admin/metrics', {
    operationId: 'opsMetrics',
    summary: 'Platform KPIs over a range (query `range`, e.g. 7d), for the /ops dashboard. A token that is not ADMIN_TOKEN is 403.',
    query: z.object({ range: z.string().optional().meta({ description: '1d–90d or 1h–72h; default 7d.' }) }),
    responses: { 200: { description: 'The KPIs.', schema: platformMetricsSchema } },
    errors: ['FORBIDDEN'],
    handler: async ({ query }, { metrics }) => metrics.get(query.range ?? null),
  }),
  route('GET /api/admin/treasury/{subject}/{entityId}', {
    operationId: 'opsTreasury',
    summary:
      'Treasury, for reconciling payouts: money spent and earned by a user, or spent on and earned by an artist or a Concierto event (`subject` user, artist or event), per currency in integer minor units: all time and the last 30 and 7 UTC days.',
    params: z.object({ subject, entityId: z.string() }),
    responses: { 200: { description: 'The totals.', schema: treasurySchema } },
    errors: ['FORBIDDEN'],
    servedWhen: (d) => d.treasury !== undefined,
    handler: async ({ params: { subject, entityId: id } }, { treasury, now }) => {
      if (subject === 'user' ? !UUID_RE.test(id) : !isValidId(id))
        throw new ValidationError(`entityId must be ${subject === 'user' ? 'a user id (UUID)' : 'an id: 1–200 characters without whitespace'}`, [
          { field: 'entityId', message: 'is not one' },
        ]);
      return readTreasury(treasury!, subject, subject === 'user' ? id.toLowerCase() : id, now());
    },
  }),
];

export const analyticsRoutes = (metrics: PlatformMetrics, adminToken: string | undefined, treasury?: Sql, now: () => number = Date.now): Route[] =>
  mount(ANALYTICS_ROUTES, { metrics, admin: adminGate(adminToken, { wrongTokenForbidden: true }), treasury, now });
