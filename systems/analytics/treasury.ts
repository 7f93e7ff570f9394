/**
 * What a user spent and earned, and what an artist or a Concierto event took in, per currency (minor units,
 * never added across currencies), all time and over the last 30 and 7 UTC days, from the leaderboard's money rollups.
 */
import { z } from 'zod';
import type { MoneySide, MoneySubject } from '../leaderboard/countingRules.js';

export const MONEY_SUBJECTS: readonly MoneySubject[] = ['user', 'artist', 'event'];
const SIDES: readonly MoneySide[] = ['spent', 'earned'];
const DAY_MS = 86_400_000;

/** Lower-case ISO 4217 → integer minor units. */
const byCurrency = z.record(z.string(), z.number());
export type ByCurrency = z.infer<typeof byCurrency>;
export const moneyTotalsSchema = z.object({ allTime: byCurrency, last30Days: byCurrency, last7Days: byCurrency }).meta({ title: 'MoneyTotals' });
export type MoneyTotals = z.infer<typeof moneyTotalsSchema>;
export type TreasuryTotals = Record<MoneySide, MoneyTotals>;

/** Today included. */
export const daysFrom = (nowMs: number, days: number): number => Math.floor(nowMs / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;

export function treasuryTotals(
  rows: ReadonlyArray<{ side: MoneySide; currency: string; period: string; bucketStart: Date; cents: number }>,
  nowMs: number,
): TreasuryTotals {
  const from30 = daysFrom(nowMs, 30);
  const from7 = daysFrom(nowMs, 7);
  const add = (into: ByCurrency, currency: string, cents: number) => (into[currency] = (into[currency] ?? 0) + cents);
  const out = Object.fromEntries(SIDES.map((side) => [side, { allTime: {}, last30Days: {}, last7Days: {} }])) as TreasuryTotals;
  for (const r of rows) {
    if (r.period === 'all') add(out[r.side].allTime, r.currency, r.cents);
    else if (r.period === 'day') {
      const at = r.bucketStart.getTime();
      if (at >= from30) add(out[r.side].last30Days, r.currency, r.cents);
      if (at >= from7) add(out[r.side].last7Days, r.currency, r.cents);
    }
  }
  return out;
}
