import { createHash, timingSafeEqual } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Metrics } from '../metrics.js';
import { json, type Route } from './router.js';
import { declareRoutes, mountRoutes } from './declare.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Constant-time comparison of a presented token with the configured one (hashing first equalises lengths). */
export function tokenMatches(presented: string | null | undefined, expected: string): boolean {
  return timingSafeEqual(digest(presented ?? ''), digest(expected)) && presented !== null && presented !== undefined;
}

/** The bearer token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | null): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1] : null;
}

interface MetricsRouteDeps {
  metrics: Pick<Metrics, 'registry'>;
  adminToken: string | undefined;
}

/**
 * `GET /metrics` in the Prometheus text format, behind `Authorization: Bearer <ADMIN_TOKEN>`.
 * Without ADMIN_TOKEN the route answers 404 saying how to enable it (admin surfaces are off).
 */
export const METRICS_ROUTES = declareRoutes<MetricsRouteDeps>()([
  {
    operationId: 'prometheusMetrics',
    method: 'GET',
    path: '/metrics',
    tag: 'ops',
    summary: 'Prometheus metrics (gzip when asked). Without ADMIN_TOKEN the route answers 404 saying how to enable it.',
    auth: 'admin',
    responses: { 200: { description: 'The Prometheus text format.', contentType: 'text/plain' } },
    errors: ['NOT_FOUND'],
    handler: async ({ request }, { metrics, adminToken }) => {
      if (!adminToken) {
        return json(
          {
            error: 'NOT_FOUND',
            message: 'metrics are disabled: set ADMIN_TOKEN (at least 16 characters) and scrape GET /metrics with Authorization: Bearer <ADMIN_TOKEN>',
          },
          404,
        );
      }
      if (!tokenMatches(bearerToken(request.headers.get('authorization')), adminToken)) {
        return json({ error: 'UNAUTHORIZED', message: 'send Authorization: Bearer <ADMIN_TOKEN>' }, 401, { 'www-authenticate': 'Bearer realm="metrics"' });
      }
      const text = await metrics.registry.metrics();
      const headers: Record<string, string> = { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store', vary: 'accept-encoding' };
      // Gzip (Prometheus and fetch ask for it) keeps the body to a few KiB: with the ws transport, the
      // router's Node adapter never ends a response whose single write hits the socket's 16 KiB
      // high-water mark (see the transport note in the load-test report), and /metrics is ~17 KiB raw.
      if (/\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')) {
        return new Response(gzipSync(text), { status: 200, headers: { ...headers, 'content-encoding': 'gzip' } });
      }
      return new Response(text, { status: 200, headers });
    },
  },
]);

/** The Prometheus route, served. */
export function metricsRoutes(metrics: Pick<Metrics, 'registry'>, adminToken: string | undefined): Route[] {
  return mountRoutes(METRICS_ROUTES, { metrics, adminToken });
}
