import type { Sql } from '../../persistence/db.js';
import { readMoneyRows, type MoneySubject } from '../leaderboard/boards.js';
import { daysFrom, treasuryTotals, type TreasuryTotals } from '../../systems/analytics/treasury.js';

/** What a user, an artist or an event spent and earned, from the money rollups (read through the leaderboard feature, whose counting rules keep them): all time and the last 30 UTC days. */
export async function readTreasury(
  sql: Sql,
  subject: MoneySubject,
  id: string,
  nowMs: number,
): Promise<{ subject: MoneySubject; id: string; generatedAt: string } & TreasuryTotals> {
  const totals = treasuryTotals(await readMoneyRows(sql, subject, id, daysFrom(nowMs, 30), nowMs), nowMs);
  return { subject, id, generatedAt: new Date(nowMs).toISOString(), ...totals };
}
