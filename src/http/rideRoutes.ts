import { z } from 'zod';
import type { Rides } from '../../features/ride/Rides.js';
import { AppError } from '../../systems/errors.js';
import { NO_STORE, withBearerChallenge, type RequestAuth } from './authGates.js';
import { json, type Route } from './router.js';
import { declareRoutes, mountRoutes } from './declare.js';

const rideRoomSchema = z.object({ rideId: z.string(), roomId: z.string() }).meta({ title: 'RideRoom' });

interface RideRouteDeps {
  rides: Rides;
  auth: RequestAuth;
  now: () => number;
}

/** Where a ride is: a rider joins its room with `joinById(roomId, { ride: { code } })` (docs/PROTOCOL.md "Rides"). */
export const RIDE_ROUTES = declareRoutes<RideRouteDeps>()([
  {
    operationId: 'findRide',
    method: 'GET',
    path: '/api/rides/{key}',
    tag: 'ride',
    summary:
      'The session room of the ride an invite code (10 characters; dashes, spaces and case ignored) or a ride id names. Misses are bounded per user (RIDE_LOOKUPS_PER_MINUTE, then 429); 503 `RIDE_MOVING` while the host moves to another process: look again after Retry-After.',
    auth: 'user',
    responses: { 200: { description: '`rideId` and `roomId` to join.', title: 'RideRoom', schema: rideRoomSchema } },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'RATE_LIMITED', 'RIDE_MOVING'],
    handler: async ({ request, params }, { rides, auth, now }) => {
      const who = await auth.requireUser(request);
      if (who.kind !== 'user') throw new AppError('FORBIDDEN', "a ride is joined by a listener: send a user's access token, not the admin token");
      return json(await rides.find(params.key ?? '', who.userId, now()), 200, NO_STORE);
    },
  },
]);

export function rideRoutes(deps: RideRouteDeps): Route[] {
  return mountRoutes(RIDE_ROUTES, deps, withBearerChallenge);
}
