/**
 * Seed 004's rollup metrics of one entity per period bucket (`coliseum_rollups.metrics`: "plays",
 * "unique_listeners", "avg_completion_rate", "shares", "votes", "revenue_cents", "avg_dna_match"), derived from the
 * additive counts the counting rules keep in `coliseum_metrics`:
 * - avg_completion_rate = completions ÷ plays of the bucket (at most 1: a play that began in the bucket before
 *   may finish in this one); null without plays;
 * - avg_dna_match = the sum of the counted listeners' matches ÷ how many were matched (countingRules.ts
 *   DNA_MATCH_METRICS); null when none was; unique listeners are kept per day, week, month and all time, not per hour.
 * Money stays per currency (integer minor units), never added across currencies. Pure.
 */
import { DNA_MATCH_METRICS, DNA_MATCH_SCALE, moneyEntityType } from './countingRules.js';
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
