/**
 * Share links: an open is counted for the sharer when it is a person's browser, once per visitor per link per UTC day,
 * within per-link and per-address bounds. A visitor is a 16-byte HMAC of address and User-Agent under the day's key,
 * deleted after two days. Counting never stands between a person and the target: every open still redirects.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../../systems/errors.js';
import { makeEvent, nameUuid } from '../../systems/passport/build.js';
import {
  LINK_ID_BYTES,
  LINK_ID_PATTERN,
  linkPayload,
  notAnOpen,
  targetPath,
  type LinkTargetType,
  type OpenRequest,
  type ShareLink,
} from '../../systems/links/shareLinks.js';
import { dayOf, type ShareLinkStore } from '../../persistence/links/ShareLinkStore.js';
import type { PassportIngest } from '../passport/durableIngest.js';
import { RateLimitedError, type Limit } from '../limits/Limits.js';

export interface ShareLinkLimits {
  /** Links one user may make per hour. */
  creates: Pick<Limit, 'consume'>;
  /** Opens counted per client address per hour (past it, opens redirect uncounted). */
  opens: Pick<Limit, 'consume'>;
}

export interface ShareLinkView extends ShareLink {
  url: string;
  opens: number;
}

/** The link's passport event, by its owner: shared, or opened by a visitor; its id a UUID from `name`, so the same share or open is one event. */
function linkEvent(action: 'shared' | 'opened', link: ShareLink, name: string, at: number) {
  const eventId = nameUuid(createHash('sha256').update(name).digest());
  const fields = { eventId, occurredAt: at, entityType: 'share_link', entityId: link.id, payload: linkPayload(link, action) };
  return makeEvent(`social.link_${action}`, fields, { userId: link.userId, source: 'http' }, at, () => eventId);
}

/** 16 bytes of HMAC-SHA256: a visitor (address and browser) or an address, under the day's key. */
const hmac16 = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest().subarray(0, 16);

export class ShareLinks {
  private readonly now = Date.now;
  /** The day's key, held for the day (one read per process per day). */
  private key: { day: string; key: Buffer } | null = null;

  constructor(
    private readonly store: ShareLinkStore,
    private readonly passport: PassportIngest,
    private readonly limits: ShareLinkLimits,
    private readonly log: Pick<Logger, 'warn'>,
    private readonly options: { ttlDays: number; opensPerLinkPerHour: number; ackTimeoutMs: number },
  ) {}

  /** @throws AppError NOT_FOUND (no such artist or event), RATE_LIMITED, or the writer's BACKPRESSURE / NOT_PERSISTED. */
  async create(userId: string, input: { targetType: LinkTargetType; targetId: string; channel?: string }): Promise<ShareLinkView> {
    if (!(await this.store.targetExists(input.targetType, input.targetId)))
      throw new AppError('NOT_FOUND', `no ${input.targetType} "${input.targetId}" to share`, [{ field: 'targetId', message: 'unknown' }]);
    await this.limits.creates.consume(userId);
    const at = this.now();
    const link: ShareLink = {
      id: randomBytes(LINK_ID_BYTES).toString('base64url'),
      userId,
      targetType: input.targetType,
      targetId: input.targetId,
      channel: input.channel ?? null,
      createdAt: new Date(at).toISOString(),
      expiresAt: new Date(at + this.options.ttlDays * 86_400_000).toISOString(),
    };
    await this.store.create(link);
    await this.passport.enqueueDurable([linkEvent('shared', link, `link:${link.id}`, at)], this.options.ackTimeoutMs);
    return { ...link, url: `/l/${link.id}`, opens: 0 };
  }

  /** The owner's view of their link; NOT_FOUND for another user's (which says nothing about whether it exists). */
  async view(userId: string, id: string): Promise<ShareLinkView> {
    const link = LINK_ID_PATTERN.test(id) ? await this.store.find(id, this.now()) : null;
    if (!link || link.userId !== userId) throw new AppError('NOT_FOUND', 'you have no share link with this id');
    const { hourOpens: _h, seenToday: _s, ...rest } = link;
    return { ...rest, url: `/l/${link.id}` };
  }

  /** Where to redirect, and whether this request counted. NOT_FOUND for an id that is not a link. */
  async open(id: string, request: OpenRequest & { address: string }): Promise<{ location: string; counted: boolean }> {
    if (!LINK_ID_PATTERN.test(id)) throw new AppError('NOT_FOUND', 'this is not a share link; check the address');
    const at = this.now();
    const key = notAnOpen(request) === null ? await this.dayKey(at) : null;
    const visitor = key ? hmac16(key, `${request.address}\n${request.userAgent ?? ''}`) : null;
    const link = await this.store.find(id, at, visitor);
    if (!link) throw new AppError('NOT_FOUND', 'this share link does not exist; check the address');
    const location = targetPath(link.targetType, link.targetId);
    if (!key || !visitor || link.seenToday || Date.parse(link.expiresAt) <= at || link.hourOpens >= this.options.opensPerLinkPerHour)
      return { location, counted: false };
    try {
      // Keyed by the address's hash under the day's key: the limiter never holds an address either.
      await this.limits.opens.consume(hmac16(key, `address\n${request.address}`).toString('hex'));
    } catch (err) {
      if (err instanceof RateLimitedError) return { location, counted: false };
      throw err;
    }
    try {
      // The passport first (its id is the visitor's for the day, so a retry is one event), then the counters.
      const event = linkEvent('opened', link, `open:${link.id}:${dayOf(at)}:${visitor.toString('hex')}`, at);
      await this.passport.enqueueDurable([event], this.options.ackTimeoutMs);
      return { location, counted: await this.store.countOpen(link.id, visitor, at) };
    } catch (err) {
      this.log.warn({ err, linkId: link.id }, 'a share link open was not counted; the visitor was redirected');
      return { location, counted: false };
    }
  }

  private async dayKey(at: number): Promise<Buffer> {
    const day = dayOf(at);
    if (this.key?.day !== day) this.key = { day, key: await this.store.dayKey(day) };
    return this.key.key;
  }
}
