/**
 * Friends, and the rule the rest of the server asks ("anonymised unless friends", who may ride with whom). Bounded by
 * FRIENDS_MAX and FRIEND_REQUESTS_PER_HOUR; a request leaves an inbox entry and a `social.follow` event.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../systems/errors.js';
import { buildEvents } from '../../systems/passport/build.js';
import { friendRequestNotice } from '../../systems/notifications/index.js';
import type { FriendStore } from '../../persistence/friends/FriendStore.js';
import type { Limit } from '../limits/Limits.js';
import type { Notifier } from '../notifications/Notifier.js';
import type { PassportIngest } from '../passport/durableIngest.js';

/** Another listener as my list shows them. */
export const friendSchema = z
  .object({
    userId: z.string(),
    /** Null for a listener who gave no name, and for one you blocked. */
    displayName: z.string().nullable(),
    /** `requested`: you asked them; `incoming`: they asked you; `friends`; `blocked`: you blocked them. */
    state: z.enum(['requested', 'incoming', 'friends', 'blocked']),
    since: z.string(),
  })
  .meta({ title: 'Friend' });
export type FriendEntry = z.infer<typeof friendSchema>;

export interface FriendsDeps {
  store: FriendStore;
  notifier: Pick<Notifier, 'tell'>;
  passport: PassportIngest;
  /** New requests one user may send per hour. */
  requests: Pick<Limit, 'consume' | 'refund'>;
  /** Friends plus requests sent, per user. */
  max: number;
  ackTimeoutMs: number;
}

export class Friends {
  private readonly now = Date.now;
  /** Told of each block (rides end between the two). */
  onBlock?: (me: string, them: string) => void;

  constructor(private readonly deps: FriendsDeps) {}

  /**
   * Asks `them`, or accepts their request; asking again answers the same state.
   * @throws AppError VALIDATION_FAILED (oneself), NOT_FOUND, FORBIDDEN (they blocked you), CONFLICT (you blocked them, or at FRIENDS_MAX), RATE_LIMITED.
   */
  async follow(me: string, them: string): Promise<{ state: 'requested' | 'friends' }> {
    const rel = await this.checked(me, them);
    if (rel.theirs === 'blocked') throw new AppError('FORBIDDEN', 'this listener does not take requests from you');
    if (rel.mine === 'blocked') throw new AppError('CONFLICT', 'you blocked this listener; unblock them first (DELETE /api/friends/{userId}/block)');
    if (rel.mine === 'friends') return { state: 'friends' };
    const at = new Date(this.now());
    if (rel.theirs === 'requested') {
      if (rel.mine === null) this.bounded(rel.counted);
      await this.deps.store.befriend(me, them, at);
      return { state: 'friends' };
    }
    if (rel.mine === 'requested') return { state: 'requested' };
    this.bounded(rel.counted);
    await this.deps.requests.consume(me);
    if (!(await this.deps.store.request(me, them, at))) {
      await this.deps.requests.refund(me, 1); // a row of mine appeared meanwhile: it answers
      return this.follow(me, them);
    }
    // They may have asked at the same moment: whichever request lands second makes both friends.
    if (await this.deps.store.is(them, me, 'requested')) {
      await this.deps.store.befriend(me, them, at);
      return { state: 'friends' };
    }
    await this.told(me, them, at.getTime());
    return { state: 'requested' };
  }

  /** Ends a friendship, or declines or withdraws a request (blocks stay). */
  async remove(me: string, them: string): Promise<{ removed: boolean }> {
    await this.checked(me, them);
    return { removed: await this.deps.store.remove(me, them) };
  }

  /** They can no longer ask, see your name, or ride with you; any friendship or request between you ends. */
  async block(me: string, them: string): Promise<{ state: 'blocked' }> {
    await this.checked(me, them);
    await this.deps.store.block(me, them, new Date(this.now()));
    this.onBlock?.(me, them);
    return { state: 'blocked' };
  }

  async unblock(me: string, them: string): Promise<{ removed: boolean }> {
    await this.checked(me, them);
    return { removed: await this.deps.store.unblock(me, them) };
  }

  /** Friends, requests both ways and blocks, newest first (at most FRIENDS_MAX × 2). */
  async list(me: string): Promise<{ friends: FriendEntry[]; max: number }> {
    const rows = await this.deps.store.list(me, this.deps.max * 2);
    const friends = rows.map((r) => ({
      userId: r.userId === me ? r.otherId : r.userId,
      displayName: r.state === 'blocked' ? null : r.name,
      state: (r.userId === me ? r.state : 'incoming') as FriendEntry['state'],
      since: r.at.toISOString(),
    }));
    return { friends, max: this.deps.max };
  }

  areFriends(a: string, b: string): Promise<boolean> {
    return a === b ? Promise.resolve(true) : this.deps.store.is(a, b, 'friends');
  }

  /** `a` and one of `others` blocked one another (either way). */
  blocked(a: string, others: readonly string[]): Promise<boolean> {
    return this.deps.store.blocks(a, others);
  }

  /** A listener's display name (a ride's roster shows it to the ride), or null. */
  name(userId: string): Promise<string | null> {
    return this.deps.store.name(userId);
  }

  /** `owner`'s display name as `viewer` may see it: to themselves and their friends; null (anonymous) otherwise. */
  async nameFor(owner: string, viewer: string | null): Promise<string | null> {
    if (viewer === null || !(await this.areFriends(owner, viewer))) return null;
    return this.deps.store.name(owner);
  }

  private async checked(me: string, them: string) {
    if (me === them) throw new AppError('VALIDATION_FAILED', 'that is you', [{ field: 'userId', message: 'is your own id' }]);
    const rel = await this.deps.store.relation(me, them);
    if (!rel.exists) throw new AppError('NOT_FOUND', 'no listener has this id');
    return rel;
  }

  private bounded(counted: number): void {
    if (counted >= this.deps.max)
      throw new AppError(
        'CONFLICT',
        `you have ${counted} friends and requests, the most one listener may have (FRIENDS_MAX ${this.deps.max}); remove some first`,
      );
  }

  /** The inbox entry and the passport event of a new request; the request stands whether or not they could be told. */
  private async told(me: string, them: string, at: number): Promise<void> {
    const name = await this.deps.store.name(me);
    const events = buildEvents(
      [{ type: 'social.follow', payload: { targetUserId: them }, entityType: 'user', entityId: them }],
      { userId: me, source: 'http' },
      at,
      randomUUID,
    );
    await Promise.all([
      this.deps.notifier.tell('friend_request', { userId: me, name }, them, friendRequestNotice(name)).catch(() => undefined),
      this.deps.passport.enqueueDurable(events, this.deps.ackTimeoutMs),
    ]);
  }
}
