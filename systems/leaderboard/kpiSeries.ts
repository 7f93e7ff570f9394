/**
 * Sparklines for the coliseum's KPI tiles: which durable rollup (`coliseum_metrics`) counts each tile,
 * summed over its entities, and which buckets a window's line spans. Live tiles (active sessions,
 * spectators, events / min) and sessions have no rollup and get no line. Pure.
 */
import type { LeaderboardWindow } from './windows.js';
import { KPI_TILES, TILE_CURRENCY, type KpiKey } from './leaderboards.js';
import { KPI_RULES } from './countingRules.js';

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

export type SeriesPeriod = 'hour' | 'day' | 'month';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A window's line: hourly points for the hour and day windows, daily for the week and 30 days, monthly for all time. */
export const SERIES_SHAPE: Readonly<Record<LeaderboardWindow, { period: SeriesPeriod; points: number }>> = Object.freeze({
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
