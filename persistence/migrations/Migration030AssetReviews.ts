import { Migration } from '@mikro-orm/migrations';

/**
 * Seed 000 step 10.2's manual review queue: a cut-out the model is unsure of waits here, with its
 * variants, until an operator approves it (it then replaces the artist's live images) or rejects it
 * (its variants are dropped; the before/after previews stay as the record of the decision). The
 * artist's live assets also record the model's confidence and whether the rim light was laid.
 */
export class Migration030AssetReviews extends Migration {
  override name = 'Migration030AssetReviews';

  override up(): void {
    this.addSql(`ALTER TABLE artist_assets ADD COLUMN confidence real, ADD COLUMN rim_light boolean NOT NULL DEFAULT false`);
    this.addSql(`CREATE TABLE asset_reviews (
      id bigserial PRIMARY KEY,
      artist_id text NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
      status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
      confidence real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
      reason text NOT NULL,
      record jsonb NOT NULL,
      before_png bytea NOT NULL,
      after_png bytea NOT NULL,
      created_at timestamptz NOT NULL,
      decided_at timestamptz,
      note text CHECK (char_length(note) <= 500)
    )`);
    this.addSql(`CREATE INDEX asset_reviews_pending ON asset_reviews (created_at) WHERE status = 'pending'`);
    this.addSql(`CREATE INDEX asset_reviews_recent ON asset_reviews (created_at DESC)`);
    this.addSql(`CREATE TABLE asset_review_images (
      review_id bigint NOT NULL REFERENCES asset_reviews(id) ON DELETE CASCADE,
      variant text NOT NULL,
      content_type text NOT NULL,
      width integer NOT NULL,
      height integer NOT NULL,
      bytes bytea NOT NULL,
      PRIMARY KEY (review_id, variant)
    )`);
  }

  override down(): void {
    this.addSql('DROP TABLE asset_review_images');
    this.addSql('DROP TABLE asset_reviews');
    this.addSql('ALTER TABLE artist_assets DROP COLUMN confidence, DROP COLUMN rim_light');
  }
}
