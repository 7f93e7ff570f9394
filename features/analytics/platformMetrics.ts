/**
 * GET /api/admin/metrics: platform KPIs over a range. Whole answers are cached per range and concurrent misses share
 * one computation, so a dashboard polled by many operators costs one set of queries per TTL.
 */
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { dailyRowSchema, minutesSeconds, parseMetricsRange, platformKpis } from '../../systems/analytics/platformKpis.js';
import type { PlatformMetricsRepository } from '../../persistence/analytics/PlatformMetricsRepository.js';
import type { ApiStatsRepository } from '../../persistence/analytics/ApiStatsRepository.js';
import { bottleneckStations } from '../../systems/analytics/bottlenecks.js';
import { apiRangeStats, periodForRange, type ApiRangeStats } from '../../systems/analytics/apiStats.js';

/** Rows in each top list. */
const SEED_TOP_ROWS = 10;

/** What the HTTP metrics expose since this process started (src/http/httpMetrics.ts). */
export interface ApiStatsSource {
  snapshot(): Promise<Array<Omit<ApiRangeStats, 'p99_ms'>>>;
}

export interface PlatformMetricsOptions {
  repo: PlatformMetricsRepository;
  api?: ApiStatsSource;
  /** The durable per-range API statistics (api_request_stats); without it the API block is since start only. */
  apiRanges?: Pick<ApiStatsRepository, 'range'>;
  /** Ranges up to this read minute buckets, longer ones hour buckets (API_STATS_MINUTE_RETENTION_HOURS). */
  apiMinuteRetentionMs: number;
  /** A visit's duration is capped here (ADMIN_METRICS_DWELL_CAP_SEC): an app left open is not an hour of listening. */
  dwellCapSeconds: number;
  now?: () => number;
  cacheTtlMs: number;
  cacheMaxEntries: number;
}

const num = z.number().nullable();
const goal = { goal: z.number(), status: z.enum(['Exceeding goal', 'Meeting goal', 'Below goal', 'No data']) };
const apiRow = {
  endpoint: z.string(),
  requests: z.number(),
  avg_ms: num,
  p95_ms: num,
  p99_ms: num.optional(),
  server_errors: z.number(),
  client_errors: z.number(),
  error_rate: num,
  alert: z.boolean(),
};

/** GET /api/admin/metrics 200. */
export const platformMetricsSchema = z
  .object({
    period: z.string(),
    range: z.object({ from: z.string(), to: z.string() }),
    generated_at: z.string(),
    user_metrics: z.object({
      total_users: z.number(),
      new_users: z.number(),
      daily_active_users: z.number(),
      total_sessions: z.number(),
      avg_session_duration_minutes: num,
      session_duration_lift_vs_benchmark: z.string().nullable(),
      benchmark_minutes: z.number(),
    }),
    engagement_kpis: z.object({
      interaction_depth: z.object({ avg_orbs_per_session: num, ...goal, distribution: z.record(z.string(), z.number()) }),
      sensor_engagement: z.object({ percentage: num, ...goal }),
      constellation_growth: z.object({ capture_rate: num, avg_captures_per_user: num, total_captures: z.number() }),
    }),
    content_performance: z.object({
      top_artists: z.array(
        z.object({
          id: z.string(),
          name: z.string().nullable(),
          count: z.number(),
          visits: z.number(),
          /** m:ss ("3:42"), null when no visit of the artist could be measured. */
          avg_time_spent: z.string().nullable(),
          avg_time_spent_seconds: num,
          /** Visits with a measured duration (a next visit or the session's end followed). */
          measured_visits: z.number(),
        }),
      ),
      top_orbs: z.array(z.object({ id: z.string(), from: z.string(), to: z.string(), name: z.string().nullable(), clicks: z.number() })),
      bottlenecks: z.array(
        z.object({ id: z.string(), name: z.string().nullable(), visits: z.number(), orbTaps: z.number(), captures: z.number(), avg_interactions: z.number() }),
      ),
    }),
    daily: z.array(dailyRowSchema),
    technical_performance: z.object({
      // One endpoint over the range, with this process's figures since it started beside it.
      endpoints: z.array(z.object({ ...apiRow, since_start: z.object({ requests: z.number(), p95_ms: num }).nullable() })),
      bucket: z.enum(['minute', 'hour']).nullable(),
      note: z.string(),
    }),
    cache: z.object({ ttl_ms: z.number(), hit: z.boolean() }),
  })
  .meta({ title: 'PlatformMetrics' });

export type PlatformMetricsReport = z.output<typeof platformMetricsSchema>;
type TopArtistRow = PlatformMetricsReport['content_performance']['top_artists'][number];
type ApiEndpointRow = PlatformMetricsReport['technical_performance']['endpoints'][number];

