import { AppError } from '../systems/errors.js';
import { isDatabaseUnavailable } from '../persistence/dbErrors.js';

export { AppError };

/** A configuration value is missing or malformed; raised at boot, before anything listens. */
export class ConfigError extends AppError<'CONFIG_INVALID'> {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super('CONFIG_INVALID', `${variable}: ${message}`);
  }
}

/** Postgres cannot be reached: answered 503 with Retry-After, the driver's error only in the log. */
export class DatabaseUnavailableError extends AppError<'DATABASE_UNAVAILABLE'> {
  constructor() {
    super('DATABASE_UNAVAILABLE', 'the database is unavailable right now; retry after the Retry-After delay', undefined, 5);
  }
}

/**
 * What an edge may tell a client about `err`: a named error as it is, a database outage as
 * {@link DatabaseUnavailableError}, anything else null (a bug: the edge answers INTERNAL and logs it).
 * Here, on the wiring floor, because only it may know the drivers' error shapes (persistence/dbErrors.ts).
 */
export function knownError(err: unknown): AppError | null {
  return err instanceof AppError ? err : isDatabaseUnavailable(err) ? new DatabaseUnavailableError() : null;
}
