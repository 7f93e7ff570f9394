import { pino } from 'pino';
import type { SessionRoomPorts, SessionRoomSettings } from '../../rooms/session/ports.js';

/** Session room settings for rooms under test: 20 Hz, no reconnection window, patches on input. */
export const TEST_SESSION_SETTINGS: SessionRoomSettings = {
  simHz: 20,
  patchHz: 20,
  reconnectWindowSec: 0,
  messageRatePerSec: 100,
  disconnectRatePerSec: 1000,
  noticeIntervalMs: 1000,
  maxVisitedPath: 50,
  patchOnInput: true,
  jsonBaseline: false,
  countersSaveMs: 30_000,
};

/**
 * Ports for a session room that is created but never joined: the room's settings, a clock, a silent log and a
 * ticker that steps nothing. The features' ports are never reached before a join.
 */
export function unjoinedSessionRoomPorts(): SessionRoomPorts {
  return {
    room: {
      settings: TEST_SESSION_SETTINGS,
      now: Date.now,
      log: pino({ level: 'silent' }),
      ticker: { add: () => () => undefined, deferFor: () => undefined },
    },
  } as unknown as SessionRoomPorts;
}
