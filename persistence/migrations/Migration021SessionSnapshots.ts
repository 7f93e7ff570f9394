import { Migration } from '@mikro-orm/migrations';

/**
 * Session snapshots kept across a restart of a lone process (no Redis): a draining process writes each
 * session's snapshot here so the same process, started again, restores the sessions its clients resume.
 * With Redis the snapshots live there (with a TTL) and this table stays empty.
 */
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
