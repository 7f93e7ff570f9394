import { Migration } from '@mikro-orm/migrations';

/**
 * A device's token generation: every access token carries the generation it was signed for, and a
 * token of an older generation is refused. A used refresh token presented again (a theft signal)
 * revokes the device by raising it, so the tokens and live sessions from before stop at once, not when
 * they expire; signing in again with the device secret issues tokens of the new generation.
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
