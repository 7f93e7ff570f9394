import { z } from 'zod';
import type { PlatformMetrics } from '../../features/analytics/platformMetrics.js';
import { adminGate, type AdminGate } from './authGates.js';
import type { TreasuryRepository } from '../../persistence/analytics/TreasuryRepository.js';
import { readTreasury } from '../../features/analytics/treasury.js';
import { MONEY_SUBJECTS } from '../../systems/analytics/treasury.js';
import type { MoneySubject } from '../../systems/leaderboard/countingRules.js';
import { isValidId } from '../../systems/leaderboard/leaderboards.js';
import { ValidationError } from './errors.js';
import { mount, routeOf, type Route } from './route.js';

interface AnalyticsRouteDeps {
  metrics: PlatformMetrics;
  admin: AdminGate;
  /** Absent: no Treasury route (tests of the metrics alone). */
  treasury?: TreasuryRepository;
  now: () => number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const byCurrency = z.record(z.string(), z.number());
const moneyTotals = z.object({ allTime: byCurrency, last30Days: byCurrency, last7Days: byCurrency });

export const treasurySchema = z
  .object({
    subject: z.enum(MONEY_SUBJECTS as [MoneySubject, ...MoneySubject[]]),
    id: z.string(),
    generatedAt: z.string(),
    spent: moneyTotals,
    earned: moneyTotals,
  })
  .meta({ title: 'TreasuryTotals' });

const route = routeOf<AnalyticsRouteDeps>();

/** Platform KPIs and Treasury totals: the admin Bearer token; any other token is 403 (a user's, a wrong one), none 401. */
export const ANALYTICS_ROUTES = [
  route({
    operationId: 'opsMetrics',
    method: 'GET',
    path: '/api/admin/metrics',
    tag: 'ops',
    summary: 'Platform KPIs over a range (query `range`, e.g. 7d; seed 000 step 17). A token that is not ADMIN_TOKEN is 403.',
    auth: 'admin',
    query: z.object({ range: z.string().optional().meta({ description: '1d–90d or 1h–72h; default 7d.' }) }),
    responses: { 200: { description: 'The KPIs.', schema: z.looseObject({ range: z.unknown() }).meta({ title: 'PlatformMetrics' }) } },
    errors: ['FORBIDDEN'],
    handler: async ({ query }, { metrics }) => metrics.get(query.range ?? null),
  }),
  route({
    operationId: 'opsTreasury',
    method: 'GET',
    path: '/api/admin/treasury/{subject}/{entityId}',
    tag: 'ops',
    summary:
      'Treasury (seed 003): money spent and earned by a user, or spent on and earned by an artist or a Concierto event (`subject` user, artist or event), per currency in integer minor units: all time and the last 30 and 7 UTC days.',
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

export const analyticsRoutes = (
  metrics: PlatformMetrics,
  adminToken: string | undefined,
  treasury?: TreasuryRepository,
  now: () => number = Date.now,
): Route[] => mount(ANALYTICS_ROUTES, { metrics, admin: adminGate(adminToken, { wrongTokenForbidden: true }), treasury, now });
