/**
 * Creates notifications (direct shares, the top recommendation, friend requests, ride invites, an upload's review): through the recipient's
 * opt-outs and rate bounds, written with its pushes in one transaction, handed live to the user's sessions, and the
 * push workers woken.
 */
import type { Logger } from 'pino';
import { LRUCache } from 'lru-cache';
import type { NewNotification, NotificationRepository, WrittenNotification } from '../../persistence/notifications/NotificationRepository.js';
import { AppError } from '../../systems/errors.js';
import {
  openChannels,
  shareNotice,
  shouldTellTop,
  topRecommendationNotice,
  type Notice,
  type NotificationPreferences,
  type NotificationType,
  type PushKind,
} from '../../systems/notifications/index.js';
import type { Limit } from '../limits/Limits.js';
import type { RecommendationList } from '../discovery/Recommendations.js';
import type { LiveInbox } from './LiveInbox.js';
import { presentEntry } from './Notifications.js';

export interface NotifierDeps {
  repo: Pick<NotificationRepository, 'create' | 'preferences' | 'tellTop'>;
  live: Pick<LiveInbox, 'publish'>;
  /** Notifications from other users one user may receive per hour (NOTIFY_PER_RECIPIENT_PER_HOUR), on the backplane. */
  perRecipient: Pick<Limit, 'consume' | 'refund'>;
  /** Push kinds with credentials on this server (empty: the push channel is off). */
  pushKinds: readonly PushKind[];
  /** Least time between two top-recommendation notifications of one user (NOTIFY_TOP_RECOMMENDATION_INTERVAL_SEC). */
  topIntervalMs: number;
  /** Pushes were queued: the workers look now instead of at their next poll. */
  pushesQueued: () => void;
  log: Logger;
  now?: () => number;
}

/** Users whose top last seen this process remembers (see {@link Notifier.topRecommendation}); a forgotten one costs one read. */
const TOPS_REMEMBERED = 10_000;

/** A user's settings row as this process last saw it: the top last told and when, and when it was seen. */
interface TopSeen {
  artistId: string | null;
  toldAtMs: number | null;
  seenAtMs: number;
}

export class Notifier {
  private readonly now: () => number;
  private counts = { created: 0, outboxFull: 0, topTold: 0 };
  /** userId → the top the settings row held (told here or found told), when it was told, and when this process saw it. */
  private readonly lastTopSeen = new LRUCache<string, TopSeen>({ max: TOPS_REMEMBERED });

