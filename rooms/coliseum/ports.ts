import type { Logger } from 'pino';
import type { LeaderboardBroadcaster } from '../../features/leaderboard/LeaderboardBroadcaster.js';
import type { ColiseumLimits } from './options.js';

export interface ColiseumRoomSettings extends ColiseumLimits {
  /** Before matchmaking opens another room with the same channel. Default 1,000. */
  maxClientsPerRoom: number;
  /** e.g. the Redis key prefix: test runs sharing one Redis cannot steal each other's spectators. */
  namespace: string;
  /** Before RATE_LIMITED (spectators send nothing legitimate). */
  messageRatePerSec: number;
  disconnectRatePerSec: number;
  /** One RATE_LIMITED reply and one log line per misbehaving spectator per this many ms. */
  noticeIntervalMs: number;
}

/** Bound by the wiring in src/, never passed as room options. */
export interface ColiseumServices {
  log: Logger;
  /** One computation per (leaderboard, window) per tick for the process. */
  broadcaster: LeaderboardBroadcaster;
  settings: ColiseumRoomSettings;
}
