/**
 * Push registrations: registering a token again moves it to the caller. The per-user bound is checked under a lock on
 * the user's row, so two registrations at once cannot pass it.
 */
import { PushDevice } from '../entities/notifications.js';
import type { Orm } from '../orm.js';
import { unitOfWork } from '../db.js';
import type { Stored } from '../entities/index.js';
import type { PushKind } from '../../systems/notifications/index.js';

/** `address`: the APNs device token, or the Web Push endpoint. */
export type PushDeviceRecord = Pick<Stored<PushDevice>, 'id' | 'address' | 'createdAt' | 'lastSeenAt'> & { kind: PushKind };

export type NewPushDevice = Pick<Stored<PushDevice>, 'userId' | 'address'> & { kind: PushKind; keys: { p256dh: string; auth: string } | null; at: Date };

export class PushDeviceRepository {
  constructor(private readonly orm: Orm) {}

  /** Registers (or refreshes) a device; `limit` when the user holds `maxPerUser` others already (nothing written). */
  async register(d: NewPushDevice, maxPerUser: number): Promise<{ device: PushDeviceRecord; created: boolean } | 'limit'> {
    return unitOfWork(this.orm, async (em) => {
      await em.execute(`SELECT 1 FROM users WHERE id = ? FOR UPDATE`, [d.userId]);
      const [held] = await em.execute<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM push_devices WHERE user_id = ? AND NOT (kind = ? AND address = ?)`,
        [d.userId, d.kind, d.address],
      );
      if (Number(held?.n ?? 0) >= maxPerUser) return 'limit' as const;
      const [row] = await em.execute<Array<{ id: string; created_at: Date; inserted: boolean }>>(
        `INSERT INTO push_devices (user_id, kind, address, p256dh, auth, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (kind, address) DO UPDATE SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth, last_seen_at = EXCLUDED.last_seen_at
         RETURNING id::text AS id, created_at, (xmax = 0) AS inserted`,
        [d.userId, d.kind, d.address, d.keys?.p256dh ?? null, d.keys?.auth ?? null, d.at, d.at],
      );
      return {
        device: { id: String(row!.id), kind: d.kind, address: d.address, createdAt: new Date(row!.created_at), lastSeenAt: d.at },
        created: row!.inserted === true,
      };
    });
  }

  /** The user's registrations, newest first. */
  async list(userId: string): Promise<PushDeviceRecord[]> {
    const rows = await this.orm.em.fork().find(PushDevice, { userId }, { orderBy: { id: 'desc' }, disableIdentityMap: true });
    return rows.map((r) => ({ id: String(r.id), kind: r.kind as PushKind, address: r.address, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt }));
  }

  /** Removes one of the user's registrations (another user's id removes nothing); true when removed. */
  async remove(userId: string, id: string): Promise<boolean> {
    return (await this.orm.em.fork().nativeDelete(PushDevice, { id, userId })) > 0;
  }

  /** Removes a registration the provider said is dead (its pending pushes go with it). */
  async removeDead(id: string): Promise<void> {
    await this.orm.em.fork().nativeDelete(PushDevice, { id });
  }
}
