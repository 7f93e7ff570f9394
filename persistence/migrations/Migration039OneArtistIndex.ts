import { Migration } from '@mikro-orm/migrations';

/** constellation_stars had two identical (artist_id, user_id) indexes: every capture wrote both, the planner read one. */
export class Migration039OneArtistIndex extends Migration {
  override name = 'Migration039OneArtistIndex';
  override up(): void {
    this.addSql('DROP INDEX IF EXISTS constellation_stars_artist');
  }
  override down(): void {
    this.addSql('CREATE INDEX IF NOT EXISTS constellation_stars_artist ON constellation_stars (artist_id, user_id)');
  }
}
