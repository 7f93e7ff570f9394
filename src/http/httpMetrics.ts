/** HTTP latency and status per route pattern (a bounded label set), read back by /api/admin/metrics as p95 and error rates. */
import { Histogram, type Registry } from 'prom-client';
import { API_LATENCY_BOUNDS_SEC, apiRangeStats, type ApiRangeStats, type ApiStatsRow } from '../../systems/analytics/apiStats.js';

/** Seconds: an HTTP read answered from cache is sub-millisecond, a report may take seconds (the durable per-range rows use the same bounds). */
const HTTP_BUCKETS = API_LATENCY_BOUNDS_SEC;

/** Sees each observed request too (the durable per-range statistics): `endpoint` is "METHOD /route/pattern". */
export type HttpObserver = (endpoint: string, status: number, seconds: number) => void;

const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;

export function createHttpMetrics(registry: Registry) {
  const histogram = new Histogram({
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
    tap: (observer: HttpObserver) => void observers.push(observer),
    /** Per endpoint since process start, slowest p95 first. */
    snapshot: async (): Promise<ApiRangeStats[]> => {
      const per = new Map<string, Omit<ApiStatsRow, 'period' | 'bucketStart' | 'endpoint'>>();
      for (const v of (await histogram.get()).values) {
        const endpoint = String(v.labels.endpoint);
        let e = per.get(endpoint);
        if (!e) per.set(endpoint, (e = { requests: 0, clientErrors: 0, serverErrors: 0, sumMs: 0, counts: [...HTTP_BUCKETS, Infinity].map(() => 0) }));
        if (v.metricName?.endsWith('_bucket')) {
          const le = (v.labels as Record<string, string | number | undefined>).le;
          e.counts[le === '+Inf' ? HTTP_BUCKETS.length : HTTP_BUCKETS.indexOf(Number(le))] += v.value;
        } else if (v.metricName?.endsWith('_sum')) e.sumMs += v.value * 1000;
        else if (v.metricName?.endsWith('_count')) {
          e.requests += v.value;
          if (v.labels.status_class === '5xx') e.serverErrors += v.value;
          if (v.labels.status_class === '4xx') e.clientErrors += v.value;
        }
      }
      // Prometheus's buckets are cumulative, a stats row's are not.
      const out = [...per].map(([endpoint, e]) => apiRangeStats(endpoint, { ...e, counts: e.counts.map((c, i) => c - (e.counts[i - 1] ?? 0)) }));
      return out.sort((a, b) => (b.p95_ms ?? 0) - (a.p95_ms ?? 0) || a.endpoint.localeCompare(b.endpoint));
    },
  };
}
