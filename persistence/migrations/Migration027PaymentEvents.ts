import { Migration } from '@mikro-orm/migrations';

/**
 * Payment provider events from the signed webhook, one row per provider event id, so a redelivery records nothing
 * new. The revenue is the purchase's passport event, which the revenue rules count.
 */
export class Migration027PaymentEvents extends Migration {
  override name = 'Migration027PaymentEvents';

  override up(): void {
    this.addSql(`CREATE TABLE payment_events (
      event_id text PRIMARY KEY CHECK (char_length(event_id) BETWEEN 1 AND 255),
      event_type text NOT NULL,
      user_id uuid NOT NULL,
      amount_cents bigint NOT NULL CHECK (amount_cents > 0),
      currency text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
      passport_event_id uuid NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql('CREATE INDEX payment_events_user ON payment_events (user_id, received_at DESC)');
  }

  override down(): void {
    this.addSql('DROP TABLE payment_events');
  }
}
