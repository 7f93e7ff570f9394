import { Migration } from '@mikro-orm/migrations';

/** The admin dashboard counts stars captured in a range (live or offline-synced); this index reads the range only. */
export class Migration024StarsCapturedAt extends Migration {
  override name = 'Migration024StarsCapturedAt';

  override up(): void {
    this.addSql('CREATE INDEX constellation_stars_captured_at ON constellation_stars (captured_at, user_id)');
  }

  override down(): void {
    this.addSql('DROP INDEX constellation_stars_captured_at');
  }
}
