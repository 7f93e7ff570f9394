import { AppError, type ErrorDetail } from '../systems/errors.js';
import { SessionInputError, type SessionErrorCode } from './session/messages.js';

/**
 * Error code → the code a client receives, for errors of the lower floors. A SessionInputError is the room's answer to
 * its client and keeps its own code; any other code not listed is a server fault: logged, sent as INTERNAL.
 */
const CLIENT_CODE_BY_ERROR: Readonly<Record<string, SessionErrorCode>> = {
  ...Object.fromEntries(
    (['BAD_INPUT', 'UNKNOWN_MESSAGE', 'UNKNOWN_ORB', 'UNKNOWN_ARTIST', 'RATE_LIMITED', 'BACKPRESSURE', 'BUSY'] as const).map((c) => [c, c]),
  ),
  TOO_MANY_OPERATIONS: 'BAD_INPUT',
  INVALID_OPERATIONS: 'BAD_INPUT',
};

export const DATABASE_UNAVAILABLE_MESSAGE = 'the database is unavailable right now; nothing changed: retry in a few seconds';

type ClientError = { code: SessionErrorCode; message: string; details?: readonly ErrorDetail[] };

/** null for a server fault (the caller logs it, answers INTERNAL). */
export function toClientError(err: unknown, databaseUnavailable: (err: unknown) => boolean): ClientError | null {
  // The driver's words (and the database's address) stay in the log; the client hears a retryable code.
  if (databaseUnavailable(err)) return { code: 'DATABASE_UNAVAILABLE', message: DATABASE_UNAVAILABLE_MESSAGE };
  if (!(err instanceof AppError)) return null;
  const code = err instanceof SessionInputError ? err.code : CLIENT_CODE_BY_ERROR[err.code];
  return code ? { code, message: err.message, ...(err.details ? { details: err.details } : {}) } : null;
}
