import { pino } from 'pino';
import type { SessionRoomServices } from '../../rooms/session/ports.js';

/**
 * Services for a session room that is created but never joined: settings, a clock, a silent log and a ticker
 * that steps nothing. The other ports are never reached before a join.
 */
export function unjoinedSessionRoomServices(): SessionRoomServices {
  const settings = {
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
  return {
    settings,
    now: Date.now,
    log: pino({ level: 'silent' }),
    ticker: { add: () => () => undefined, deferFor: () => undefined },
  } as unknown as SessionRoomServices;
}
