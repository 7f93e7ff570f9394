import { Migration } from '@mikro-orm/migrations';

/** The completion webhook as a durable outbox with exponential backoff; any process may deliver (SKIP LOCKED). */
export class Migration031AssetWebhooks extends Migration {
  override name = 'Migration031AssetWebhooks';

  override up(): void {
    this.addSql(`CREATE TABLE asset_webhooks (
      id bigserial PRIMARY KEY,
      event text NOT NULL,
      artist_id text NOT NULL,
      body text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'dropped')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      last_error text,
      created_at timestamptz NOT NULL,
      delivered_at timestamptz
    )`);
    this.addSql(`CREATE INDEX asset_webhooks_due ON asset_webhooks (next_attempt_at) WHERE status = 'pending'`);
  }

  override down(): void {
    this.addSql('DROP TABLE asset_webhooks');
  }
}
