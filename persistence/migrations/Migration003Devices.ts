import { Migration } from '@mikro-orm/migrations';

/**
 * Devices that proved a secret, and rotating refresh tokens; only SHA-256 hashes are stored (32+ random bytes, so a
 * fast hash is enough). Older users with a self-asserted deviceId cannot sign in: it was never proof.
 */
export class Migration003Devices extends Migration {
  override name = 'Migration003Devices';

  override up(): void {
    this.addSql(`CREATE TABLE devices (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      secret_hash text NOT NULL CONSTRAINT devices_secret_hash_key UNIQUE,
      device_model text,
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL
    )`);
    this.addSql('CREATE INDEX devices_user ON devices (user_id)');
    this.addSql(`CREATE TABLE refresh_tokens (
      token_hash text PRIMARY KEY,
      device_id uuid NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      -- set when the token is used (rotated) or its device's tokens are revoked; a used token presented again is a theft signal
      revoked_at timestamptz
    )`);
    this.addSql('CREATE INDEX refresh_tokens_device ON refresh_tokens (device_id)');
  }
}
