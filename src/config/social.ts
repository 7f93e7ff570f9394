/**
 * Friends (features/friends): the bounds on the friend graph. Each variable has a row in docs/CONFIG.md.
 */
import { int, type Env } from './parse.js';

export interface FriendsConfig {
  /** Friends plus requests sent, per user. */
  max: number;
  /** New friend requests one user may send per hour. */
  requestsPerHour: number;
}

export function socialConfig(env: Env): { friends: FriendsConfig } {
  return {
    friends: {
      max: int(env, 'FRIENDS_MAX', 500, 1, 100_000),
      requestsPerHour: int(env, 'FRIEND_REQUESTS_PER_HOUR', 30, 1, 100_000),
    },
  };
}
