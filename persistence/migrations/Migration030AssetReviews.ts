import { Migration } from '@mikro-orm/migrations';

/**
 * The manual review queue: an unsure cut-out waits with its variants until approved (it goes live) or rejected
 * (variants dropped; previews stay as the record).
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
