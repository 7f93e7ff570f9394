import { Migration } from '@mikro-orm/migrations';

/**
 * Platform KPIs: GET /api/admin/metrics reads sessions by `started_at` range (seed 000 step 17
 * "session_start > NOW() - INTERVAL '7 days'") and new users by `created_at`; without these indexes every
 * request scanned both tables whole, however short the range.
 */
export class Migration012PlatformKpis extends Migration {
  override name = 'Migration012PlatformKpis';

  override up(): void {
    this.addSql('CREATE INDEX IF NOT EXISTS sessions_started_at ON sessions (started_at)');
    this.addSql('CREATE INDEX IF NOT EXISTS users_created_at ON users (created_at)');
  }
}
