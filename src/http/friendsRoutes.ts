import { z } from 'zod';
import { friendSchema, type Friends } from '../../features/friends/Friends.js';
import type { RequestAuth } from './authGates.js';
import { routeOf } from './route.js';

const friendsSchema = z.object({ friends: z.array(friendSchema), max: z.number().int() }).meta({ title: 'Friends' });
const stateSchema = z.object({ state: z.enum(['requested', 'friends', 'blocked']) }).meta({ title: 'FriendState' });
const removedSchema = z.object({ removed: z.boolean() }).meta({ title: 'FriendRemoved' });
const params = z.object({ userId: z.uuid({ error: 'must be a user id (a UUID)' }).transform((id) => id.toLowerCase()) });

const route = routeOf<{ friends: Friends; auth: RequestAuth }>('friends', 'user');

export const FRIEND_ROUTES = [
  route('GET /api/friends', {
    operationId: 'friends',
    summary: "The token user's friends, the requests they sent and received, and whom they blocked; newest first.",
    responses: { 200: { description: '`friends` (each with its `state`) and `max` (FRIENDS_MAX).', schema: friendsSchema } },
    handler: async ({ caller }, { friends }) => friends.list(caller.userId),
  }),
  route('POST /api/friends/{userId}', {
    operationId: 'followFriend',
    summary:
      'Asks the listener to be friends (they get an inbox entry), or accepts their request: `state` says which. Asking again answers the same; 403 when they blocked you, 409 when you blocked them or are at FRIENDS_MAX.',
    params,
    responses: { 200: { description: '`requested` or `friends`.', schema: stateSchema } },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED', 'BACKPRESSURE', 'NOT_PERSISTED'],
    handler: async ({ caller, params }, { friends }) => friends.follow(caller.userId, params.userId),
  }),
  route('DELETE /api/friends/{userId}', {
    operationId: 'removeFriend',
    summary: 'Ends a friendship, or declines or withdraws a request (a block stays).',
    params,
    responses: { 200: { description: '`removed`: whether there was one.', schema: removedSchema } },
    errors: ['NOT_FOUND'],
    handler: async ({ caller, params }, { friends }) => friends.remove(caller.userId, params.userId),
  }),
  route('PUT /api/friends/{userId}/block', {
    operationId: 'blockListener',
    summary: 'Blocks the listener: no requests from them, no ride with them, and any friendship or request between you ends.',
    params,
    responses: { 200: { description: '`blocked`.', schema: stateSchema } },
    errors: ['NOT_FOUND'],
    handler: async ({ caller, params }, { friends }) => friends.block(caller.userId, params.userId),
  }),
  route('DELETE /api/friends/{userId}/block', {
    operationId: 'unblockListener',
    summary: 'Lifts your block of the listener (they are not friends again: either may ask).',
    params,
    responses: { 200: { description: '`removed`: whether there was a block.', schema: removedSchema } },
    errors: ['NOT_FOUND'],
    handler: async ({ caller, params }, { friends }) => friends.unblock(caller.userId, params.userId),
  }),
];
