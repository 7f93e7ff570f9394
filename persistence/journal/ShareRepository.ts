/** Shared constellations: create, read and count a view. The caller makes the id from a CSPRNG. */
import { raw } from '@mikro-orm/postgresql';
import type { Orm } from '../orm.js';
import { ConstellationShare } from '../entities/journal.js';
import { insertNotification, type NewNotification, type WrittenNotification } from '../notifications/NotificationRepository.js';
import { User } from '../entities/session.js';
import { unitOfWork } from '../db.js';
import type { Stored } from '../entities/index.js';

export type { ShareSnapshot } from '../entities/journal.js';

export type ShareRecord = Stored<ConstellationShare>;

export type NewShare = Omit<ShareRecord, 'shareType' | 'starCount' | 'views' | 'lastViewedAt'> & { shareType: 'public_link' | 'social_media' | 'direct_user' };

export class ShareRepository {
  constructor(
    private readonly orm: Orm,
    /** Pending pushes at most in the outbox (PUSH_QUEUE_MAX), for a direct share's notification. */
    private readonly maxPendingPushes: number,
  ) {}

  async create(share: NewShare): Promise<ShareRecord> {
    const row = rowOf(share);
    // One INSERT, no unit of work (persistence/db.ts: never flush outside one).
    await this.orm.em.fork().insert(ConstellationShare, row);
    return row;
  }

  /** A direct share and its recipient's notification in one transaction; `notification` null writes the share alone. */
  async createDirect(share: NewShare, notification: NewNotification | null): Promise<{ record: ShareRecord; notification: WrittenNotification | null }> {
    const row = rowOf(share);
    const written = await unitOfWork(this.orm, async (em) => {
      await em.insert(ConstellationShare, row);
      return notification ? insertNotification(em, notification, this.maxPendingPushes) : null;
    });
    return { record: row, notification: written };
  }

  /** Whether a user with this id exists (a direct share's recipient). */
  async userExists(userId: string): Promise<boolean> {
    return (await this.orm.em.fork().count(User, { id: userId })) > 0;
  }

  /** How many direct shares the user made since `since` (the rate bound). */
  async directSharesSince(userId: string, since: Date): Promise<number> {
    return this.orm.em.fork().count(ConstellationShare, { userId, shareType: 'direct_user', createdAt: { $gte: since } });
  }

  /** The share, or null when the id is unknown (expired ones too: the caller tells 410 from 404). */
  async find(id: string): Promise<ShareRecord | null> {
    const row = await this.orm.em.fork().findOne(ConstellationShare, { id });
    return row ? toRecord(row) : null;
  }

  /** Counts one view if the share is still live at `at`; resolves to the new count, or null when expired or gone. */
  async countView(id: string, at: Date): Promise<number | null> {
    const em = this.orm.em.fork();
    // One atomic UPDATE: concurrent views never lose a count (a read-modify-write would).
    const changed = await em.nativeUpdate(ConstellationShare, { id, expiresAt: { $gt: at } }, { views: raw('views + 1'), lastViewedAt: at });
    if (changed === 0) return null;
    const row = await em.findOne(ConstellationShare, { id }, { fields: ['views'], disableIdentityMap: true });
    return row?.views ?? null;
  }
}

const rowOf = (share: NewShare): ShareRecord => ({ ...share, starCount: share.snapshot.stars.length, views: 0, lastViewedAt: null });

function toRecord(e: ConstellationShare): ShareRecord {
  return {
    id: e.id,
    userId: e.userId,
    shareType: e.shareType,
    message: e.message ?? null,
    snapshot: e.snapshot,
    starCount: e.starCount,
    views: e.views,
    createdAt: e.createdAt,
    expiresAt: e.expiresAt,
    lastViewedAt: e.lastViewedAt ?? null,
  };
}
