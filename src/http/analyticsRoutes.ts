import { z } from 'zod';
import type { PlatformMetrics } from '../../features/analytics/platformMetrics.js';
import { bearerToken, secretsEqual } from '../../features/auth/adminToken.js';
import { json, type Route } from './router.js';
import { declareRoutes, mountRoutes } from './declare.js';

const NO_STORE = { 'cache-control': 'no-store' };

interface AnalyticsRouteDeps {
  metrics: PlatformMetrics;
  adminToken: string | undefined;
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
    handler: async ({ request, query }, { metrics, adminToken }) => {
      if (!adminToken)
        return json({ error: 'OPS_DISABLED', message: 'admin metrics are off: start the server with ADMIN_TOKEN (at least 16 characters)' }, 503, NO_STORE);
      const token = bearerToken(request);
      if (token === null)
        return json({ error: 'UNAUTHORIZED', message: 'send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"' }, 401, {
          'www-authenticate': 'Bearer realm="admin"',
          ...NO_STORE,
        });
      if (!secretsEqual(token, adminToken))
        return json({ error: 'FORBIDDEN', message: 'this token is not the admin token; platform metrics need ADMIN_TOKEN' }, 403, NO_STORE);
      return json(await metrics.get(query.get('range')), 200, NO_STORE);
    },
  },
]);

/** The platform metrics route, served. */
export function analyticsRoutes(metrics: PlatformMetrics, adminToken: string | undefined): Route[] {
  return mountRoutes(ANALYTICS_ROUTES, { metrics, adminToken });
}
