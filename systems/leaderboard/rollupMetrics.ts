/**
 * What the durable rollups (`coliseum_metrics`) answer besides the boards. Rollup metrics of one entity per period
 * bucket ("plays", "unique_listeners", "avg_completion_rate", "shares", "votes", "revenue_cents", "avg_dna_match"),
 * derived from the additive counts the counting rules keep:
 * - avg_completion_rate = completions ÷ plays of the bucket (at most 1: a play that began in the bucket before may
 *   finish in this one); null without plays;
 * - avg_dna_match = the sum of the counted listeners' matches ÷ how many were matched; null when none was; unique
 *   listeners are kept per day, week, month and all time, not per hour.
 * Money stays per currency (integer minor units), never added across currencies. And the KPI tiles' sparklines:
 * which rollup counts each tile, and which buckets a window's line spans. Pure.
 */
import { DNA_MATCH_METRICS, DNA_MATCH_SCALE, KPI_RULES, moneyEntityType } from './countingRules.js';
import { KPI_TILES, TILE_CURRENCY, type KpiKey } from './leaderboards.js';
import type { LeaderboardWindow } from './windows.js';
import { bucketStart, type Period } from '../passport/periods.js';
/** The entity kinds the rollup route serves, and where their rows are: own metrics, then money per currency. */
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

export interface BucketMetrics {
  plays: number;
  unique_listeners: number | null;
  completions: number;
  avg_completion_rate: number | null;
  shares: number;
  link_opens: number;
  votes: number;
  attendance: number;
  engagement: number;
  /** Integer minor units per lower-case ISO 4217 code. */
  revenue_cents: Record<string, number>;
  earned_cents: Record<string, number>;
  avg_dna_match: number | null;
  dna_matched: number;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** One bucket's metrics from its raw counts (`metric → value`) and money (`revenue_cents` / `earned_cents` → currency → cents). */
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

/** The starts of the newest `count` buckets of `period` up to the one holding `nowMs`, oldest first (one for `all`). */
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

/**
 * The rollup a tile's line sums: `entity_type`, `metric` (and an entity id when one entity is the whole). Derived
 * from the counting rules: the `<counter>Today` tile sums the rollup of the rule that feeds KPI counter `<counter>`
 * (the revenue tile: its currency's row of the per-currency rule).
 */
export const KPI_SERIES_SOURCES: Readonly<Partial<Record<KpiKey, { entityType: string; metric: string; entityId?: string }>>> = Object.freeze(
  Object.fromEntries(
    KPI_TILES.flatMap((tile) => {
      const rule = KPI_RULES.find((r) => `${r.kpi.counter}Today` === tile.key);
      if (!tile.counted || !rule) return [];
      const { entityType, metric } = rule.rollup;
      return [[tile.key, rule.kpi.perEntity ? { entityType, metric, entityId: TILE_CURRENCY.toLowerCase() } : { entityType, metric }]];
    }),
  ),
);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A window's line: hourly points for the hour and day windows, daily for the week and 30 days, monthly for all time. */
export const SERIES_SHAPE: Readonly<Record<LeaderboardWindow, { period: 'hour' | 'day' | 'month'; points: number }>> = Object.freeze({
  hour: { period: 'hour', points: 12 },
  day: { period: 'hour', points: 24 },
  week: { period: 'day', points: 7 },
  '30d': { period: 'day', points: 30 },
  all: { period: 'month', points: 12 },
});

/** Bucket starts (UTC ms) of the line ending with the bucket that holds `nowMs`, oldest first. */
export function seriesBuckets(window: LeaderboardWindow, nowMs: number): number[] {
  const { period, points } = SERIES_SHAPE[window];
  const out: number[] = [];
  if (period === 'month') {
    const d = new Date(nowMs);
    for (let i = points - 1; i >= 0; i--) out.push(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1));
    return out;
  }
  const step = period === 'hour' ? HOUR : DAY;
  const last = Math.floor(nowMs / step) * step;
  for (let i = points - 1; i >= 0; i--) out.push(last - i * step);
  return out;
}

/** Values per bucket in `buckets` order, zero where the rollups hold nothing. */
export function fillSeries(buckets: readonly number[], rows: ReadonlyArray<{ bucketMs: number; value: number }>): number[] {
  const at = new Map(rows.map((r) => [r.bucketMs, r.value]));
  return buckets.map((b) => at.get(b) ?? 0);
}
