import type { TreasuryRepository } from '../../persistence/analytics/TreasuryRepository.js';
import { treasuryTotals, type TreasuryTotals } from '../../systems/analytics/treasury.js';
import type { MoneySubject } from '../../systems/leaderboard/countingRules.js';

/** What a user, an artist or an event spent and earned (seed 003), from the money rollups. */
export async function readTreasury(
  repo: TreasuryRepository,
  subject: MoneySubject,
  id: string,
  nowMs: number,
): Promise<{ subject: MoneySubject; id: string; generatedAt: string } & TreasuryTotals> {
  const totals = treasuryTotals(subject, await repo.rows(subject, id, nowMs), nowMs);
  return { subject, id, generatedAt: new Date(nowMs).toISOString(), ...totals };
}
