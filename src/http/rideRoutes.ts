import { z } from 'zod';
import { rideMoving, type Rides } from '../../features/ride/Rides.js';
import type { RequestAuth } from './authGates.js';
import { routeOf } from './route.js';

const rideRoomSchema = z.object({ rideId: z.string(), roomId: z.string() }).meta({ title: 'RideRoom' });

/** `answers`: whether the room answers on its process (after a crash the index names a dead one until the host is back). */
const route = routeOf<{ rides: Rides; auth: RequestAuth; now: () => number; answers: (roomId: string) => Promise<boolean> }>('ride');

/** Where a ride is: a rider joins its room with `joinById(roomId, { ride: { code } })` (docs/PROTOCOL.md "Rides"). */
export const RIDE_ROUTES = [
  route('GET /api/rides/{key}', {
    operationId: 'findRide',
    summary:
      'The session room of the ride an invite code (10 characters; dashes, spaces and case ignored) or a ride id names. Misses are bounded per user (RIDE_LOOKUPS_PER_MINUTE, then 429); 503 `RIDE_MOVING` while the host moves to another process, or after a crash until the host’s session is back: look again after Retry-After.',
    auth: 'user',
    params: z.object({ key: z.string().max(64) }),
    responses: { 200: { description: '`rideId` and `roomId` to join.', schema: rideRoomSchema } },
    errors: ['NOT_FOUND', 'RATE_LIMITED', 'RIDE_MOVING'],
    handler: async ({ caller, params }, { rides, now, answers }) => {
      const found = await rides.find(params.key, caller.userId, now());
      // Joining a dead process's room waits seconds for a seat and then fails: the rider looks again instead.
      if (!(await answers(found.roomId))) throw rideMoving();
      return found;
    },
  }),
];
