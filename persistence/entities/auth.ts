import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';

/** A device that proved its secret (`POST /api/auth/device`); only the secret's SHA-256 is kept. */
export const Device = defineEntity({
  name: 'Device',
  tableName: 'devices',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    secretHash: p.text().unique('devices_secret_hash_key'),
    deviceModel: p.text().nullable(),
    createdAt: p.datetime(),
    lastSeenAt: p.datetime(),
    /** Raised when the device is revoked: access tokens of an older generation are refused. */
    tokenGeneration: p.integer().default(0),
  },
});
export type Device = InferEntity<typeof Device>;

/** One refresh token (SHA-256 of it); single use: refreshing revokes it and issues the next. */
export const RefreshToken = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    tokenHash: p.text().primary(),
    deviceId: p.uuid(),
    userId: p.uuid(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
  },
});
export type RefreshToken = InferEntity<typeof RefreshToken>;
