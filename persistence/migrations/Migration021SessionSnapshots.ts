import { Migration } from '@mikro-orm/migrations';

/** Session snapshots a lone process (no Redis) writes while draining, so it restores them when started again. */
export class Migration021SessionSnapshots extends Migration {
  override name = 'Migration021SessionSnapshots';

  override up(): void {
    this.addSql(`CREATE TABLE session_snapshots (
      session_id uuid PRIMARY KEY,
      body bytea NOT NULL,
      expires_at timestamptz NOT NULL
    )`);
  }

  override down(): void {
    this.addSql('DROP TABLE session_snapshots');
  }
}
