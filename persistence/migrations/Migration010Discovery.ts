import { Migration } from '@mikro-orm/migrations';

/**
 * Search and recommendations. The bio gets no trigram index: it hands a short query thousands of candidates that can
 * never pass; `bio_trigrams` bounds them instead. `genres` is indexed through an IMMUTABLE wrapper of array_to_string
 * (itself only STABLE), which the query calls too so the planner matches it.
 */
export class Migration010Discovery extends Migration {
  override name = 'Migration010Discovery';

  override up(): void {
    this.addSql('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    this.addSql(`CREATE FUNCTION artist_genre_text(text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string($1, ', ') $$`);
    // A bio with more than trigrams(q) / 0.3 distinct trigrams can never pass the threshold; stored, so the search skips
    // those bios without extracting their trigrams.
    this.addSql(`ALTER TABLE artists ADD COLUMN bio_trigrams integer NOT NULL GENERATED ALWAYS AS (coalesce(array_length(show_trgm(bio), 1), 0)) STORED`);
    this.addSql('CREATE INDEX artists_bio_trigrams ON artists (bio_trigrams)');
    // No pending list: catalog writes are rare, and a bulk load left in the pending list is scanned linearly by every search.
    this.addSql('ALTER INDEX artists_name_trgm SET (fastupdate = off)');
    this.addSql('CREATE INDEX artists_genre_text_trgm ON artists USING gin (artist_genre_text(genres) gin_trgm_ops) WITH (fastupdate = off)');
    this.addSql('CREATE INDEX artists_genres_gin ON artists USING gin (genres)');
    this.addSql('CREATE INDEX influence_orbs_target ON influence_orbs (target_artist_id)');
    this.addSql('CREATE INDEX artists_popularity ON artists (popularity_score DESC, id)');
    this.addSql('CREATE INDEX constellation_stars_artist_user ON constellation_stars (artist_id, user_id)');
    this.addSql(`CREATE TABLE user_recommendations (
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      artist_id text NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
      score double precision NOT NULL,
      reason text NOT NULL,
      first_recommended_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (user_id, artist_id)
    )`);
    this.addSql('CREATE INDEX user_recommendations_new ON user_recommendations (user_id, first_recommended_at)');
  }
}
