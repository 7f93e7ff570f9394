import { pino } from 'pino';
import type { SessionRoomServices } from '../../rooms/session/ports.js';

/** Session room settings for rooms under test: 20 Hz, no reconnection window, patches on input. */
export const TEST_SESSION_SETTINGS = {
  simHz: 20,
  patchHz: 20,
  reconnectWindowSec: 0,
  messageRatePerSec: 100,
  disconnectRatePerSec: 1000,
  noticeIntervalMs: 1000,
  maxCapturesInFlight: 5,
  maxVisitedPath: 50,
  patchOnInput: true,
  jsonBaseline: false,
  maxSearchLimit: 50,
  countersSaveMs: 30_000,
};

/**
 * Services for a session room that is created but never joined: settings, a clock, a silent log and a ticker
 * that steps nothing. The other ports are never reached before a join.
 */
export function unjoinedSessionRoomServices(): SessionRoomServices {
  return {
    settings: TEST_SESSION_SETTINGS,
    now: Date.now,
    log: pino({ level: 'silent' }),
    ticker: { add: () => () => undefined, deferFor: () => undefined },
  } as unknown as SessionRoomServices;
}
