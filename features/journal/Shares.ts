/**
 * Shared constellations: a frozen snapshot behind an unguessable id, readable for 30 days, re-enriched with current
 * artist data on every view, compared with the viewer's when signed in.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../systems/errors.js';
import { ANONYMOUS_LISTENER } from '../../systems/notifications/index.js';
import { compareConstellations, journalSchema, shareComparisonSchema } from '../../systems/journal/index.js';
import type { ConstellationRepository } from '../../persistence/constellation/ConstellationRepository.js';
import type { NewShare, ShareRecord, ShareRepository, ShareSnapshot } from '../../persistence/journal/ShareRepository.js';
import type { JournalService } from './Journal.js';
import type { Notifier } from '../notifications/Notifier.js';
import type { Friends } from '../friends/Friends.js';

export const SHARE_TTL_MS = 30 * 24 * 3600 * 1000;
/** 16 random bytes = 128 bits, base64url without padding: 22 characters. */
export const SHARE_ID_BYTES = 16;
export const SHARE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** Unknown (404), expired (410), nothing to share (409), a bad recipient (400) or too many direct shares (429), with the message the client shows. */
export class ShareError extends AppError<'NOT_FOUND' | 'GONE' | 'CONFLICT' | 'VALIDATION_FAILED' | 'RATE_LIMITED'> {}

export const shareCreatedSchema = z
  .object({
    shareId: z.string(),
    /** Path of the share page on this server. */
    shareUrl: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    /** The link-preview picture (path on this server; the page's og:image gives it absolute). */
    previewImage: z.string(),
    socialMetadata: z.object({ ogTitle: z.string(), ogDescription: z.string(), ogImage: z.string() }),
  })
  .meta({ title: 'ShareCreated' });
export type ShareCreated = z.infer<typeof shareCreatedSchema>;

/** A share as its page reads it: the owner's constellation as the journal reads, and the viewer's comparison when signed in. */
export const sharedViewSchema = z
  .object({
    shareId: z.string(),
    owner: z.object({ displayName: z.string() }),
    message: z.string().nullable(),
    createdAt: z.string(),
    expiresAt: z.string(),
    views: z.number().int(),
    constellation: journalSchema,
    viewer: z.union([shareComparisonSchema, z.object({ isLoggedIn: z.literal(false) }).meta({ title: 'AnonymousViewer' })]),
  })
  .meta({ title: 'SharedConstellation' });
export type SharedView = z.infer<typeof sharedViewSchema>;

/** A share as a link preview sees it: the tags' text and what the preview picture draws. */
export type SharePreview =
  | { status: 'ok'; ownerName: string; title: string; description: string; message: string | null; snapshot: ShareSnapshot }
  | { status: 'not_found' }
  | { status: 'gone'; expiredAt: string };

export interface SharesDeps {
  shares: ShareRepository;
  constellations: Pick<ConstellationRepository, 'constellationOf'>;
  journal: Pick<JournalService, 'fromStars'>;
  /** "Anonymised unless friends": the owner's name as a viewer may see it; `name` for a direct share's sender. */
  names: Pick<Friends, 'nameFor' | 'name'>;
  maxShareStars: number;
  /** Direct shares one user may send per hour (each leaves a notification in someone else's inbox). */
  directSharesPerHour: number;
  /** A direct share's notification: the recipient's bound and opt-outs, then live and push delivery (features/notifications). */
  notifier: Pick<Notifier, 'forShare' | 'written'>;
}

const HOUR_MS = 3_600_000;

export class Shares {
  private readonly now = Date.now;

  constructor(private readonly deps: SharesDeps) {}

