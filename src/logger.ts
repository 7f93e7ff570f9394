import pino, { type Logger } from 'pino';
import type { LogLevel } from './config/config.js';
import type { LogTail } from '../features/ops/logTail.js';

export type { Logger };

/** Nor in the ops log view that tails it. */
const REDACT = [
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.deviceSecret',
  '*.secret',
  '*.password',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** Children carry roomId/sessionId/userId. With `tail`, every line is also kept in its ring. */
export function createLogger(level: LogLevel, tail?: LogTail): Logger {
  const options = { level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: REDACT, censor: '[redacted]' } };
  if (!tail || tail.capacity <= 0) return pino(options);
  return pino(
    options,
    pino.multistream([
      { level, stream: process.stdout },
      { level, stream: { write: (line: string) => tail.write(line) } },
    ]),
  );
}
