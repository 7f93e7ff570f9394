/**
 * The notification inbox through the EntityManager (low-rate CRUD, one fork per call): a user's
 * newest entries with the unread count, and marking entries read. Entries are written with the share
 * that causes them (ShareRepository.createDirect), in its transaction.
 */
import { Notification } from '../entities/notifications.js';
import { MediaId } from '../entities/mediaid.js';
import type { Orm } from '../orm.js';

export interface NotificationRecord {
  id: string;
  type: string;
  fromUserId: string | null;
  fromName: string | null;
  shareId: string | null;
  message: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export class NotificationRepository {
  constructor(private readonly orm: Orm) {}

  /** The user's newest `limit` entries (older than `beforeId` when given) and how many are unread in all. */
  async inbox(userId: string, limit: number, beforeId: string | null): Promise<{ entries: NotificationRecord[]; unread: number }> {
    const em = this.orm.em.fork();
    const where = beforeId === null ? { userId } : { userId, id: { $lt: beforeId } };
    const [rows, unread] = await Promise.all([
      em.find(Notification, where, { orderBy: { id: 'desc' }, limit, disableIdentityMap: true }),
      em.count(Notification, { userId, readAt: null }),
    ]);
    const senders = [...new Set(rows.map((r) => r.fromUserId).filter((id): id is string => !!id))];
    const names = new Map<string, string>();
    if (senders.length)
      for (const m of await em.find(MediaId, { userId: { $in: senders } }, { fields: ['userId', 'displayName'], disableIdentityMap: true }))
        if (m.displayName?.trim()) names.set(m.userId, m.displayName.trim());
    const entries = rows.map((r) => ({
      id: String(r.id),
      type: r.type,
      fromUserId: r.fromUserId ?? null,
      fromName: r.fromUserId ? (names.get(r.fromUserId) ?? null) : null,
      shareId: r.shareId ?? null,
      message: r.message ?? null,
      createdAt: r.createdAt,
      readAt: r.readAt ?? null,
    }));
    return { entries, unread };
  }

  /** Marks the user's entries read (the given ids, or all); another user's ids are ignored. Resolves to how many changed. */
  async markRead(userId: string, ids: string[] | 'all', at: Date): Promise<number> {
    const where = ids === 'all' ? { userId, readAt: null } : { userId, readAt: null, id: { $in: ids } };
    return this.orm.em.fork().nativeUpdate(Notification, where, { readAt: at });
  }
}