  /**
   * Snapshots the user's constellation; a `direct_user` share notifies its recipient (`recipientId`) in the same transaction.
   * @throws ShareError CONFLICT when it has no stars or too many; for a direct share VALIDATION_FAILED (no recipient, or oneself), NOT_FOUND, RATE_LIMITED.
   */
  async create(
    userId: string,
    input: { message: string | null; shareType: 'public_link' | 'social_media' | 'direct_user'; recipientId?: string | null },
  ): Promise<ShareCreated> {
    const recipientId = input.shareType === 'direct_user' ? await this.checkRecipient(userId, input.recipientId ?? null) : null;
    const { stars, connections } = await this.deps.constellations.constellationOf(userId);
    if (!stars.length) throw new ShareError('CONFLICT', 'your constellation has no stars yet: capture one before sharing');
    if (stars.length > this.deps.maxShareStars)
      throw new ShareError('CONFLICT', `a share holds at most ${this.deps.maxShareStars} stars; yours has ${stars.length}`);
    const journal = await this.deps.journal.fromStars(stars, connections);
    const names = new Map(journal.stars.map((s) => [s.artist.id, s.artist.name]));
    const snapshot: ShareSnapshot = {
      stars: stars.map(({ id, artistId, position, capturedAt }) => ({ id, artistId, artistName: names.get(artistId) ?? artistId, position, capturedAt })),
      connections: connections.map(({ from, to, strength, type }) => ({ from, to, strength, type })),
    };
    const createdAt = new Date(this.now());
    const share = {
      id: randomBytes(SHARE_ID_BYTES).toString('base64url'),
      userId,
      shareType: input.shareType,
      message: input.message,
      snapshot,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + SHARE_TTL_MS),
    };
    const record = recipientId ? await this.createDirect(share, recipientId) : await this.deps.shares.create(share);
    const decades = journal.statistics.discovery.decadesSpanned;
    return {
      shareId: record.id,
      shareUrl: `/shared/${record.id}`,
      createdAt: record.createdAt.toISOString(),
      expiresAt: record.expiresAt.toISOString(),
      previewImage: `/api/shared/${record.id}/preview.png`,
      socialMetadata: {
        ogImage: `/api/shared/${record.id}/preview.png`,
        ogTitle: 'My Musical Constellation',
        ogDescription: `${stars.length} artist${stars.length === 1 ? '' : 's'} spanning ${decades} decade${decades === 1 ? '' : 's'} of music`,
      },
    };
  }

  /**
   * Counts the view. `viewerId` (from a verified token) adds the comparison, and the owner's name when they are friends.
   * @throws ShareError NOT_FOUND (unknown id) or GONE (expired).
   */
  async view(id: string, viewerId: string | null): Promise<SharedView> {
    const at = new Date(this.now());
    const share = await this.deps.shares.find(id);
    if (!share) throw new ShareError('NOT_FOUND', 'no shared constellation has this id; check the link');
    const views = share.expiresAt > at ? await this.deps.shares.countView(id, at) : null;
    if (views === null) throw new ShareError('GONE', `this shared constellation expired on ${share.expiresAt.toISOString()}; ask its owner to share it again`);
    const constellation = await this.deps.journal.fromStars(share.snapshot.stars, share.snapshot.connections);
    const displayName = (await this.deps.names.nameFor(share.userId, viewerId)) ?? ANONYMOUS_LISTENER;
    return {
      shareId: share.id,
      owner: { displayName },
      message: share.message,
      createdAt: share.createdAt.toISOString(),
      expiresAt: share.expiresAt.toISOString(),
      views,
      constellation,
      viewer: await this.compare(share, viewerId),
    };
  }

  /** A link preview, without counting a view (the page's own GET counts it); anyone may see it, so it never names the owner. */
  async preview(id: string): Promise<SharePreview> {
    const share = await this.deps.shares.find(id);
    if (!share) return { status: 'not_found' };
    if (share.expiresAt <= new Date(this.now())) return { status: 'gone', expiredAt: share.expiresAt.toISOString() };
    const names = share.snapshot.stars.map((s) => s.artistName);
    const shown = names.slice(0, 4).join(', ');
    const more = names.length > 4 ? ` and ${names.length - 4} more` : '';
    return {
      status: 'ok',
      ownerName: ANONYMOUS_LISTENER,
      title: `${ANONYMOUS_LISTENER}'s Musical Constellation · ${names.length} star${names.length === 1 ? '' : 's'} · DeepStream`,
      description: share.message ? `“${share.message}” — ${shown}${more}` : `${shown}${more}: explore how these artists connect, on DeepStream.`,
      message: share.message,
      snapshot: share.snapshot,
    };
  }

  /** Under the recipient's bound and opt-outs; then the notification goes live and to push. A refused share gives the bound's point back. */
  private async createDirect(share: NewShare, recipientId: string): Promise<ShareRecord> {
    const notifier = this.deps.notifier;
    const senderName = await this.deps.names.name(share.userId);
    const prepared = await notifier.forShare({ ...share, senderId: share.userId, senderName, recipientId, shareId: share.id });
    try {
      const { record, notification } = await this.deps.shares.createDirect(share, prepared.notification);
      notifier.written(recipientId, notification, senderName);
      return record;
    } catch (err) {
      await prepared.release();
      throw err;
    }
  }

  /** A direct share's recipient: given, someone else, an existing user, and the sender under the hourly bound. */
  private async checkRecipient(userId: string, recipientId: string | null): Promise<string> {
    if (!recipientId)
      throw new ShareError('VALIDATION_FAILED', 'a direct_user share needs recipientId: the user id of the listener to share with', [
        { field: 'recipientId', message: 'required when shareType is direct_user' },
      ]);
    if (recipientId.toLowerCase() === userId.toLowerCase())
      throw new ShareError('VALIDATION_FAILED', 'share with someone else: recipientId is your own user id', [
        { field: 'recipientId', message: 'is the sender' },
      ]);
    const limit = this.deps.directSharesPerHour;
    const sent = await this.deps.shares.directSharesSince(userId, new Date(this.now() - HOUR_MS));
    if (sent >= limit) throw new ShareError('RATE_LIMITED', `at most ${limit} direct shares an hour; try again later`, undefined, 60);
    if (!(await this.deps.shares.userExists(recipientId)))
      throw new ShareError('NOT_FOUND', 'no listener has this recipientId; check the id', [{ field: 'recipientId', message: 'unknown user' }]);
    return recipientId;
  }

  private async compare(share: ShareRecord, viewerId: string | null): Promise<SharedView['viewer']> {
    if (!viewerId) return { isLoggedIn: false };
    const mine = await this.deps.constellations.constellationOf(viewerId);
    const shared = share.snapshot.stars.map((s) => ({ artistId: s.artistId, name: s.artistName }));
    return compareConstellations(
      shared,
      mine.stars.map((s) => s.artistId),
    );
  }
}
