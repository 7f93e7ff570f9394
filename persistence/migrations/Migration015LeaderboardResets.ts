import { Migration } from '@mikro-orm/migrations';

/**
 * Durable leaderboard resets: one row per reset from /ops, holding what the live store held at
 * that moment, bucket by bucket. A restart rebuilds a Local store from the rollups minus these scores, so a
 * reset board stays reset (features/leaderboard/boards.ts).
 */
export class Migration015LeaderboardResets extends Migration {
  override name = 'Migration015LeaderboardResets';

  override up(): void {
    this.addSql(`CREATE TABLE leaderboard_resets (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      leaderboard text NOT NULL,
      reset_at timestamptz NOT NULL,
      entries integer NOT NULL,
      removed jsonb NOT NULL
    )`);
    this.addSql('CREATE INDEX leaderboard_resets_reset_at_idx ON leaderboard_resets (reset_at DESC)');
  }
}
