/**
 * API statistics per route pattern and minute (counts, summed latency, a histogram), accumulated in memory and
 * flushed as rows. At most `maxRoutes` named endpoints per flush; the rest fold into OTHER_ENDPOINT, so the table
 * cannot grow without end.
 */
import { round } from '../numbers.js';
import { ERROR_RATE_ALERT, errorRate, histogramQuantile } from './platformKpis.js';

/** Upper bounds in seconds (the Prometheus histogram's), +Inf implied last. */
export const API_LATENCY_BOUNDS_SEC = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const OTHER_ENDPOINT = '(other routes)';
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** One bucket of one endpoint: counts and a non-cumulative histogram (one slot per bound, +Inf last). */
export interface ApiStatsRow {
  period: 'minute' | 'hour';
  bucketStart: number;
  endpoint: string;
  requests: number;
  clientErrors: number;
  serverErrors: number;
  sumMs: number;
  counts: number[];
}

export function createApiStatsAccumulator(maxRoutes: number) {
  return { rows: new Map<string, ApiStatsRow>(), endpoints: new Set<string>(), maxRoutes };
}
export type ApiStatsAccumulator = ReturnType<typeof createApiStatsAccumulator>;

/** The row of `endpoint` in the bucket, made empty when new (or undefined when `full`). */
function rowOf(rows: Map<string, ApiStatsRow>, period: ApiStatsRow['period'], bucketStart: number, endpoint: string, full = false): ApiStatsRow | undefined {
  const key = `${bucketStart}|${endpoint}`;
  let row = rows.get(key);
  if (!row && !full) {
    const counts = new Array<number>(API_LATENCY_BOUNDS_SEC.length + 1).fill(0);
    rows.set(key, (row = { period, bucketStart, endpoint, requests: 0, clientErrors: 0, serverErrors: 0, sumMs: 0, counts }));
  }
  return row;
}

function addInto(target: ApiStatsRow, source: Omit<ApiStatsRow, 'period' | 'bucketStart' | 'endpoint'>): void {
  target.requests += source.requests;
  target.clientErrors += source.clientErrors;
  target.serverErrors += source.serverErrors;
  target.sumMs += source.sumMs;
  for (let i = 0; i < target.counts.length; i++) target.counts[i] += source.counts[i] ?? 0;
}

/** The endpoint a new observation counts under: its own while fewer than `maxRoutes` are held, else OTHER_ENDPOINT. */
function boundedEndpoint(acc: ApiStatsAccumulator, endpoint: string): string {
  if (acc.endpoints.has(endpoint)) return endpoint;
  if (acc.endpoints.size >= acc.maxRoutes) return OTHER_ENDPOINT;
  acc.endpoints.add(endpoint);
  return endpoint;
}

export function observeApiRequest(acc: ApiStatsAccumulator, endpoint: string, status: number, seconds: number, atMs: number): void {
  if (!Number.isFinite(seconds) || seconds < 0 || !Number.isFinite(atMs)) return;
  const row = rowOf(acc.rows, 'minute', Math.floor(atMs / MINUTE_MS) * MINUTE_MS, boundedEndpoint(acc, endpoint))!;
  row.requests += 1;
  if (status >= 500) row.serverErrors += 1;
  else if (status >= 400) row.clientErrors += 1;
  row.sumMs += seconds * 1000;
  const slot = API_LATENCY_BOUNDS_SEC.findIndex((le) => seconds <= le);
  row.counts[slot === -1 ? API_LATENCY_BOUNDS_SEC.length : slot] += 1;
}

export function drainApiStats(acc: ApiStatsAccumulator): ApiStatsRow[] {
  const rows = [...acc.rows.values()];
  acc.rows.clear();
  acc.endpoints.clear();
  return rows;
}

/** Puts rows a failed flush could not write back, keeping at most `maxRows` (the newest); returns how many were dropped. */
export function restoreApiStats(acc: ApiStatsAccumulator, rows: ApiStatsRow[], maxRows: number): number {
  const sorted = [...rows].sort((a, b) => b.bucketStart - a.bucketStart);
  let dropped = 0;
  for (const r of sorted) {
    const row = rowOf(acc.rows, 'minute', r.bucketStart, boundedEndpoint(acc, r.endpoint), acc.rows.size >= maxRows);
    if (row) addInto(row, r);
    else dropped += r.requests;
  }
  return dropped;
}

/** One write per hour keeps long ranges cheap to read. */
export function hourRowsOf(minuteRows: ApiStatsRow[]): ApiStatsRow[] {
  const hours = new Map<string, ApiStatsRow>();
  for (const r of minuteRows) addInto(rowOf(hours, 'hour', Math.floor(r.bucketStart / HOUR_MS) * HOUR_MS, r.endpoint)!, r);
  return [...hours.values()];
}

/** Minute buckets up to `minuteRetentionMs`, hours beyond. */
export function periodForRange(rangeMs: number, minuteRetentionMs: number): ApiStatsRow['period'] {
  return rangeMs <= minuteRetentionMs ? 'minute' : 'hour';
}

/** p95/p99 are interpolated in the histogram. */
export function apiRangeStats(endpoint: string, sum: Omit<ApiStatsRow, 'period' | 'bucketStart' | 'endpoint'>) {
  const bounds = [...API_LATENCY_BOUNDS_SEC, Infinity];
  const cumulative: number[] = [];
  sum.counts.reduce((acc, c, i) => (cumulative[i] = acc + c), 0);
  const q = (p: number): number | null => {
    const s = histogramQuantile(p, { bounds, counts: cumulative });
    return s === null ? null : round(s * 1000, 2);
  };
  const rate = errorRate(sum.serverErrors, sum.requests);
  return {
    endpoint,
    requests: sum.requests,
    avg_ms: sum.requests > 0 ? round(sum.sumMs / sum.requests, 2) : null,
    p95_ms: q(0.95),
    p99_ms: q(0.99),
    server_errors: sum.serverErrors,
    client_errors: sum.clientErrors,
    error_rate: rate,
    // More than 1 % 5xx.
    alert: rate !== null && rate > ERROR_RATE_ALERT,
  };
}
export type ApiRangeStats = ReturnType<typeof apiRangeStats>;
