import { Migration } from '@mikro-orm/migrations';

/**
 * Notifications beyond the inbox: the told text, per-user settings (opt-outs, and the top recommendation last told
 * so it is never told twice), push registrations, and the push outbox claimed by workers (SKIP LOCKED) with backoff.
 */
export class Migration028NotificationDelivery extends Migration {
  override name = 'Migration028NotificationDelivery';

  override up(): void {
    this.addSql('ALTER TABLE notifications DROP CONSTRAINT notifications_type_check');
    this.addSql(`ALTER TABLE notifications ADD CONSTRAINT notifications_type_check CHECK (type IN ('constellation_share', 'top_recommendation'))`);
    this.addSql(`ALTER TABLE notifications
      ADD COLUMN title text CHECK (char_length(title) <= 200),
      ADD COLUMN body text CHECK (char_length(body) <= 400),
      ADD COLUMN deep_link text CHECK (char_length(deep_link) <= 300),
      ADD COLUMN artist_id text CHECK (char_length(artist_id) <= 200)`);
    // Entries written before this migration get the text a share is told with now.
    this.addSql(`UPDATE notifications n SET
        title = coalesce((SELECT nullif(btrim(m.display_name), '') FROM media_ids m WHERE m.user_id = n.from_user_id), 'A listener') || ' shared their constellation',
        body = n.message,
        deep_link = '/shared/' || n.share_id
      WHERE n.type = 'constellation_share'`);
    // The per-recipient bound counts a user's recent entries.
    this.addSql('CREATE INDEX notifications_recent ON notifications (user_id, created_at)');
    this.addSql(`CREATE TABLE notification_settings (
      user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      shares_in_app boolean NOT NULL DEFAULT true,
      shares_push boolean NOT NULL DEFAULT true,
      recommendations_in_app boolean NOT NULL DEFAULT true,
      recommendations_push boolean NOT NULL DEFAULT true,
      last_top_artist_id text,
      last_top_at timestamptz,
      updated_at timestamptz NOT NULL
    )`);
    this.addSql(`CREATE TABLE push_devices (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('apns', 'webpush')),
      address text NOT NULL CHECK (char_length(address) BETWEEN 1 AND 2048),
      p256dh text CHECK (char_length(p256dh) <= 200),
      auth text CHECK (char_length(auth) <= 100),
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      CHECK ((kind = 'webpush') = (p256dh IS NOT NULL AND auth IS NOT NULL))
    )`);
    // A device token or subscription belongs to one user: registering it again (another sign-in) moves it.
    this.addSql('CREATE UNIQUE INDEX push_devices_address ON push_devices (kind, address)');
    this.addSql('CREATE INDEX push_devices_user ON push_devices (user_id)');
    this.addSql(`CREATE TABLE push_outbox (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      device_id bigint NOT NULL REFERENCES push_devices(id) ON DELETE CASCADE,
      notification_id bigint REFERENCES notifications(id) ON DELETE SET NULL,
      type text NOT NULL,
      title text NOT NULL,
      body text,
      deep_link text,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      due_at timestamptz NOT NULL,
      leased_until timestamptz,
      last_error text,
      created_at timestamptz NOT NULL
    )`);
    this.addSql(`CREATE INDEX push_outbox_due ON push_outbox (due_at) WHERE status = 'pending'`);
    this.addSql(`CREATE INDEX push_outbox_failed ON push_outbox (created_at) WHERE status = 'failed'`);
  }

  override down(): void {
    this.addSql('DROP TABLE push_outbox');
    this.addSql('DROP TABLE push_devices');
    this.addSql('DROP TABLE notification_settings');
    this.addSql('DROP INDEX notifications_recent');
    this.addSql(`DELETE FROM notifications WHERE type = 'top_recommendation'`);
    this.addSql('ALTER TABLE notifications DROP COLUMN title, DROP COLUMN body, DROP COLUMN deep_link, DROP COLUMN artist_id');
    this.addSql('ALTER TABLE notifications DROP CONSTRAINT notifications_type_check');
    this.addSql(`ALTER TABLE notifications ADD CONSTRAINT notifications_type_check CHECK (type IN ('constellation_share'))`);
  }
}
