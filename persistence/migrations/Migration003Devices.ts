import { Migration } from '@mikro-orm/migrations';

/**
 * Verified identity: devices that proved a secret, and rotating refresh tokens. Only SHA-256 hashes
 * of secrets and refresh tokens are stored (both are 32+ random bytes, so a fast hash is enough).
 *
 * `users.device_id` stays (NOT NULL, unique): a user created by `POST /api/auth/device` gets the id of
 * its first device there. Users created before this migration by a self-asserted deviceId have no
 * device row and cannot be signed in to: a deviceId was never proof of anything.
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
