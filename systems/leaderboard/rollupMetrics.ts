/**
 * What the rollups answer besides the boards: per-entity metrics per bucket, derived from the additive counts.
 * avg_completion_rate = completions ÷ plays (≤ 1: a play begun in the previous bucket may finish in this one);
 * avg_dna_match = sum ÷ matched; unique listeners per day, week, month and all time, not per hour. Money stays
 * per currency. Also the KPI sparklines' sources and buckets, and the shape of a custom board (zod, kept out of the
 * browser pages, which import leaderboards.ts and windows.ts).
 */
import { DNA_MATCH_METRICS, DNA_MATCH_SCALE, KPI_RULES, moneyEntityType } from './countingRules.js';
import { KPI_TILES, type KpiKey } from './leaderboards.js';
import { z } from 'zod';
import { LEADERBOARD_WINDOWS, type LeaderboardWindow } from './windows.js';
import { bucketStart, PERIODS, type Period } from '../passport/periods.js';
/** Own metrics, then money per currency. */
const money = (subject: 'artist' | 'event') => ({ revenue_cents: moneyEntityType('spent', subject), earned_cents: moneyEntityType('earned', subject) });
export const ROLLUP_SUBJECTS: Record<
  'artist' | 'track' | 'event',
  { entityType: string; perCurrency: Partial<Record<'revenue_cents' | 'earned_cents', string>> }
> = {
  artist: { entityType: 'artist', perCurrency: money('artist') },
  track: { entityType: 'track', perCurrency: {} },
  event: { entityType: 'concierto_event', perCurrency: money('event') },
};
export type RollupSubject = keyof typeof ROLLUP_SUBJECTS;
export const ROLLUP_SUBJECT_KINDS = Object.keys(ROLLUP_SUBJECTS) as RollupSubject[];

const bucketMetricsSchema = z.object({
  plays: z.number(),
  unique_listeners: z.number().nullable(),
  completions: z.number(),
  avg_completion_rate: z.number().nullable(),
  shares: z.number(),
  link_opens: z.number(),
  votes: z.number(),
  attendance: z.number(),
  engagement: z.number(),
  revenue_cents: z.record(z.string(), z.number()),
  earned_cents: z.record(z.string(), z.number()),
  avg_dna_match: z.number().nullable(),
  dna_matched: z.number(),
});
export type BucketMetrics = z.infer<typeof bucketMetricsSchema>;

/** One entity's metrics per bucket: every bucket of the range, oldest first, zeros where nothing was counted. */
export const entityRollupsSchema = z
  .object({
    subject: z.enum(ROLLUP_SUBJECT_KINDS as [RollupSubject, ...RollupSubject[]]),
    entityId: z.string(),
    period: z.enum(PERIODS),
    buckets: z.array(z.object({ start: z.string(), metrics: bucketMetricsSchema })),
  })
  .meta({ title: 'EntityRollups' });
export type EntityRollups = z.infer<typeof entityRollupsSchema>;

/** The KPI sparklines: ISO bucket starts, oldest first, and per tile key one value per bucket. */
export const kpiSeriesSchema = z
  .object({
    window: z.enum(LEADERBOARD_WINDOWS),
    period: z.string(),
    buckets: z.array(z.string()),
    series: z.record(z.string(), z.array(z.number())),
  })
  .meta({ title: 'KpiSeries' });
