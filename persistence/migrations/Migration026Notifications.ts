import { Migration } from '@mikro-orm/migrations';

/** Direct shares and the per-user notification inbox: each direct share leaves a notification for its recipient. */
export class Migration026Notifications extends Migration {
  override name = 'Migration026Notifications';

  override up(): void {
    this.addSql('ALTER TABLE constellation_shares DROP CONSTRAINT constellation_shares_share_type_check');
    this.addSql(
      `ALTER TABLE constellation_shares ADD CONSTRAINT constellation_shares_share_type_check CHECK (share_type IN ('public_link', 'social_media', 'direct_user'))`,
    );
    this.addSql(`CREATE TABLE notifications (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      type text NOT NULL CHECK (type IN ('constellation_share')),
      from_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
      share_id text REFERENCES constellation_shares(id) ON DELETE CASCADE,
      message text CHECK (char_length(message) <= 280),
      created_at timestamptz NOT NULL,
      read_at timestamptz
    )`);
    this.addSql('CREATE INDEX notifications_user ON notifications (user_id, id DESC)');
    this.addSql('CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL');
    // The direct-share rate bound counts a sender's recent direct shares.
    this.addSql(`CREATE INDEX constellation_shares_direct ON constellation_shares (user_id, created_at) WHERE share_type = 'direct_user'`);
  }

  override down(): void {
    this.addSql('DROP TABLE notifications');
    this.addSql('DROP INDEX constellation_shares_direct');
    this.addSql(`DELETE FROM constellation_shares WHERE share_type = 'direct_user'`);
    this.addSql('ALTER TABLE constellation_shares DROP CONSTRAINT constellation_shares_share_type_check');
    this.addSql(`ALTER TABLE constellation_shares ADD CONSTRAINT constellation_shares_share_type_check CHECK (share_type IN ('public_link', 'social_media'))`);
  }
}
