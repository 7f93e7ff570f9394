import { Migration } from '@mikro-orm/migrations';

/** Shared constellations: a frozen snapshot per share, readable by its unguessable id until `expires_at`. */
export class Migration009Shares extends Migration {
  override name = 'Migration009Shares';

  override up(): void {
    this.addSql(`CREATE TABLE constellation_shares (
      id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{22,64}$'),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      share_type text NOT NULL CHECK (share_type IN ('public_link', 'social_media')),
      message text CHECK (char_length(message) <= 280),
      snapshot jsonb NOT NULL,
      star_count integer NOT NULL CHECK (star_count >= 0),
      views integer NOT NULL DEFAULT 0 CHECK (views >= 0),
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      last_viewed_at timestamptz
    )`);
    this.addSql('CREATE INDEX constellation_shares_user ON constellation_shares (user_id, created_at DESC)');
    this.addSql('CREATE INDEX constellation_shares_expiry ON constellation_shares (expires_at)');
  }

  override down(): void {
    this.addSql('DROP TABLE IF EXISTS constellation_shares');
  }
}
