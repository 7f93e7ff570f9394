/** Errors of the passport writer (the HTTP edge maps BACKPRESSURE and NOT_PERSISTED to 503 + Retry-After). */
import { AppError } from '../../systems/errors.js';

/** The bounded queue cannot take the whole batch; none of it was accepted. Retry after `retryAfterSec`. */
export class BackpressureError extends AppError<'BACKPRESSURE'> {
  constructor(
    message: string,
    override readonly retryAfterSec: number,
    readonly queueDepth: number,
    readonly maxQueue: number,
    readonly requested: number,
  ) {
    super('BACKPRESSURE', message, undefined, retryAfterSec);
  }
}

/** `drain()` ran out of time with events still queued (they stay queued until `stop()`). */
export class DrainTimeoutError extends AppError<'DRAIN_TIMEOUT'> {
  constructor(
    message: string,
    readonly remaining: number,
  ) {
    super('DRAIN_TIMEOUT', message);
  }
}

/** A durable enqueue was not confirmed in time, or the writer stopped first. The events may still be stored later. */
export class NotPersistedError extends AppError<'NOT_PERSISTED'> {
  constructor(message: string) {
    super('NOT_PERSISTED', message, undefined, 1);
  }
}

/** SQLSTATE of a pg or MikroORM error, when there is one. */
export function sqlStateOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; sqlState?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.sqlState === 'string' ? e.sqlState : undefined;
  return code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** SQLSTATE class 22 or 23: retrying the same rows cannot help, so the writer dead-letters them; anything else is retried. */
export function isDataError(err: unknown): boolean {
  const state = sqlStateOf(err);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}
