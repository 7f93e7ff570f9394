import { AppError } from '../systems/errors.js';
import { isDatabaseUnavailable } from '../persistence/dbErrors.js';

export { AppError };

/** Raised at boot, before anything listens. */
export class ConfigError extends AppError<'CONFIG_INVALID'> {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super('CONFIG_INVALID', `${variable}: ${message}`);
  }
}

/**
 * A named error as it is, a database outage as DATABASE_UNAVAILABLE (503 with Retry-After; the driver's error only in the log),
 * anything else null (a bug: INTERNAL, logged). On the wiring floor, because only it may know the drivers' error shapes.
 */
export function knownError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (!isDatabaseUnavailable(err)) return null;
  return new AppError('DATABASE_UNAVAILABLE', 'the database is unavailable right now; retry after the Retry-After delay', undefined, 5);
}
