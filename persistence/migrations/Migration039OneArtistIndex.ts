import { Migration } from '@mikro-orm/migrations';

/**
 * constellation_stars had two indexes on (artist_id, user_id): every capture wrote both, and the planner uses one.
 * `constellation_stars_artist_user` stays.
 */
export class Migration039OneArtistIndex extends Migration {
  override name = 'Migration039OneArtistIndex';

  override up(): void {
    this.addSql('DROP INDEX IF EXISTS constellation_stars_artist');
  }

  override down(): void {
    this.addSql('CREATE INDEX IF NOT EXISTS constellation_stars_artist ON constellation_stars (artist_id, user_id)');
  }
}
