import { Migration } from '@mikro-orm/migrations';

/**
 * Search and recommendations (seed 000 steps 12 and 13).
 *
 * - Trigram GIN indexes for the step 13.3 similarity query: `artists_name_trgm` exists since migration
 *   001 (with pg_trgm); genres join it. The bio gets no trigram index: a GIN index on long bios hands a
 *   short query thousands of candidates to recheck (measured: most of a genre query's time) that can
 *   never reach the threshold; `bio_trigrams` bounds them instead (see its column). `genres` is a text[]: the index is on an IMMUTABLE
 *   wrapper of array_to_string (array_to_string itself is only STABLE), and the search query calls the
 *   same function so the planner matches the index.
 * - `bio_trigrams` (generated) bounds the bio term: see the comment at its column.
 * - `artists_genres_gin` and `artists_popularity` for step 12.6 (the most popular artists of an era in the top genres), `influence_orbs_target` for 12.3 and
 *   12.8 (orbs pointing to an artist), `constellation_stars_artist_user` for 12.4 (who else captured it).
 * - `user_recommendations`: each user's current list with when each artist was first recommended, so
 *   "new recommendations since the last session" (seed 14.4) is one indexed count.
 */
export class Migration010Discovery extends Migration {
  override name = 'Migration010Discovery';

  override up(): void {
    this.addSql('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    this.addSql(`CREATE FUNCTION artist_genre_text(text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string($1, ', ') $$`);
    // similarity(bio, q) ≤ trigrams(q) / trigrams(bio): a bio with more than trigrams(q) / 0.3 distinct
    // trigrams can never pass the threshold. Stored, so the search skips those bios without extracting
    // their trigrams (the recheck of thousands of long bios was most of a genre query's time).
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
