/**
 * `leaderboard_resets` through the MikroORM EntityManager (an operator action: a few rows, ever). Each row
 * keeps what the live store held when the board was reset, so a restore from the rollups can subtract it.
 */
import type { Orm } from '../orm.js';
import { LeaderboardReset } from '../entities/leaderboard.js';
import { bucketExpiresAtMs } from '../../systems/leaderboard/windows.js';
import type { LeaderboardResetResult } from '../../systems/leaderboard/storeRules.js';

/** A reset as the ops API lists it. */
export interface ResetRecord {
  id: string;
  leaderboard: string;
  resetAt: string;
  entries: number;
}

/** Scores removed by resets, summed per (leaderboard, bucket, entity); see {@link baselineKey}. */
export type ResetBaselines = ReadonlyMap<string, number>;

export const baselineKey = (leaderboard: string, bucketId: string, entityId: string): string => `${leaderboard}\u0000${bucketId}\u0000${entityId}`;

/** What a restore needs from the reset record. */
export interface ResetBaselineSource {
  /** Removed scores of every reset, for buckets still live at `nowMs`. */
  baselines(nowMs: number): Promise<ResetBaselines>;
}

export class LeaderboardResetLog implements ResetBaselineSource {
  constructor(private readonly orm: Orm) {}

  /** Records one reset at `nowMs` with what the store removed. */
  async record(leaderboard: string, nowMs: number, removed: LeaderboardResetResult): Promise<ResetRecord> {
    const resetAt = new Date(nowMs);
    const id = await this.orm.em.fork().insert(LeaderboardReset, { leaderboard, resetAt, entries: removed.entries, removed: removed.buckets });
    return { id: String(id), leaderboard, resetAt: resetAt.toISOString(), entries: removed.entries };
  }

  /** The latest resets, newest first (without their removed scores). */
  async recent(limit: number): Promise<ResetRecord[]> {
    const rows = await this.orm.em
      .fork()
      .find(LeaderboardReset, {}, { orderBy: { resetAt: 'desc', id: 'desc' }, limit, fields: ['leaderboard', 'resetAt', 'entries'] });
    return rows.map((r) => ({ id: String(r.id), leaderboard: r.leaderboard, resetAt: r.resetAt.toISOString(), entries: r.entries }));
  }

  async baselines(nowMs: number): Promise<ResetBaselines> {
    const out = new Map<string, number>();
    for (const row of await this.orm.em.fork().find(LeaderboardReset, {}, { fields: ['leaderboard', 'removed'] })) {
      for (const bucket of row.removed) {
        const expiresAt = bucketExpiresAtMs(bucket.bucketId);
        if (expiresAt !== null && expiresAt <= nowMs) continue;
        for (const s of bucket.scores) {
          const key = baselineKey(row.leaderboard, bucket.bucketId, s.entityId);
          out.set(key, (out.get(key) ?? 0) + s.score);
        }
      }
    }
    return out;
  }
}
