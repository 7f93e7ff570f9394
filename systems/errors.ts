/** A problem addressed to one field of an input (dot path, array indices as numbers). */
export interface ErrorDetail {
  field: string;
  message: string;
}

/**
 * The one error base: every error we raise has a stable, machine-readable `code` and a message that
 * tells the reader what to do. Each edge maps codes through one table (HTTP: systems/httpContract.ts
 * STATUS_BY_CODE; rooms: rooms/clientErrors.ts), so a new error needs a code, not a new branch.
 */
export class AppError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    /** Per-field problems, when the error is about an input. */
    readonly details?: readonly ErrorDetail[],
    /** When the caller may retry (busy, full, shutting down). */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
