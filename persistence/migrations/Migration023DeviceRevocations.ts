import { Migration } from '@mikro-orm/migrations';

/**
 * A device's token generation: tokens of an older one are refused, so a reused refresh token (a theft signal) stops
 * the device's tokens and live sessions at once, not when they expire.
 */
export class Migration023DeviceRevocations extends Migration {
  override name = 'Migration023DeviceRevocations';

  override up(): void {
    this.addSql('ALTER TABLE devices ADD COLUMN token_generation integer NOT NULL DEFAULT 0');
  }

  override down(): void {
    this.addSql('ALTER TABLE devices DROP COLUMN token_generation');
  }
}
