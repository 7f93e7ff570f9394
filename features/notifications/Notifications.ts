/** A user's inbox, opt-outs and read marks; only the token user's own entries (other ids are ignored, never reported). */
import type { NotificationRecord, NotificationRepository } from '../../persistence/notifications/NotificationRepository.js';
import { MAX_INBOX_PAGE, type Inbox, type InboxEntry, type NotificationPreferences } from '../../systems/notifications/index.js';

export { MAX_INBOX_PAGE, type InboxEntry };

export class Notifications {
  constructor(
    private readonly repo: Pick<NotificationRepository, 'inbox' | 'markRead' | 'preferences' | 'savePreferences'>,
    private readonly now: () => number = Date.now,
  ) {}

  async inbox(userId: string, limit: number, before: string | null): Promise<Inbox> {
    const { entries, unread } = await this.repo.inbox(userId, limit, before);
    return { notifications: entries.map(presentEntry), unread, nextBefore: entries.length === limit ? entries[entries.length - 1].id : null };
  }

  /** The newest `limit` unread entries and the unread count: what a session is told at its join or resume. */
  async unread(userId: string, limit: number): Promise<{ notifications: InboxEntry[]; unread: number }> {
    const { entries, unread } = await this.repo.inbox(userId, limit, null, true);
    return { notifications: entries.map(presentEntry), unread };
  }

  /** Marks `ids` (or all) of the user's entries read; resolves to how many were unread and now are not. */
  async markRead(userId: string, ids: string[] | 'all'): Promise<{ marked: number }> {
    return { marked: await this.repo.markRead(userId, ids, new Date(this.now())) };
  }

  preferences(userId: string): Promise<NotificationPreferences> {
    return this.repo.preferences(userId);
  }

  async setPreferences(userId: string, preferences: NotificationPreferences): Promise<NotificationPreferences> {
    await this.repo.savePreferences(userId, preferences, new Date(this.now()));
    return preferences;
  }
}

/** An inbox row as clients see it (HTTP, the session room's `notification` and `notifications`). */
export function presentEntry(r: NotificationRecord): InboxEntry {
  return {
    id: r.id,
    type: r.type as InboxEntry['type'],
    from: { userId: r.fromUserId, displayName: r.fromName },
    shareId: r.shareId,
    shareUrl: r.shareId ? `/shared/${r.shareId}` : null,
    message: r.message,
    artistId: r.artistId,
    title: r.title,
    body: r.body,
    deepLink: r.deepLink,
    createdAt: r.createdAt.toISOString(),
    read: r.readAt !== null,
  };
}
