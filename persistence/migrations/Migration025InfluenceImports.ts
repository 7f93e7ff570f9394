import { Migration } from '@mikro-orm/migrations';

/** Relations imported from provider exports, one row per (provider, artist, related name); a re-import replaces an artist's rows. */
export class Migration025InfluenceImports extends Migration {
  override name = 'Migration025InfluenceImports';

  override up(): void {
    this.addSql(`CREATE TABLE influence_imports (
      provider text NOT NULL CHECK (provider IN ('musicbrainz', 'lastfm')),
      artist_key text NOT NULL,
      artist_name text NOT NULL,
      external_id text,
      target_name text NOT NULL,
      confidence double precision NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
      imported_at timestamptz NOT NULL,
      PRIMARY KEY (provider, artist_key, target_name)
    )`);
  }

  override down(): void {
    this.addSql('DROP TABLE influence_imports');
  }
}
