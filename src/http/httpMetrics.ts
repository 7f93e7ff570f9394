/** HTTP latency and status per route pattern (a bounded label set), read back by /api/admin/metrics as p95 and error rates. */
import { Histogram, type Registry } from 'prom-client';
import { ERROR_RATE_ALERT, errorRate, histogramQuantile } from '../../systems/analytics/platformKpis.js';
import { API_LATENCY_BOUNDS_SEC } from '../../systems/analytics/apiStats.js';

/** Seconds: an HTTP read answered from cache is sub-millisecond, a report may take seconds (the durable per-range rows use the same bounds). */
const HTTP_BUCKETS = API_LATENCY_BOUNDS_SEC;

/** Sees each observed request too (the durable per-range statistics): `endpoint` is "METHOD /route/pattern". */
export type HttpObserver = (endpoint: string, status: number, seconds: number) => void;

export interface ApiEndpointStats {
  endpoint: string;
  requests: number;
  avg_ms: number | null;
  p95_ms: number | null;
  server_errors: number;
  client_errors: number;
  error_rate: number | null;
  /** More than 1 % 5xx. */
  alert: boolean;
}

export type HttpMetrics = ReturnType<typeof createHttpMetrics>;

const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;
const ms = (s: number | null): number | null => (s === null ? null : Math.round(s * 1000 * 100) / 100);

export function createHttpMetrics(registry: Registry) {
  const existing = registry.getSingleMetric('ds_http_request_duration_seconds') as Histogram<'endpoint' | 'status_class'> | undefined;
  const histogram =
    existing ??
    new Histogram({
      name: 'ds_http_request_duration_seconds',
      help: 'HTTP API request duration by route pattern and status class',
      labelNames: ['endpoint', 'status_class'] as const,
      buckets: HTTP_BUCKETS,
      registers: [registry],
    });
  const observers: HttpObserver[] = [];
  return {
    observe: (route: string, method: string, status: number, seconds: number) => {
      if (!Number.isFinite(seconds) || seconds < 0) return;
      const endpoint = `${method} ${route}`;
      histogram.observe({ endpoint, status_class: statusClass(status) }, seconds);
      for (const o of observers) o(endpoint, status, seconds);
    },
    /** Adds an observer of every request observed from now on. */
    tap: (observer: HttpObserver) => void observers.push(observer),
    /** Per endpoint since process start, slowest p95 first. */
    snapshot: async (): Promise<ApiEndpointStats[]> => {
      const data = await histogram.get();
      const per = new Map<string, { counts: number[]; sum: number; total: number; s5: number; s4: number }>();
      const bounds = [...HTTP_BUCKETS, Infinity];
      for (const v of data.values) {
        const endpoint = String(v.labels.endpoint);
        let e = per.get(endpoint);
        if (!e) per.set(endpoint, (e = { counts: bounds.map(() => 0), sum: 0, total: 0, s5: 0, s4: 0 }));
        if (v.metricName?.endsWith('_bucket')) {
          const raw = (v.labels as Record<string, string | number | undefined>).le;
          const le = raw === '+Inf' ? Infinity : Number(raw);
          e.counts[bounds.indexOf(le)] += v.value;
        } else if (v.metricName?.endsWith('_sum')) e.sum += v.value;
        else if (v.metricName?.endsWith('_count')) {
          e.total += v.value;
          if (v.labels.status_class === '5xx') e.s5 += v.value;
          if (v.labels.status_class === '4xx') e.s4 += v.value;
        }
      }
      const out: ApiEndpointStats[] = [...per].map(([endpoint, e]) => {
        const rate = errorRate(e.s5, e.total);
        return {
          endpoint,
          requests: e.total,
          avg_ms: e.total > 0 ? ms(e.sum / e.total) : null,
          p95_ms: ms(histogramQuantile(0.95, { bounds, counts: e.counts })),
          server_errors: e.s5,
          client_errors: e.s4,
          error_rate: rate,
          alert: rate !== null && rate > ERROR_RATE_ALERT,
        };
      });
      return out.sort((a, b) => (b.p95_ms ?? 0) - (a.p95_ms ?? 0) || a.endpoint.localeCompare(b.endpoint));
    },
  };
}
