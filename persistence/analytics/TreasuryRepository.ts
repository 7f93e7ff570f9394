/**
 * The rollup rows behind the Treasury totals of one user, artist or event: its all-time bucket and its day
 * buckets of the last 30 days, through the money index (persistence/leaderboard/rollupSql.ts moneyRowsSql).
 */
import type { Sql } from '../db.js';
import { moneyRowsSql } from '../leaderboard/rollupSql.js';
import { daysFrom, moneyTypesOf, type MoneyRow } from '../../systems/analytics/treasury.js';
import type { MoneySubject } from '../../systems/leaderboard/countingRules.js';

export class TreasuryRepository {
  constructor(private readonly sql: Sql) {}

  async rows(subject: MoneySubject, id: string, nowMs: number): Promise<MoneyRow[]> {
    const types = Object.values(moneyTypesOf(subject));
    const text = moneyRowsSql(types);
    const [all, days] = await Promise.all([
      this.sql.query<MoneyRow>(text, [id, 'all', new Date(0), new Date(0)]),
      this.sql.query<MoneyRow>(text, [id, 'day', new Date(daysFrom(nowMs, 30)), new Date(nowMs)]),
    ]);
    return [...all, ...days];
  }
}
