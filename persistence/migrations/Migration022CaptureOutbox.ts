import { Migration } from '@mikro-orm/migrations';

/**
 * A capture's passport events (`constellation.captured`, `badge.earned`) are written here in the same
 * statement as the star (persistence/constellation/captureStatement.ts), then handed to the passport
 * writer after the commit. A row leaves once its event id is claimed in `passport_event_ids` (stored)
 * or its event was dead-lettered; a row older than PASSPORT_OUTBOX_AGE_MS (its process died before
 * the flush) is leased again by a process's outbox drainer and re-queued there (`leased_at` restarts its
 * age, so one process takes it per period). Small: a row lives about one flush.
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
