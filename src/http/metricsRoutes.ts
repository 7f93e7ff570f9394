import { gzipSync } from 'node:zlib';
import type { Metrics } from '../metrics.js';
import { adminGate, type AdminGate } from './authGates.js';
import { NotFoundError } from './errors.js';
import { mount, reply, routeOf, type Route } from './route.js';

const route = routeOf<{ metrics: Pick<Metrics, 'registry'>; admin: AdminGate }>('ops');

/** `GET /metrics` in the Prometheus text format, behind `Authorization: Bearer <ADMIN_TOKEN>`. */
export const METRICS_ROUTES = [
  route('GET /metrics', {
    operationId: 'prometheusMetrics',
    summary: 'Prometheus metrics (gzip when asked). Without ADMIN_TOKEN the route answers 404 saying how to enable it.',
    auth: 'admin',
    responses: { 200: { description: 'The Prometheus text format.', contentType: 'text/plain' } },
    errors: ['NOT_FOUND'],
    handler: async ({ request }, { metrics }) => {
      const text = await metrics.registry.metrics();
      const headers = { 'content-type': metrics.registry.contentType, vary: 'accept-encoding' };
      // Gzip (Prometheus and fetch ask for it) keeps the scrape to a few KiB of the ~17 KiB text.
      if (/\bgzip\b/.test(request.headers.get('accept-encoding') ?? ''))
        return reply(200, new Uint8Array(gzipSync(text)), { ...headers, 'content-encoding': 'gzip' });
      return reply(200, text, headers);
    },
  }),
];

const DISABLED = 'metrics are disabled: set ADMIN_TOKEN (at least 16 characters) and scrape GET /metrics with Authorization: Bearer <ADMIN_TOKEN>';

export const metricsRoutes = (metrics: Pick<Metrics, 'registry'>, adminToken: string | undefined): Route[] =>
  mount(METRICS_ROUTES, { metrics, admin: adminGate(adminToken, { off: new NotFoundError(DISABLED) }) });
