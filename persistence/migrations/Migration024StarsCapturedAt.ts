import { Migration } from '@mikro-orm/migrations';

/**
 * The admin dashboard counts the stars captured in a range (seed 000 step 17 "SELECT COUNT(*) FROM
 * constellations WHERE captured_at > NOW() - INTERVAL '7 days'"): stars are the record of a capture,
 * live or offline-synced, where the sessions' counters miss the offline ones. This index makes that
 * count read the range, not every star.
 */
export class Migration024StarsCapturedAt extends Migration {
  override name = 'Migration024StarsCapturedAt';

  override up(): void {
    this.addSql('CREATE INDEX constellation_stars_captured_at ON constellation_stars (captured_at, user_id)');
  }

  override down(): void {
    this.addSql('DROP INDEX constellation_stars_captured_at');
  }
}
