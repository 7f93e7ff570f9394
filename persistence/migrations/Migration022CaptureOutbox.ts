import { Migration } from '@mikro-orm/migrations';

/**
 * A capture's passport events, written in the star's statement and handed to the passport writer after the commit.
 * A row leaves once its id is claimed or dead-lettered; one older than PASSPORT_OUTBOX_AGE_MS (its process died) is
 * leased again by an outbox drainer (`leased_at` restarts its age).
 */
export class Migration022CaptureOutbox extends Migration {
  override name = 'Migration022CaptureOutbox';

  override up(): void {
    this.addSql(`CREATE TABLE passport_outbox (
      event_id uuid PRIMARY KEY,
      event jsonb NOT NULL,
      leased_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql('CREATE INDEX passport_outbox_leased ON passport_outbox (leased_at)');
  }

  override down(): void {
    this.addSql('DROP TABLE passport_outbox');
  }
}
