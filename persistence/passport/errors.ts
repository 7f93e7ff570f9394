/**
 * Errors of the passport writer. They carry a stable `code` like src/errors.ts AppError does
 * (persistence/ cannot import src/); the HTTP layer maps BACKPRESSURE to 503 + Retry-After.
 */

/** The bounded queue cannot take the whole batch; none of it was accepted. Retry after `retryAfterSec`. */
export class BackpressureError extends Error {
  override readonly name = 'BackpressureError';
  readonly code = 'BACKPRESSURE' as const;
  constructor(
    message: string,
    readonly retryAfterSec: number,
    readonly queueDepth: number,
    readonly maxQueue: number,
    readonly requested: number,
  ) {
    super(message);
  }
}

/** `drain()` ran out of time with events still queued (they stay queued until `stop()`). */
export class DrainTimeoutError extends Error {
  override readonly name = 'DrainTimeoutError';
  readonly code = 'DRAIN_TIMEOUT' as const;
  constructor(
    message: string,
    readonly remaining: number,
  ) {
    super(message);
  }
}

/** A durable enqueue was not confirmed in time, or the writer stopped first. The events may still be stored later. */
export class NotPersistedError extends Error {
  override readonly name = 'NotPersistedError';
  readonly code = 'NOT_PERSISTED' as const;
}

export function isBackpressure(err: unknown): err is BackpressureError {
  return err instanceof BackpressureError || (err as { code?: unknown } | null)?.code === 'BACKPRESSURE';
}

/** SQLSTATE of a pg or MikroORM error, when there is one. */
export function sqlStateOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; sqlState?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.sqlState === 'string' ? e.sqlState : undefined;
  return code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * True when Postgres refused the data itself (SQLSTATE class 22 data exception or 23 integrity
 * violation): retrying the same rows cannot help, so the writer isolates and dead-letters them.
 * Connection loss, shutdown, timeouts and lock errors are transient and retried.
 */
export function isDataError(err: unknown): boolean {
  const state = sqlStateOf(err);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}