export class PlatformMetrics {
  private readonly cache: LRUCache<string, { at: number; value: Promise<PlatformMetricsReport> }>;
  private readonly now: () => number;

  constructor(private readonly options: PlatformMetricsOptions) {
    this.now = options.now ?? Date.now;
    this.cache = new LRUCache({ max: options.cacheMaxEntries });
  }

  /** The report for `?range=` (validated: 400 with details), cached. */
  async get(rawRange: string | null): Promise<PlatformMetricsReport> {
    const range = parseMetricsRange(rawRange);
    const key = String(range.ms);
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.options.cacheTtlMs) return { ...(await hit.value), cache: { ttl_ms: this.options.cacheTtlMs, hit: true } };
    const value = this.compute(range.label, range.ms, now);
    this.cache.set(key, { at: now, value });
    // A failed computation must not be served from cache.
    value.catch(() => this.cache.get(key)?.value === value && this.cache.delete(key));
    return value;
  }

  private async compute(label: string, ms: number, now: number): Promise<PlatformMetricsReport> {
    const to = new Date(now);
    const from = new Date(now - ms);
    const [aggregate, daily, artists, orbs, api, engagement] = await Promise.all([
      this.options.repo.sessionAggregate(from, to),
      this.options.repo.daily(from, to),
      this.topArtists(from, to, SEED_TOP_ROWS),
      this.options.repo.topFromRollups('orb_transition', 'transitions', from, to, SEED_TOP_ROWS),
      this.apiBlock(ms, from, to),
      // The most visited stations are where a bottleneck matters; 200 bounds the read on a large catalog.
      this.options.repo.stationEngagement(from, to, 200),
    ]);
    return {
      period: label,
      range: { from: from.toISOString(), to: to.toISOString() },
      generated_at: to.toISOString(),
      ...platformKpis(aggregate),
      content_performance: {
        top_artists: artists,
        top_orbs: orbs.map((o) => {
          const [fromId, toId] = o.id.split('>');
          return { id: o.id, from: fromId, to: toId, name: o.name, clicks: o.count };
        }),
        bottlenecks: bottleneckStations(engagement, SEED_TOP_ROWS),
      },
      daily,
      technical_performance: api,
      cache: { ttl_ms: this.options.cacheTtlMs, hit: false },
    };
  }

  /** Most visited artists: visits from the rollups, avg_time_spent from the passport's visit sequence. */
  private async topArtists(from: Date, to: Date, limit: number): Promise<TopArtistRow[]> {
    const top = await this.options.repo.topFromRollups('artist', 'station_visits', from, to, limit);
    const ids = top.map((a) => a.id);
    const dwell = await this.options.repo.avgTimeSpent(ids, from, to, this.options.dwellCapSeconds);
    return top.map((a) => {
      const d = dwell.get(a.id);
      const seconds = d ? Math.round(d.avgSeconds * 10) / 10 : null;
      return { ...a, visits: a.count, avg_time_spent: minutesSeconds(seconds), avg_time_spent_seconds: seconds, measured_visits: d?.measured ?? 0 };
    });
  }

  /** Per endpoint over the range from api_request_stats, slowest p95 first, with the since-start figures beside. */
  private async apiBlock(rangeMs: number, from: Date, to: Date): Promise<PlatformMetricsReport['technical_performance']> {
    const since = (await this.options.api?.snapshot()) ?? [];
    const sinceOf = new Map(since.map((e) => [e.endpoint, { requests: e.requests, p95_ms: e.p95_ms }]));
    if (!this.options.apiRanges) {
      const endpoints = since.map((e) => ({ ...e, p99_ms: null, since_start: sinceOf.get(e.endpoint) ?? null }));
      return { endpoints, bucket: null, note: 'no durable API statistics here: since this process started, not the range' };
    }
    const period = periodForRange(rangeMs, this.options.apiMinuteRetentionMs);
    const rows = await this.options.apiRanges.range(period, from, to);
    const endpoints: ApiEndpointRow[] = rows.map((r) => ({ ...apiRangeStats(r.endpoint, r), since_start: sinceOf.get(r.endpoint) ?? null }));
    const seen = new Set(endpoints.map((e) => e.endpoint));
    // Requests this process has not flushed yet still show in the since-start column.
    for (const e of since)
      if (!seen.has(e.endpoint))
        endpoints.push({
          ...apiRangeStats(e.endpoint, { requests: 0, clientErrors: 0, serverErrors: 0, sumMs: 0, counts: [] }),
          since_start: sinceOf.get(e.endpoint) ?? null,
        });
    endpoints.sort((a, b) => (b.p95_ms ?? 0) - (a.p95_ms ?? 0) || b.requests - a.requests || a.endpoint.localeCompare(b.endpoint));
    return {
      endpoints,
      bucket: period,
      note: `the range from api_request_stats (${period} buckets, every process, flushed periodically); since_start: this process since it started`,
    };
  }
}