  constructor(private readonly deps: NotifierDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Null when the recipient closed both channels for shares (the share is still made). @throws RATE_LIMITED (429) when
   * the recipient had `perRecipientPerHour` notifications from others this hour.
   */
  async forShare(share: { senderId: string; senderName: string | null; recipientId: string; shareId: string; message: string | null; createdAt: Date }) {
    const notice = shareNotice(share.senderName, share.message, share.shareId);
    const { shareId, message, createdAt } = share;
    return this.fromListener('constellation_share', share.senderId, share.recipientId, notice, { shareId, message, createdAt });
  }

  /** Nothing when the recipient closed both channels. @throws RATE_LIMITED (429) as {@link forShare}. */
  async tell(type: 'friend_request' | 'ride_invite', from: { userId: string; name: string | null }, recipientId: string, notice: Notice): Promise<void> {
    const entry = { shareId: null, message: null, createdAt: new Date(this.now()) };
    const { notification, release } = await this.fromListener(type, from.userId, recipientId, notice, entry);
    if (!notification) return;
    const written = await this.deps.repo.create(notification).catch(async (err: unknown) => {
      await release();
      throw err;
    });
    this.written(recipientId, written, from.name);
  }

  private async fromListener(
    type: Exclude<NotificationType, 'asset_review'>,
    senderId: string,
    recipientId: string,
    notice: Notice,
    entry: { shareId: string | null; message: string | null; createdAt: Date },
  ) {
    await this.deps.perRecipient.consume(recipientId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'RATE_LIMITED')
        throw new AppError(
          'RATE_LIMITED',
          `this listener was sent too many notifications this hour; ${lowerFirst(err.message)}`,
          [{ field: 'recipientId', message: 'at its bound' }],
          err.retryAfterSec,
        );
      throw err;
    });
    // The recipient's bound gives the point back when the notification is not written after all.
    const release = () => this.deps.perRecipient.refund(recipientId, 1);
    const prefs = await this.deps.repo.preferences(recipientId);
    return { release, notification: this.addressed(prefs, { userId: recipientId, type, fromUserId: senderId, ...entry, artistId: null, notice }) };
  }

  /** The notification through the recipient's opt-outs: null when both channels are closed. */
  private addressed(
    prefs: NotificationPreferences,
    n: Omit<NewNotification, 'inApp' | 'pushKinds'> & { type: Parameters<typeof openChannels>[1] },
  ): NewNotification | null {
    const channels = openChannels(prefs, n.type);
    if (!channels.inApp && !channels.push) return null;
    return { ...n, inApp: channels.inApp, pushKinds: channels.push ? this.deps.pushKinds : [] };
  }

  /** A notice the user asked for (an upload's review): no opt-out or bound. Never throws: the decision stands anyway. */
  async inform(userId: string, artistId: string, notice: Notice): Promise<void> {
    const entry = { userId, type: 'asset_review', fromUserId: null, shareId: null, message: null, artistId, notice, inApp: true } as const;
    await this.deps.repo
      .create({ ...entry, createdAt: new Date(this.now()), pushKinds: this.deps.pushKinds })
      .then((written) => this.written(userId, written))
      .catch((err: unknown) => this.deps.log.warn({ err: (err as Error).message, userId, artistId }, 'asset review notice not written'));
  }

  /** A notification was written (with whatever caused it): live to the user's sessions, the pushes woken. */
  written(userId: string, written: WrittenNotification | null, fromName: string | null = null): void {
    if (!written) return;
    this.counts.created++;
    if (written.record) this.deps.live.publish(userId, presentEntry({ ...written.record, fromName }));
    if (written.pushesQueued > 0) this.deps.pushesQueued();
    if (written.outboxFull) {
      this.counts.outboxFull++;
      this.deps.log.warn({ userId }, 'push outbox full (PUSH_QUEUE_MAX): this notification is in the inbox but not pushed');
    }
  }

  /**
   * Tells the list's top artist when it is not the one last told and the last tell was `topIntervalMs` ago. Never throws:
   * it runs beside the list, which is delivered anyway.
   */
  async topRecommendation(userId: string, list: RecommendationList): Promise<void> {
    const top = list.recommendations[0];
    if (!top) return;
    const at = new Date(this.now());
    // "Nothing to tell" without reading the row: the same top as last seen, or any top within the interval of the last
    // tell seen (a later tell by another process is later still, so "too soon" either way). Most recomputes end here.
    const seen = this.lastTopSeen.get(userId);
    const nowMs = at.getTime();
    const interval = this.deps.topIntervalMs;
    if (seen && ((seen.artistId === top.artist.id && nowMs - seen.seenAtMs < interval) || (seen.toldAtMs !== null && nowMs - seen.toldAtMs < interval))) return;
    try {
      let row: TopSeen | undefined;
      const written = await this.deps.repo.tellTop(userId, top.artist.id, at, (settings) => {
        row = { artistId: settings.lastTopArtistId, toldAtMs: settings.lastTopAt?.getTime() ?? null, seenAtMs: nowMs };
        const decision = shouldTellTop(top.artist.id, { artistId: row.artistId, atMs: row.toldAtMs }, nowMs, interval);
        if (decision !== 'tell') return null;
        const { artist, reason } = top;
        const notice = topRecommendationNotice({ artistId: artist.id, artistName: artist.name, reason, station: artist.station });
        const n = { userId, type: 'top_recommendation', fromUserId: null, shareId: null, message: null, artistId: artist.id, notice, createdAt: at } as const;
        return this.addressed(settings.preferences, n);
      });
      if (written) {
        this.lastTopSeen.set(userId, { artistId: top.artist.id, toldAtMs: nowMs, seenAtMs: nowMs });
        this.counts.topTold++;
      } else if (row) this.lastTopSeen.set(userId, row);
      this.written(userId, written);
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message, userId }, 'top recommendation not notified');
    }
  }

  stats(): { created: number; outboxFull: number; topTold: number } {
    return { ...this.counts };
  }
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
