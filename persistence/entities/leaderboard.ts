import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import type { ResetBucket } from '../../systems/leaderboard/windows.js';

/** One leaderboard reset from /ops (migration 015): what the live store held, subtracted from the rollups at restore. */
export const LeaderboardReset = defineEntity({
  name: 'LeaderboardReset',
  tableName: 'leaderboard_resets',
  properties: {
    // GENERATED ALWAYS AS IDENTITY in the table: Postgres assigns it.
    id: p.bigint('string').primary().autoincrement().columnType('bigint'),
    leaderboard: p.text(),
    resetAt: p.datetime(),
    entries: p.integer(),
    removed: p.json<ResetBucket[]>(),
  },
});
export type LeaderboardReset = InferEntity<typeof LeaderboardReset>;
