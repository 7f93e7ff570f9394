/**
 * A user's notification inbox (seed 000 step 16.4: a constellation shared with them): newest first,
 * paged by id, with the unread count; entries marked read one by one or all at once. Only ever the
 * token user's own entries: another user's ids are ignored, never reported.
 */
import type { NotificationRecord, NotificationRepository } from '../../persistence/notifications/NotificationRepository.js';

/** Largest page of the inbox. */
export const MAX_INBOX_PAGE = 100;

export interface InboxEntry {
  id: string;
  type: string;
  from: { userId: string | null; displayName: string | null };
  shareId: string | null;
  /** Path of the shared constellation's page. */
  shareUrl: string | null;
  message: string | null;
  createdAt: string;
  read: boolean;
}

export interface Inbox {
  notifications: InboxEntry[];
  unread: number;
  /** Pass as `before` for the next (older) page; null when this page is the last. */
  nextBefore: string | null;
}

export class Notifications {
  constructor(
    private readonly repo: Pick<NotificationRepository, 'inbox' | 'markRead'>,
    private readonly now: () => number = Date.now,
  ) {}

  async inbox(userId: string, limit: number, before: string | null): Promise<Inbox> {
    const { entries, unread } = await this.repo.inbox(userId, limit, before);
    return { notifications: entries.map(present), unread, nextBefore: entries.length === limit ? entries[entries.length - 1].id : null };
  }

  /** Marks `ids` (or all) of the user's entries read; resolves to how many were unread and now are not. */
  async markRead(userId: string, ids: string[] | 'all'): Promise<{ marked: number }> {
    return { marked: await this.repo.markRead(userId, ids, new Date(this.now())) };
  }
}

function present(r: NotificationRecord): InboxEntry {
  return {
    id: r.id,
    type: r.type,
    from: { userId: r.fromUserId, displayName: r.fromName },
    shareId: r.shareId,
    shareUrl: r.shareId ? `/shared/${r.shareId}` : null,
    message: r.message,
    createdAt: r.createdAt.toISOString(),
    read: r.readAt !== null,
  };
}
