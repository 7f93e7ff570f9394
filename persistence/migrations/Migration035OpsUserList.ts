import { Migration } from '@mikro-orm/migrations';

/**
 * The ops console lists every user a page at a time, most recently seen first, and its one search finds users
 * by their device's model ("iPhone" → iPhone15,2, "iPhone 15 Pro"). These indexes make a page read its rows and
 * a model prefix read its devices, instead of sorting every user or scanning every device.
 */
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
