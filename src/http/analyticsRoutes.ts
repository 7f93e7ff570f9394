import { z } from 'zod';
import type { PlatformMetrics } from '../../features/analytics/platformMetrics.js';
import { bearerToken, secretsEqual } from '../../features/auth/adminToken.js';
import { json, ValidationError, type Route } from './router.js';
import type { TreasuryRepository } from '../../features/analytics/treasury.js';
import { readTreasury } from '../../features/analytics/treasury.js';
import { MONEY_SUBJECTS } from '../../systems/analytics/treasury.js';
import type { MoneySubject } from '../../systems/leaderboard/countingRules.js';
import { isValidId } from '../../systems/leaderboard/windows.js';
import { declareRoutes, mountRoutes } from './declare.js';

const NO_STORE = { 'cache-control': 'no-store' };

interface AnalyticsRouteDeps {
  metrics: PlatformMetrics;
  adminToken: string | undefined;
  /** Absent: no Treasury route (tests of the metrics alone). */
  treasury?: TreasuryRepository;
  now: () => number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const byCurrency = z.record(z.string(), z.number());
const moneyTotals = z.object({ allTime: byCurrency, last30Days: byCurrency, last7Days: byCurrency });

/** `GET /api/admin/treasury/{subject}/{entityId}` 200. */
export const treasurySchema = z
  .object({
    subject: z.enum(MONEY_SUBJECTS as [MoneySubject, ...MoneySubject[]]),
    id: z.string(),
    generatedAt: z.string(),
    spent: moneyTotals,
    earned: moneyTotals,
  })
  .meta({ title: 'TreasuryTotals' });

/** A path segment as sent when it is not valid percent-encoding (then it fails the id check). */
function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The admin gate of these routes: 503 without ADMIN_TOKEN, 401 without a token, 403 for any other token; null when it passes. */
function gate(request: Request, adminToken: string | undefined, what: string): Response | null {
  if (!adminToken)
    return json({ error: 'OPS_DISABLED', message: `${what} are off: start the server with ADMIN_TOKEN (at least 16 characters)` }, 503, NO_STORE);
  const token = bearerToken(request);
  if (token === null)
    return json({ error: 'UNAUTHORIZED', message: 'send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"' }, 401, {
      'www-authenticate': 'Bearer realm="admin"',
      ...NO_STORE,
    });
  if (!secretsEqual(token, adminToken))
    return json({ error: 'FORBIDDEN', message: `this token is not the admin token; ${what} need ADMIN_TOKEN` }, 403, NO_STORE);
  return null;
}

/**
 * GET /api/admin/metrics?range=7d (seed 000 step 17). Admin Bearer token: none → 401, any other token
 * (a user's, a wrong one) → 403; without ADMIN_TOKEN the route answers 503 OPS_DISABLED like the ops API.
 */
export const ANALYTICS_ROUTES = declareRoutes<AnalyticsRouteDeps>()([
  {
    operationId: 'opsMetrics',
    method: 'GET',
    path: '/api/admin/metrics',
    tag: 'ops',
    summary: 'Platform KPIs over a range (query `range`, e.g. 7d; seed 000 step 17). A token that is not ADMIN_TOKEN is 403.',
    auth: 'admin',
    responses: {
      200: { description: 'The KPIs.', title: 'PlatformMetrics', schema: z.looseObject({ range: z.unknown() }).meta({ title: 'PlatformMetrics' }) },
    },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN'],
    handler: async ({ request, query }, { metrics, adminToken }) =>
      gate(request, adminToken, 'platform metrics') ?? json(await metrics.get(query.get('range')), 200, NO_STORE),
  },
  {
    operationId: 'opsTreasury',
    method: 'GET',
    path: '/api/admin/treasury/{subject}/{entityId}',
    tag: 'ops',
    summary:
      'Treasury (seed 003): money spent and earned by a user, or spent on and earned by an artist or a Concierto event (`subject` user, artist or event), per currency in integer minor units: all time and the last 30 and 7 UTC days.',
    auth: 'admin',
    responses: { 200: { description: 'The totals.', title: 'TreasuryTotals', schema: treasurySchema } },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN'],
    servedWhen: (d) => d.treasury !== undefined,
    handler: async ({ request, params }, { treasury, adminToken, now }) => {
      const refused = gate(request, adminToken, 'treasury totals');
      if (refused) return refused;
      const subject = params.subject ?? '';
      const id = decoded(params.entityId ?? '');
      if (!(MONEY_SUBJECTS as string[]).includes(subject))
        throw new ValidationError('subject must be user, artist or event', [{ field: 'subject', message: `must be one of ${MONEY_SUBJECTS.join(', ')}` }]);
      if (subject === 'user' ? !UUID.test(id) : !isValidId(id))
        throw new ValidationError(`entityId must be ${subject === 'user' ? 'a user id (UUID)' : 'an id: 1–200 characters without whitespace'}`, [
          { field: 'entityId', message: 'is not one' },
        ]);
      return json(await readTreasury(treasury!, subject as MoneySubject, subject === 'user' ? id.toLowerCase() : id, now()), 200, NO_STORE);
    },
  },
]);

/** The platform metrics and Treasury routes, served. */
export function analyticsRoutes(
  metrics: PlatformMetrics,
  adminToken: string | undefined,
  treasury?: TreasuryRepository,
  now: () => number = Date.now,
): Route[] {
  return mountRoutes(ANALYTICS_ROUTES, { metrics, adminToken, treasury, now });
}
