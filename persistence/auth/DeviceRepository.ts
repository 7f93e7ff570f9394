import { ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Orm } from '../orm.js';
import { unitOfWork } from '../db.js';
import { Device, RefreshToken } from '../entities/auth.js';

export interface DeviceRecord {
  id: string;
  userId: string;
  /** Tokens of an older generation are refused (`devices.token_generation`, persistence/migrations/baselineCore.ts). */
  generation: number;
}

export interface NewDevice {
  userId: string;
  deviceId: string;
  secretHash: string;
  deviceModel: string | null;
  now: Date;
}

/** What became of a presented refresh token; `generation` is the device's after it (raised by a reuse). */
export type RefreshOutcome = { status: 'rotated' | 'reused'; userId: string; deviceId: string; generation: number } | { status: 'expired' | 'unknown' };

/** A unique violation on the device secret (MikroORM's wrapper or node-postgres' own error, as `cause` or itself). */
function isSecretTaken(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, constraint, message } = e as { code?: unknown; constraint?: unknown; message?: unknown };
    if (constraint === 'devices_secret_hash_key') return true;
    if ((e instanceof UniqueConstraintViolationException || code === '23505') && typeof message === 'string' && message.includes('devices_secret_hash_key'))
      return true;
  }
  return false;
}

/** Users, devices and refresh tokens: low-rate CRUD, one fork per call; every write but a link is one statement. */
export class DeviceRepository {
  constructor(private readonly orm: Orm) {}

  async findBySecretHash(secretHash: string): Promise<DeviceRecord | null> {
    const device = await this.orm.em.fork().findOne(Device, { secretHash }, { fields: ['id', 'userId', 'tokenGeneration'] });
    return device ? { id: device.id, userId: device.userId, generation: device.tokenGeneration } : null;
  }

  /** `secret_taken` when a concurrent call bound the secret first (its transaction rolls back, leaving no user). */
  async createUserWithDevice(d: NewDevice): Promise<'created' | 'secret_taken'> {
    try {
      // One statement: a sign-up is the first thing a new listener waits for, and two inserts cost four trips to a far
      // store. The device's foreign key is checked at the statement's end, when the user's row exists.
      await this.orm.em.getConnection().execute(
        `WITH u AS (
           INSERT INTO users (id, device_id, first_launch, created_at, last_seen_at) VALUES (?, ?, true, ?, ?) RETURNING id)
         INSERT INTO devices (id, user_id, secret_hash, device_model, created_at, last_seen_at)
         SELECT ?, u.id, ?, ?, ?, ? FROM u`,
        [d.userId, d.deviceId, d.now, d.now, d.deviceId, d.secretHash, d.deviceModel, d.now, d.now],
        'run',
      );
      return 'created';
    } catch (err) {
      if (isSecretTaken(err)) return 'secret_taken';
      throw err;
    }
  }

  /**
   * Links another device unless the user already has `bound.max` live ones (signed in since `bound.activeSince`,
   * or holding a live refresh token). The user's row is locked while counting, so concurrent links never pass the bound.
   */
  async addDevice(d: NewDevice, bound: { max: number; activeSince: Date }): Promise<'created' | 'secret_taken' | 'unknown_user' | 'device_limit'> {
    try {
      return await unitOfWork(this.orm, async (em) => {
        // On the unit of work's transaction (em.execute would take a pooled connection of its own, and the lock with it).
        const run = <T>(sql: string, params: unknown[]) => em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
        // Two statements: a statement that waited for the lock still reads with the snapshot it started with,
        // so a count inside it would miss the devices the lock holder just added.
        if ((await run('SELECT 1 FROM users WHERE id = ? FOR UPDATE', [d.userId])).length === 0) return 'unknown_user';
        const [user] = await run<{ live: number }>(
          `SELECT count(*)::int AS live FROM devices d WHERE d.user_id = ? AND (d.last_seen_at > ? OR EXISTS (
             SELECT 1 FROM refresh_tokens r WHERE r.device_id = d.id AND r.revoked_at IS NULL AND r.expires_at > ?))`,
          [d.userId, bound.activeSince, d.now],
        );
        if (user.live >= bound.max) return 'device_limit';
        await em.insert(Device, {
          id: d.deviceId,
          userId: d.userId,
          secretHash: d.secretHash,
          deviceModel: d.deviceModel,
          createdAt: d.now,
          lastSeenAt: d.now,
        });
        return 'created';
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return 'secret_taken';
      if (err instanceof ForeignKeyConstraintViolationException) return 'unknown_user';
      throw err;
    }
  }

  /** The user a device belongs to and its token generation, or null when no such device exists. */
  async deviceOf(deviceId: string): Promise<{ userId: string; generation: number } | null> {
    const row = await this.orm.em.fork().findOne(Device, { id: deviceId }, { fields: ['userId', 'tokenGeneration'] });
    return row ? { userId: row.userId, generation: row.tokenGeneration } : null;
  }

  /** A known device signed in again: remember when, and its model when it sent one. */
  async touchDevice(deviceId: string, deviceModel: string | null, now: Date): Promise<void> {
    await this.orm.em.fork().nativeUpdate(Device, { id: deviceId }, deviceModel === null ? { lastSeenAt: now } : { lastSeenAt: now, deviceModel });
  }

  /** One statement: expired tokens are refused here and deleted by the `cleanup` job (deleting here cost a second commit). */
  async saveRefreshToken(t: { tokenHash: string; deviceId: string; userId: string; now: Date; expiresAt: Date }): Promise<void> {
    await this.orm.em
      .fork()
      .insert(RefreshToken, { tokenHash: t.tokenHash, deviceId: t.deviceId, userId: t.userId, createdAt: t.now, expiresAt: t.expiresAt, revokedAt: null });
  }

  /**
   * The conditional UPDATE lets exactly one of two concurrent refreshes win. A token used twice is a theft signal:
   * the device's refresh tokens are revoked, its token generation raised, and it must sign in with its secret again.
   */
  async consumeRefreshToken(tokenHash: string, now: Date): Promise<RefreshOutcome> {
    const em = this.orm.em.fork();
    const won = await em.nativeUpdate(RefreshToken, { tokenHash, revokedAt: null, expiresAt: { $gt: now } }, { revokedAt: now });
    const row = await em.findOne(RefreshToken, { tokenHash }, { fields: ['deviceId', 'userId', 'revokedAt', 'expiresAt'] });
    if (won === 1 && row) {
      const device = await em.findOne(Device, { id: row.deviceId }, { fields: ['tokenGeneration'] });
      return { status: 'rotated', userId: row.userId, deviceId: row.deviceId, generation: device?.tokenGeneration ?? 0 };
    }
    if (!row) return { status: 'unknown' };
    if (row.revokedAt !== null && row.revokedAt !== undefined) {
      // The device's access tokens go too: one statement revokes its refresh tokens and raises its generation.
      const [revoked] = await em.getConnection().execute<Array<{ generation: number }>>(
        `WITH tokens AS (UPDATE refresh_tokens SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL)
         UPDATE devices SET token_generation = token_generation + 1 WHERE id = ? RETURNING token_generation AS generation`,
        [now, row.deviceId, row.deviceId],
      );
      return { status: 'reused', userId: row.userId, deviceId: row.deviceId, generation: revoked?.generation ?? 0 };
    }
    return { status: 'expired' };
  }
}