export type KpiSeries = z.infer<typeof kpiSeriesSchema>;

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function bucketMetrics(
  period: Period,
  counts: ReadonlyMap<string, number>,
  money: { revenue_cents?: Map<string, number>; earned_cents?: Map<string, number> },
): BucketMetrics {
  const n = (metric: string): number => counts.get(metric) ?? 0;
  const plays = n('plays');
  const matched = n(DNA_MATCH_METRICS.count);
  return {
    plays,
    unique_listeners: period === 'hour' ? null : n('unique_listeners'),
    completions: n('completions'),
    avg_completion_rate: plays > 0 ? round3(Math.min(1, n('completions') / plays)) : null,
    shares: n('shares'),
    link_opens: n('link_opens'),
    votes: n('votes'),
    attendance: n('attendance'),
    engagement: n('engagement'),
    revenue_cents: Object.fromEntries(money.revenue_cents ?? []),
    earned_cents: Object.fromEntries(money.earned_cents ?? []),
    avg_dna_match: matched > 0 ? round3(n(DNA_MATCH_METRICS.sum) / DNA_MATCH_SCALE / matched) : null,
    dna_matched: matched,
  };
}

/** Oldest first (one for `all`). */
export function recentBuckets(period: Period, nowMs: number, count: number): number[] {
  if (period === 'all') return [0];
  const out: number[] = [];
  let at = bucketStart(period, nowMs);
  for (let i = 0; i < count; i++) {
    out.unshift(at);
    at = bucketStart(period, at - 1);
  }
  return out;
}

/** A counted tile sums the rollup of the rule feeding its KPI counter (`<counter>:<entity>` for a per-entity one). */
export const KPI_SERIES_SOURCES: Readonly<Partial<Record<KpiKey, { entityType: string; metric: string; entityId?: string }>>> = Object.freeze(
  Object.fromEntries(
    KPI_TILES.flatMap((tile) => {
      const [counter, entityId] = 'counter' in tile ? tile.counter.split(':') : [];
      const rule = KPI_RULES.find((r) => r.kpi.counter === counter);
      if (!rule) return [];
      const { entityType, metric } = rule.rollup;
      return [[tile.key, entityId ? { entityType, metric, entityId } : { entityType, metric }]];
    }),
  ),
);

/** Hourly points for hour and day, daily for week and 30d, monthly for all. */
export const SERIES_SHAPE: Readonly<Record<LeaderboardWindow, { period: 'hour' | 'day' | 'month'; points: number }>> = Object.freeze({
  hour: { period: 'hour', points: 12 },
  day: { period: 'hour', points: 24 },
  week: { period: 'day', points: 7 },
  '30d': { period: 'day', points: 30 },
  all: { period: 'month', points: 12 },
});

/** UTC ms, oldest first. */
export function seriesBuckets(window: LeaderboardWindow, nowMs: number): number[] {
  const { period, points } = SERIES_SHAPE[window];
  return recentBuckets(period, nowMs, points);
}

/** Zero where the rollups hold nothing. */
export function fillSeries(buckets: readonly number[], rows: ReadonlyArray<{ bucketMs: number; value: number }>): number[] {
  const at = new Map(rows.map((r) => [r.bucketMs, r.value]));
  return buckets.map((b) => at.get(b) ?? 0);
}

/** A leaderboard an operator defined; the API answers it with its top rows. */
export const customLeaderboardFields = z.object({
  /** `custom.<slug>`. */
  id: z.string(),
  title: z.string(),
  /** The counter board whose scores it ranks. */
  base: z.string(),
  window: z.enum(LEADERBOARD_WINDOWS),
  /** When not empty, the only entities listed (up to 50), ranked among themselves. */
  entityIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CustomLeaderboard = z.infer<typeof customLeaderboardFields>;

/** A leaderboard row (windows.ts `LeaderboardEntry`) with the trend columns (previous_rank, trend, change, change_percent). */
export const trendedEntrySchema = z.object({
  rank: z.number().int(),
  entityId: z.string(),
  name: z.string().nullable(),
  score: z.number(),
  /** Rank in the previous window, null when the entity was not ranked there. */
  previousRank: z.number().int().nullable(),
  trend: z.enum(['up', 'down', 'stable', 'new']),
  /** Rank positions gained: previousRank − rank (positive = moved up); 0 when new. */
  change: z.number(),
  /** Score growth in percent vs the previous window's score; 0 when no previous score is known. */
  changePercent: z.number(),
});
