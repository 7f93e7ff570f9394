import { AppError } from '../systems/errors.js';

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
