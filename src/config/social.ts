import { int, type Env } from './parse.js';

/** @group social */
export function socialConfig(env: Env) {
  return {
    friends: {
      /** friends plus friend requests sent, per user; one more is refused (`POST /api/friends/{userId}` 409 `CONFLICT`) */
      max: int(env, 'FRIENDS_MAX', 500, 1, 100_000),
      /** new friend requests one user may send per hour (429 `RATE_LIMITED` beyond); accepting a request does not count */
      requestsPerHour: int(env, 'FRIEND_REQUESTS_PER_HOUR', 30, 1, 100_000),
    },
    ride: {
      /** riders one ride takes besides its host; one more gets join code 4429 `RIDE_FULL` */
      // Spotify Jam's bound: a host and up to 32 listeners.
      maxRiders: int(env, 'RIDE_MAX_RIDERS', 32, 1, 1000),
      /** a ride invite code works this long; `ride_invite` makes a new one (the old one stops working) */
      inviteTtlSec: int(env, 'RIDE_INVITE_TTL_SEC', 6 * 3600, 60, 7 * 86_400),
      /** reactions one ride member may send per 10 s (a burst of that many); beyond, `error` `RATE_LIMITED` and nothing is shown */
      reactionsPer10s: int(env, 'RIDE_REACTIONS_PER_10S', 10, 1, 1000),
      /** invite codes one user may look up without finding a ride, per minute (`GET /api/rides/{code}` 429 beyond): guessing a 50-bit code stops here */
      lookupsPerMinute: int(env, 'RIDE_LOOKUPS_PER_MINUTE', 20, 1, 100_000),
    },
  };
}
