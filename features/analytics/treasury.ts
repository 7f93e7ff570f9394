import type { Sql } from '../../persistence/db.js';
import { readMoneyRows, type MoneySubject } from '../leaderboard/boards.js';
import { daysFrom, treasuryTotals, type TreasuryTotals } from '../../systems/analytics/treasury.js';

/** The money rollups of one subject, read through the leaderboard feature (its counting rules keep them): all time and the last 30 UTC days. */
export class TreasuryRepository {
  constructor(private readonly sql: Sql) {}

  rows(subject: MoneySubject, id: string, nowMs: number) {
    return readMoneyRows(this.sql, subject, id, daysFrom(nowMs, 30), nowMs);
  }
}

/** What a user, an artist or an event spent and earned, from the money rollups. */
export async function readTreasury(
  repo: TreasuryRepository,
  subject: MoneySubject,
  id: string,
  nowMs: number,
): Promise<{ subject: MoneySubject; id: string; generatedAt: string } & TreasuryTotals> {
  const totals = treasuryTotals(await repo.rows(subject, id, nowMs), nowMs);
  return { subject, id, generatedAt: new Date(nowMs).toISOString(), ...totals };
}
