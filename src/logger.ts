import pino, { type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/** One root logger; children carry roomId/sessionId/userId. */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}
