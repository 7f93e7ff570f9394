/**
 * DNA history: copies of `dna_profiles` rows taken inside the transaction that changed them (a recompute always, the
 * mirroring at most once per `minIntervalSec` per user), pruned to `maxPerUser` per user; one INSERT … SELECT.
 */
import type { Sql } from '../db.js';
import { dynamicOf, type StoredProfile } from './storedProfile.js';
import type { DnaSnapshot } from '../../systems/mediaid/dnaHistory.js';

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

/** A user's snapshots, newest first, at most `limit`; snapshots of other dimensions (DNA_DIMS changed) are left out. */
export async function readHistory(sql: Sql, userId: string, dims: number, limit: number): Promise<DnaSnapshot[]> {
  const rows = await sql.query<StoredProfile & { id: string; taken_at: Date; trigger: 'recompute' | 'mirroring' }>(
    `SELECT id::text AS id, taken_at, trigger, user_id::text AS user_id, dims, array_to_string(cultural || behavioral || economic || spatial, ',') AS v,
            (extract(epoch FROM ref_at) * 1000)::float8 AS ref_ms, signals, through_id::text AS through_id
       FROM dna_snapshots WHERE user_id = ?::uuid ORDER BY taken_at DESC, id DESC LIMIT ?`,
    [userId, limit],
  );
  const out: DnaSnapshot[] = [];
  for (const r of rows) {
    const dna = dynamicOf(r, dims);
    if (dna) out.push({ id: r.id, takenAt: new Date(r.taken_at).getTime(), trigger: r.trigger, dna });
  }
  return out;
}
