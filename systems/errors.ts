/** Dot path, array indices as numbers. */
export interface ErrorDetail {
  field: string;
  message: string;
}

/**
 * The one error base: a stable `code` and a message that tells the reader what to do. Each edge maps codes through
 * one table (systems/httpContract.ts STATUS_BY_CODE, rooms/clientErrors.ts): a new error needs a code, not a branch.
 */
export class AppError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    /** When the error is about an input. */
    readonly details?: readonly ErrorDetail[],
    /** When the caller may retry (busy, full, shutting down). */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
