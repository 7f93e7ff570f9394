import { Migration } from '@mikro-orm/migrations';

/** Operator-defined leaderboards: definitions only; the scores stay on the counter board they name. */
export class Migration018CustomLeaderboards extends Migration {
  override name = 'Migration018CustomLeaderboards';

  override up(): void {
    this.addSql(`CREATE TABLE custom_leaderboards (
      id text PRIMARY KEY,
      title text NOT NULL,
      base text NOT NULL,
      time_window text NOT NULL,
      entity_ids text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  override down(): void {
    this.addSql('DROP TABLE custom_leaderboards');
  }
}
