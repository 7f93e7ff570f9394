import { Friends, type FriendsDeps } from '../../features/friends/Friends.js';
import { Limit } from '../../features/limits/Limits.js';
import type { Notifier } from '../../features/notifications/Notifier.js';
import { FriendStore } from '../../persistence/friends/FriendStore.js';
import { FRIEND_ROUTES } from '../http/friendsRoutes.js';
import { mount } from '../http/route.js';
import type { FeatureParts, WireContext } from './context.js';

/** And the rule other features ask (names to friends only, who may ride). */
export function wire(ctx: WireContext, deps: { notifier: Notifier; writer: FriendsDeps['passport'] }): FeatureParts & { friends: Friends } {
  const { friends: bounds, passport } = ctx.config;
  const friends = new Friends({
    store: new FriendStore(ctx.sql),
    notifier: deps.notifier,
    passport: deps.writer,
    requests: new Limit(ctx.backplane, 'friend-requests', bounds.requestsPerHour, 3600, 'friend requests sent by this user'),
    max: bounds.max,
    ackTimeoutMs: passport.ackTimeoutMs,
  });
  return { friends, routes: mount(FRIEND_ROUTES, { friends, auth: ctx.auth }) };
}
