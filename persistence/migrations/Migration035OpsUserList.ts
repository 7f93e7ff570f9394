import { Migration } from '@mikro-orm/migrations';

/** The ops user list (most recently seen first) and device-model prefix search read indexes, not every row. */
export class Migration035OpsUserList extends Migration {
  override name = 'Migration035OpsUserList';

  override up(): void {
    this.addSql('CREATE INDEX users_last_seen ON users (last_seen_at DESC, id DESC)');
    this.addSql('CREATE INDEX devices_model_lower ON devices (lower(device_model) text_pattern_ops)');
  }

  override down(): void {
    this.addSql('DROP INDEX devices_model_lower');
    this.addSql('DROP INDEX users_last_seen');
  }
}
