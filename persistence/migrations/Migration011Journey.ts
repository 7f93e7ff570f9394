import { Migration } from '@mikro-orm/migrations';

/** Journey fields; one connection line per pair of stars, whichever direction came first. */
export class Migration011Journey extends Migration {
  override name = 'Migration011Journey';

  override up(): void {
    this.addSql('ALTER TABLE users ADD COLUMN seen_parallax_tip boolean NOT NULL DEFAULT false');
    this.addSql(`ALTER TABLE sessions
      ADD COLUMN sensor_seconds double precision NOT NULL DEFAULT 0,
      ADD COLUMN resume_count integer NOT NULL DEFAULT 0,
      ADD COLUMN offline_seconds integer NOT NULL DEFAULT 0,
      ADD COLUMN last_synced_at timestamptz`);
    // Existing artists have no known creation time (null: never "new"); rows added later get now().
    this.addSql('ALTER TABLE artists ADD COLUMN created_at timestamptz');
    this.addSql('ALTER TABLE artists ALTER COLUMN created_at SET DEFAULT now()');
    this.addSql('CREATE INDEX artists_created_at ON artists (created_at) WHERE created_at IS NOT NULL');
    // Users sharing a star with a user (14.4 "updates from similar users") are found by artist.
    this.addSql('CREATE INDEX constellation_stars_artist ON constellation_stars (artist_id, user_id)');
    // Before this migration a pair got at most one line; drop any duplicate so the pair index can be built.
    this.addSql(`DELETE FROM constellation_connections c USING constellation_connections d
      WHERE c.user_id = d.user_id AND c.id > d.id
        AND least(c.from_artist_id, c.to_artist_id) = least(d.from_artist_id, d.to_artist_id)
        AND greatest(c.from_artist_id, c.to_artist_id) = greatest(d.from_artist_id, d.to_artist_id)`);
    this.addSql(`CREATE UNIQUE INDEX constellation_connections_pair
      ON constellation_connections (user_id, least(from_artist_id, to_artist_id), greatest(from_artist_id, to_artist_id))`);
  }
}
