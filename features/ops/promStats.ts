import type { Registry } from 'prom-client';
import type { ProcessStatsInput } from './types.js';
import { histogramQuantile } from '../../systems/analytics/platformKpis.js';

/** One sample of a prom-client metric's `get()`. */
export interface MetricValue {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/** A metric's samples, null when it is not registered. */
export async function metricValues(registry: Registry, name: string): Promise<MetricValue[] | null> {
  const metric = registry.getSingleMetric(name);
  return metric ? ((await metric.get()) as { values: MetricValue[] }).values : null;
}

/** Cumulative histogram buckets summed over every label but `le`. */
export function bucketsOf(values: readonly MetricValue[], name: string): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const v of values) {
    if (v.metricName !== `${name}_bucket`) continue;
    const le = v.labels.le === '+Inf' ? Infinity : Number(v.labels.le);
    buckets.set(le, (buckets.get(le) ?? 0) + v.value);
  }
  return buckets;
}

/** The q-quantile between two cumulative snapshots, as its bucket's upper bound; null when nothing was observed. */
export function quantileBetween(previous: Map<number, number> | undefined, current: Map<number, number>, q: number): number | null {
  const bounds = [...current.keys()].sort((a, b) => a - b);
  const counts = bounds.map((le) => Math.max(0, (current.get(le) ?? 0) - (previous?.get(le) ?? 0)));
  return histogramQuantile(q, { bounds, counts }, false);
}

/**
 * Reads the metrics registry one metric at a time: never `registry.metrics()`, whose collect would reset the
 * scrape-window gauges Prometheus reads. Quantiles cover the time since the previous call.
 */
export function promStatsReader(registry: Registry): () => Promise<Pick<ProcessStatsInput, 'tickMsP99' | 'patchBytesTotal' | 'leaderboardLagMs'>> {
  const previous = new Map<string, Map<number, number>>();
  const quantileMs = async (name: string): Promise<number | null> => {
    const values = await metricValues(registry, name);
    if (!values) return null;
    const current = bucketsOf(values, name);
    const q = quantileBetween(previous.get(name), current, 0.99);
    previous.set(name, current);
    return q === null ? null : Math.round(q * 1000 * 100) / 100;
  };
  return async () => {
    const [tickMsP99, sent, leaderboardLagMs] = await Promise.all([
      quantileMs('ds_room_tick_duration_seconds'),
      metricValues(registry, 'ds_room_sent_bytes_total'),
      quantileMs('ds_leaderboard_update_lag_seconds'),
    ]);
    const patchBytesTotal = sent ? sent.filter((v) => v.labels.kind === 'patch').reduce((sum, v) => sum + v.value, 0) : null;
    return { tickMsP99, patchBytesTotal, leaderboardLagMs };
  };
}
