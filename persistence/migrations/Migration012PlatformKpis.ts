import { Migration } from '@mikro-orm/migrations';

/** GET /api/admin/metrics reads by `started_at` and `created_at` ranges; without these indexes it scanned both tables. */
export class Migration012PlatformKpis extends Migration {
  override name = 'Migration012PlatformKpis';

  override up(): void {
    this.addSql('CREATE INDEX IF NOT EXISTS sessions_started_at ON sessions (started_at)');
    this.addSql('CREATE INDEX IF NOT EXISTS users_created_at ON users (created_at)');
  }
}
