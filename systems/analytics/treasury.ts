/**
 * Treasury totals (seed 003 "Core metrics: money spent, money earned"): what a user spent and earned, and
 * what was spent on and earned by an artist or a Concierto event, per currency (integer minor units, never
 * added across currencies), all time and over the last 30 and 7 UTC days (today included), from the rollups
 * the money counting rules keep (systems/leaderboard/countingRules.ts MONEY_RULES). Pure.
 */
import { moneyEntityType, type MoneySide, type MoneySubject } from '../leaderboard/countingRules.js';

export const MONEY_SUBJECTS: readonly MoneySubject[] = ['user', 'artist', 'event'];
const SIDES: readonly MoneySide[] = ['spent', 'earned'];
const DAY_MS = 86_400_000;

/** Lower-case ISO 4217 → integer minor units. */
export type ByCurrency = Record<string, number>;
export interface MoneyTotals {
  allTime: ByCurrency;
  last30Days: ByCurrency;
  last7Days: ByCurrency;
}
export type TreasuryTotals = Record<MoneySide, MoneyTotals>;

/** One rollup row of a money total: its entity type says the side, `period` is `all` or `day`. */
export interface MoneyRow {
  entity_type: string;
  currency: string;
  period: string;
  bucket_start: Date | string;
  value: string | number;
}

/** The rollup entity types of a subject's two totals. */
export const moneyTypesOf = (subject: MoneySubject): Record<MoneySide, string> => ({
  spent: moneyEntityType('spent', subject),
  earned: moneyEntityType('earned', subject),
});

/** The first day bucket of the last `days` UTC days up to `nowMs`. */
export const daysFrom = (nowMs: number, days: number): number => Math.floor(nowMs / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;

/** Sums a subject's rows into its totals. */
export function treasuryTotals(subject: MoneySubject, rows: readonly MoneyRow[], nowMs: number): TreasuryTotals {
  const types = moneyTypesOf(subject);
  const from30 = daysFrom(nowMs, 30);
  const from7 = daysFrom(nowMs, 7);
  const add = (into: ByCurrency, currency: string, cents: number) => (into[currency] = (into[currency] ?? 0) + cents);
  const out = Object.fromEntries(SIDES.map((side) => [side, { allTime: {}, last30Days: {}, last7Days: {} }])) as TreasuryTotals;
  for (const r of rows) {
    const side = SIDES.find((s) => types[s] === r.entity_type);
    if (!side) continue;
    const cents = Number(r.value);
    if (r.period === 'all') add(out[side].allTime, r.currency, cents);
    else if (r.period === 'day') {
      const at = new Date(r.bucket_start).getTime();
      if (at >= from30) add(out[side].last30Days, r.currency, cents);
      if (at >= from7) add(out[side].last7Days, r.currency, cents);
    }
  }
  return out;
}
