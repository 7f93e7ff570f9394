import { Migration } from '@mikro-orm/migrations';

/** Durable leaderboard resets, so a Local store rebuilt from the rollups minus these stays reset. */
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
