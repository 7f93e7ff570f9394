import { AppError, type ErrorDetail } from '../systems/errors.js';
import type { SessionErrorCode } from './session/messages.js';

/**
 * The room edge's one table: error code → the code a client receives in an `error` message
 * (docs/PROTOCOL.md, "Error codes"). A code not listed is a server fault: logged, sent as INTERNAL.
 */
const CLIENT_CODE_BY_ERROR: Readonly<Record<string, SessionErrorCode>> = {
  BAD_INPUT: 'BAD_INPUT',
  UNKNOWN_MESSAGE: 'UNKNOWN_MESSAGE',
  UNKNOWN_ORB: 'UNKNOWN_ORB',
  UNKNOWN_ARTIST: 'UNKNOWN_ARTIST',
  RATE_LIMITED: 'RATE_LIMITED',
  BACKPRESSURE: 'BACKPRESSURE',
  BUSY: 'BUSY',
  // Offline sync: a queue the client sent that cannot be processed at all.
  TOO_MANY_OPERATIONS: 'BAD_INPUT',
  INVALID_OPERATIONS: 'BAD_INPUT',
};

export const DATABASE_UNAVAILABLE_MESSAGE = 'the database is unavailable right now; nothing changed: retry in a few seconds';

export interface ClientError {
  code: SessionErrorCode;
  message: string;
  details?: readonly ErrorDetail[];
}

/** What the client hears about `err`, or null when it is a server fault (the caller logs it, answers INTERNAL). */
export function toClientError(err: unknown, databaseUnavailable: (err: unknown) => boolean): ClientError | null {
  // The driver's words (and the database's address) stay in the log; the client hears a retryable code.
  if (databaseUnavailable(err)) return { code: 'DATABASE_UNAVAILABLE', message: DATABASE_UNAVAILABLE_MESSAGE };
  if (!(err instanceof AppError)) return null;
  const code = CLIENT_CODE_BY_ERROR[err.code];
  return code ? { code, message: err.message, ...(err.details ? { details: err.details } : {}) } : null;
}
