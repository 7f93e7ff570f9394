/**
 * Friends and rides (features/friends, rooms/session/ride.ts): the bounds on the friend graph, and on a ride's
 * riders, reactions, invites and invite guesses. Each variable has a row in docs/CONFIG.md.
 */
import { int, type Env } from './parse.js';

export interface FriendsConfig {
  /** Friends plus requests sent, per user. */
  max: number;
  /** New friend requests one user may send per hour. */
  requestsPerHour: number;
}

export interface RideConfig {
  /** Riders one ride takes besides its host. */
  maxRiders: number;
  /** An invite code works this long (a new one replaces it). */
  inviteTtlSec: number;
  /** Reactions one member may send per 10 s. */
  reactionsPer10s: number;
  /** Invite codes one user may look up and not find per minute. */
  lookupsPerMinute: number;
}

export function socialConfig(env: Env): { friends: FriendsConfig; ride: RideConfig } {
  return {
    friends: {
      max: int(env, 'FRIENDS_MAX', 500, 1, 100_000),
      requestsPerHour: int(env, 'FRIEND_REQUESTS_PER_HOUR', 30, 1, 100_000),
    },
    ride: {
      // Spotify Jam's bound: a host and up to 32 listeners.
      maxRiders: int(env, 'RIDE_MAX_RIDERS', 32, 1, 1000),
      inviteTtlSec: int(env, 'RIDE_INVITE_TTL_SEC', 6 * 3600, 60, 7 * 86_400),
      reactionsPer10s: int(env, 'RIDE_REACTIONS_PER_10S', 10, 1, 1000),
      lookupsPerMinute: int(env, 'RIDE_LOOKUPS_PER_MINUTE', 20, 1, 100_000),
    },
  };
}
