/**
 * DNA history: copies of `dna_profiles` rows taken inside the transaction that changed them (a recompute always, the
 * mirroring at most once per `minIntervalSec` per user), pruned to `maxPerUser` per user; one INSERT … SELECT.
 */
import type { Sql } from '../db.js';

export interface DnaHistorySettings {
  maxPerUser: number;
  minIntervalSec: number;
}

/** Snapshots the profiles of `userIds` (those with mirrored signals) and prunes each user's history to its bound. */
export async function snapshotProfiles(tx: Sql, userIds: readonly string[], trigger: 'recompute' | 'mirroring', settings: DnaHistorySettings): Promise<number> {
  if (!userIds.length) return 0;
  const ids = `{${userIds.join(',')}}`;
  const interval = trigger === 'recompute' ? 0 : settings.minIntervalSec;
  const taken = await tx.query<{ user_id: string }>(
    `INSERT INTO dna_snapshots (user_id, taken_at, trigger, dims, cultural, behavioral, economic, spatial, ref_at, signals, through_id)
     SELECT p.user_id, clock_timestamp(), ?, p.dims, p.cultural, p.behavioral, p.economic, p.spatial, p.ref_at, p.signals, p.through_id
       FROM dna_profiles p
      WHERE p.user_id = ANY(?::uuid[]) AND p.signals > 0
        AND NOT EXISTS (SELECT 1 FROM dna_snapshots s WHERE s.user_id = p.user_id AND s.taken_at > clock_timestamp() - make_interval(secs => ?))
     RETURNING user_id`,
    [trigger, ids, interval],
  );
  if (!taken.length) return 0;
  await tx.query(
    `DELETE FROM dna_snapshots WHERE id IN (
       SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY taken_at DESC, id DESC) AS n FROM dna_snapshots WHERE user_id = ANY(?::uuid[])) r
        WHERE r.n > ?)`,
    [`{${taken.map((t) => t.user_id).join(',')}}`, settings.maxPerUser],
  );
  return taken.length;
}
