/**
 * GET /api/admin/metrics (seed 000 step 17): the platform KPIs over a range, from the session aggregates and
 * the coliseum rollups, plus the API's own latency and error rates. Whole answers are cached per range for
 * `cacheTtlMs` (at most `cacheMaxEntries` ranges, oldest evicted) and concurrent misses share one computation,
 * so a dashboard polled by many operators costs one set of queries per TTL.
 */
import { minutesSeconds, parseMetricsRange, platformKpis, type PlatformKpis } from '../../systems/analytics/platformKpis.js';
import type { DailyRow, PlatformMetricsRepository, TopRow } from '../../persistence/analytics/PlatformMetricsRepository.js';
import { bottleneckStations, type Bottleneck } from '../../systems/analytics/bottlenecks.js';

/** What the HTTP metrics expose (src/http/httpMetrics.ts). */
export interface ApiStatsSource {
  snapshot(): Promise<Array<{ endpoint: string; requests: number; p95_ms: number | null; error_rate: number | null; alert: boolean }>>;
}

export interface PlatformMetricsOptions {
  repo: PlatformMetricsRepository;
  api?: ApiStatsSource;
  now?: () => number;
  cacheTtlMs: number;
  cacheMaxEntries: number;
  /** Rows in each top list. Default 10 (the seed's LIMIT 10). */
  topLimit?: number;
  /** Longest a visit counts for in `avg_time_spent` (ADMIN_METRICS_VISIT_CAP_SEC). */
  visitCapSec: number;
}

export interface PlatformMetricsReport extends PlatformKpis {
  period: string;
  range: { from: string; to: string };
  generated_at: string;
  content_performance: { top_artists: Array<TopRow & { visits: number; avg_time_spent: string | null; avg_time_spent_sec: number | null; timed_visits: number }>; top_orbs: Array<{ id: string; from: string; to: string; name: string | null; clicks: number }>; bottlenecks: Bottleneck[] };
  daily: DailyRow[];
  technical_performance: { endpoints: Awaited<ReturnType<ApiStatsSource['snapshot']>>; note: string };
  cache: { ttl_ms: number; hit: boolean };
}

interface Entry {
  at: number;
  value: Promise<PlatformMetricsReport>;
}

export class PlatformMetrics {
  private readonly cache = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly options: PlatformMetricsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The report for `?range=` (validated: 400 with details), cached. */
  async get(rawRange: string | null): Promise<PlatformMetricsReport> {
    const range = parseMetricsRange(rawRange);
    const key = String(range.ms);
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.options.cacheTtlMs) return { ...(await hit.value), cache: { ttl_ms: this.options.cacheTtlMs, hit: true } };
    const value = this.compute(range.label, range.ms, now);
    this.cache.delete(key);
    this.cache.set(key, { at: now, value });
    while (this.cache.size > this.options.cacheMaxEntries) this.cache.delete(this.cache.keys().next().value as string);
    // A failed computation must not be served from cache.
    value.catch(() => this.cache.get(key)?.value === value && this.cache.delete(key));
    return value;
  }

  /** Drops every cached answer (tests, and after a manual re-aggregation). */
  clear(): void {
    this.cache.clear();
  }

  private async compute(label: string, ms: number, now: number): Promise<PlatformMetricsReport> {
    const to = new Date(now);
    const from = new Date(now - ms);
    const limit = this.options.topLimit ?? 10;
    const [aggregate, daily, artists, orbs, endpoints, engagement] = await Promise.all([
      this.options.repo.sessionAggregate(from, to),
      this.options.repo.daily(from, to),
      this.options.repo.topFromRollups('artist', 'station_visits', from, to, limit),
      this.options.repo.topFromRollups('orb_transition', 'transitions', from, to, limit),
      this.options.api?.snapshot() ?? Promise.resolve([]),
      // The most visited stations are where a bottleneck matters; 200 bounds the read on a large catalog.
      this.options.repo.stationEngagement(from, to, 200),
    ]);
    const dwell = await this.options.repo.visitDwell(from, to, artists.map((a) => a.id), this.options.visitCapSec);
    return {
      period: label,
      range: { from: from.toISOString(), to: to.toISOString() },
      generated_at: to.toISOString(),
      ...platformKpis(aggregate),
      content_performance: {
        top_artists: artists.map((a) => {
          const d = dwell.get(a.id);
          return { ...a, visits: a.count, avg_time_spent: d ? minutesSeconds(d.avgSec) : null, avg_time_spent_sec: d ? Math.round(d.avgSec * 10) / 10 : null, timed_visits: d?.timed ?? 0 };
        }),
        top_orbs: orbs.map((o) => {
          const [fromId, toId] = o.id.split('>');
          return { id: o.id, from: fromId, to: toId, name: o.name, clicks: o.count };
        }),
        bottlenecks: bottleneckStations(engagement, limit),
      },
      daily,
      technical_performance: { endpoints, note: 'since this process started (prom-client histogram ds_http_request_duration_seconds), not the range' },
      cache: { ttl_ms: this.options.cacheTtlMs, hit: false },
    };
  }
}
