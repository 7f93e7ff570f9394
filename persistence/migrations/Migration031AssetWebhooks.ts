import { Migration } from '@mikro-orm/migrations';

/**
 * Seed 000 step 10.8's completion webhook, as a durable outbox: one row per event to deliver, tried
 * until delivered or out of attempts, with the next try's time (exponential backoff). Rows survive a
 * restart; any process may deliver (a row is claimed with SKIP LOCKED).
 */
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
