import { z } from 'zod';
import type { Friends } from '../../features/friends/Friends.js';
import { AppError } from '../../systems/errors.js';
import { NO_STORE, withBearerChallenge, type RequestAuth } from './authGates.js';
import { json, ValidationError, type HttpContext, type Route } from './router.js';
import { declareRoutes, mountRoutes } from './declare.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const friendSchema = z
  .object({
    userId: z.string(),
    /** Null for a listener who gave no name, and for one you blocked. */
    displayName: z.string().nullable(),
    /** `requested`: you asked them; `incoming`: they asked you; `friends`; `blocked`: you blocked them. */
    state: z.enum(['requested', 'incoming', 'friends', 'blocked']),
    since: z.string(),
  })
  .meta({ title: 'Friend' });
const friendsSchema = z.object({ friends: z.array(friendSchema), max: z.number().int() }).meta({ title: 'Friends' });
const stateSchema = z.object({ state: z.enum(['requested', 'friends', 'blocked']) }).meta({ title: 'FriendState' });
const removedSchema = z.object({ removed: z.boolean() }).meta({ title: 'FriendRemoved' });

interface FriendRouteDeps {
  friends: Friends;
  auth: RequestAuth;
}

/** The token user and the `{userId}` of the path. */
async function pair(ctx: HttpContext, auth: RequestAuth): Promise<[string, string]> {
  const who = await auth.requireUser(ctx.request);
  if (who.kind !== 'user') throw new AppError('FORBIDDEN', "friends are a user's own: send that user's access token, not the admin token");
  const other = ctx.params.userId ?? '';
  if (!uuid.test(other)) throw new ValidationError('invalid user id', [{ field: 'userId', message: 'must be a user id (a UUID)' }]);
  return [who.userId, other.toLowerCase()];
}

const ERRORS = ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'] as const;

/** The token user's friends: follow (ask, or accept their request), remove, block, the list. */
export const FRIEND_ROUTES = declareRoutes<FriendRouteDeps>()([
  {
    operationId: 'friends',
    method: 'GET',
    path: '/api/friends',
    tag: 'friends',
    summary: "The token user's friends, the requests they sent and received, and whom they blocked; newest first.",
    auth: 'user',
    responses: { 200: { description: '`friends` (each with its `state`) and `max` (FRIENDS_MAX).', title: 'Friends', schema: friendsSchema } },
    errors: ['FORBIDDEN'],
    handler: async (ctx, { friends, auth }) => {
      const who = await auth.requireUser(ctx.request);
      if (who.kind !== 'user') throw new AppError('FORBIDDEN', "friends are a user's own: send that user's access token, not the admin token");
      return json(await friends.list(who.userId), 200, NO_STORE);
    },
  },
  {
    operationId: 'followFriend',
    method: 'POST',
    path: '/api/friends/{userId}',
    tag: 'friends',
    summary:
      'Asks the listener to be friends (they get an inbox entry), or accepts their request: `state` says which. Asking again answers the same; 403 when they blocked you, 409 when you blocked them or are at FRIENDS_MAX.',
    auth: 'user',
    responses: { 200: { description: '`requested` or `friends`.', title: 'FriendState', schema: stateSchema } },
    errors: [...ERRORS, 'CONFLICT', 'RATE_LIMITED', 'BACKPRESSURE', 'NOT_PERSISTED'],
    handler: async (ctx, { friends, auth }) => json(await friends.follow(...(await pair(ctx, auth))), 200, NO_STORE),
  },
  {
    operationId: 'removeFriend',
    method: 'DELETE',
    path: '/api/friends/{userId}',
    tag: 'friends',
    summary: 'Ends a friendship, or declines or withdraws a request (a block stays).',
    auth: 'user',
    responses: { 200: { description: '`removed`: whether there was one.', title: 'FriendRemoved', schema: removedSchema } },
    errors: [...ERRORS],
    handler: async (ctx, { friends, auth }) => json(await friends.remove(...(await pair(ctx, auth))), 200, NO_STORE),
  },
  {
    operationId: 'blockListener',
    method: 'PUT',
    path: '/api/friends/{userId}/block',
    tag: 'friends',
    summary: 'Blocks the listener: no requests from them, no ride with them, and any friendship or request between you ends.',
    auth: 'user',
    responses: { 200: { description: '`blocked`.', title: 'FriendState', schema: stateSchema } },
    errors: [...ERRORS],
    handler: async (ctx, { friends, auth }) => json(await friends.block(...(await pair(ctx, auth))), 200, NO_STORE),
  },
  {
    operationId: 'unblockListener',
    method: 'DELETE',
    path: '/api/friends/{userId}/block',
    tag: 'friends',
    summary: 'Lifts your block of the listener (they are not friends again: either may ask).',
    auth: 'user',
    responses: { 200: { description: '`removed`: whether there was a block.', title: 'FriendRemoved', schema: removedSchema } },
    errors: [...ERRORS],
    handler: async (ctx, { friends, auth }) => json(await friends.unblock(...(await pair(ctx, auth))), 200, NO_STORE),
  },
]);

export function friendsRoutes(deps: FriendRouteDeps): Route[] {
  return mountRoutes(FRIEND_ROUTES, deps, withBearerChallenge);
}
