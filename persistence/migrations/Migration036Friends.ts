import { Migration } from '@mikro-orm/migrations';

/**
 * The friend graph, one row per direction: accepted is `friends` both ways (one key read answers "are they
 * friends"); a block is A→B `blocked` and removes B's rows towards A.
 */
export class Migration036Friends extends Migration {
  override name = 'Migration036Friends';

  override up(): void {
    this.addSql(`CREATE TABLE friends (
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      other_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      state text NOT NULL CHECK (state IN ('requested', 'friends', 'blocked')),
      at timestamptz NOT NULL,
      PRIMARY KEY (user_id, other_id),
      CHECK (user_id <> other_id)
    )`);
    this.addSql("CREATE INDEX friends_incoming ON friends (other_id) WHERE state = 'requested'");
    this.addSql('ALTER TABLE notifications DROP CONSTRAINT notifications_type_check');
    this.addSql(
      `ALTER TABLE notifications ADD CONSTRAINT notifications_type_check CHECK (type IN ('constellation_share', 'top_recommendation', 'friend_request', 'ride_invite'))`,
    );
  }

  override down(): void {
    this.addSql(`DELETE FROM notifications WHERE type IN ('friend_request', 'ride_invite')`);
    this.addSql('ALTER TABLE notifications DROP CONSTRAINT notifications_type_check');
    this.addSql(`ALTER TABLE notifications ADD CONSTRAINT notifications_type_check CHECK (type IN ('constellation_share', 'top_recommendation'))`);
    this.addSql('DROP TABLE IF EXISTS friends');
  }
}
