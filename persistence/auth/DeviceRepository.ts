import { ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Orm } from '../orm.js';
import { Device, RefreshToken } from '../entities/auth.js';

export interface DeviceRecord {
  id: string;
  userId: string;
}

export interface NewDevice {
  userId: string;
  deviceId: string;
  secretHash: string;
  deviceModel: string | null;
  now: Date;
}

/** What became of a presented refresh token. */
export type RefreshOutcome = { status: 'rotated' | 'reused'; userId: string; deviceId: string } | { status: 'expired' | 'unknown' };

/**
 * Devices and refresh tokens (low-rate CRUD through MikroORM's EntityManager, one fork per call).
 * Every write is a single statement, so none needs a transaction: a new user and its first device
 * are one INSERT … WITH, a refresh-token rotation one conditional UPDATE.
 */
export class DeviceRepository {
  constructor(private readonly orm: Orm) {}

  async findBySecretHash(secretHash: string): Promise<DeviceRecord | null> {
    const device = await this.orm.em.fork().findOne(Device, { secretHash }, { fields: ['id', 'userId'] });
    return device ? { id: device.id, userId: device.userId } : null;
  }

  /** A new user and its first device, atomically; `secret_taken` when a concurrent call bound the secret first. */
  async createUserWithDevice(d: NewDevice): Promise<'created' | 'secret_taken'> {
    try {
      await this.orm.em.fork().execute(
        `WITH u AS (INSERT INTO users (id, device_id, first_launch, created_at, last_seen_at) VALUES (?, ?, true, ?, ?) RETURNING id)
         INSERT INTO devices (id, user_id, secret_hash, device_model, created_at, last_seen_at) SELECT ?, u.id, ?, ?, ?, ? FROM u`,
        [d.userId, d.deviceId, d.now, d.now, d.deviceId, d.secretHash, d.deviceModel, d.now, d.now],
        'run',
      );
      return 'created';
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException && /devices_secret_hash_key/.test(err.message)) return 'secret_taken';
      throw err;
    }
  }

  /** Links another device to an existing user. */
  async addDevice(d: NewDevice): Promise<'created' | 'secret_taken' | 'unknown_user'> {
    try {
      await this.orm.em.fork().insert(Device, { id: d.deviceId, userId: d.userId, secretHash: d.secretHash, deviceModel: d.deviceModel, createdAt: d.now, lastSeenAt: d.now });
      return 'created';
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return 'secret_taken';
      if (err instanceof ForeignKeyConstraintViolationException) return 'unknown_user';
      throw err;
    }
  }

  /** A known device signed in again: remember when, and its model when it sent one. */
  async touchDevice(deviceId: string, deviceModel: string | null, now: Date): Promise<void> {
    await this.orm.em.fork().nativeUpdate(Device, { id: deviceId }, deviceModel === null ? { lastSeenAt: now } : { lastSeenAt: now, deviceModel });
  }

  async userExists(userId: string): Promise<boolean> {
    const rows = await this.orm.em.fork().execute<Array<{ n: number }>>('SELECT 1 AS n FROM users WHERE id = ?', [userId]);
    return rows.length > 0;
  }

  /** Stores a refresh token's hash; the device's expired tokens go at the same time (they can no longer be used nor reused). */
  async saveRefreshToken(t: { tokenHash: string; deviceId: string; userId: string; now: Date; expiresAt: Date }): Promise<void> {
    const em = this.orm.em.fork();
    await em.insert(RefreshToken, { tokenHash: t.tokenHash, deviceId: t.deviceId, userId: t.userId, createdAt: t.now, expiresAt: t.expiresAt, revokedAt: null });
    await em.nativeDelete(RefreshToken, { deviceId: t.deviceId, expiresAt: { $lt: t.now } });
  }

  /**
   * Uses a refresh token once: the conditional UPDATE lets exactly one of two concurrent refreshes
   * win. A token that was already used is a theft signal (the thief or the owner holds a copy):
   * every live token of that device is revoked, and the device must sign in with its secret again.
   */
  async consumeRefreshToken(tokenHash: string, now: Date): Promise<RefreshOutcome> {
    const em = this.orm.em.fork();
    const won = await em.nativeUpdate(RefreshToken, { tokenHash, revokedAt: null, expiresAt: { $gt: now } }, { revokedAt: now });
    const row = await em.findOne(RefreshToken, { tokenHash }, { fields: ['deviceId', 'userId', 'revokedAt', 'expiresAt'] });
    if (won === 1 && row) return { status: 'rotated', userId: row.userId, deviceId: row.deviceId };
    if (!row) return { status: 'unknown' };
    if (row.revokedAt !== null && row.revokedAt !== undefined) {
      await em.nativeUpdate(RefreshToken, { deviceId: row.deviceId, revokedAt: null }, { revokedAt: now });
      return { status: 'reused', userId: row.userId, deviceId: row.deviceId };
    }
    return { status: 'expired' };
  }
}
