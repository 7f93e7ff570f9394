/** "The database cannot be reached right now" (503) apart from every other database error (500). */

/** Socket-level failures while connecting to or talking with Postgres. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
/** SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown, crash, cannot connect now), 53300 (too many connections). */
const SQLSTATE_UNAVAILABLE = /^(08[0-9A-Z]{3}|57P0[1-3]|53300)$/;
/** What pg and pg-pool say when a connection dies or cannot be had in time. */
const MESSAGE_UNAVAILABLE =
  /Connection terminated|timeout exceeded when trying to connect|Connection timeout|the database system is (starting up|shutting down|in recovery mode)|Client has encountered a connection error/i;

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function unavailableItself(err: ErrorLike): boolean {
  if (typeof err.code === 'string' && (NETWORK_CODES.has(err.code) || SQLSTATE_UNAVAILABLE.test(err.code))) return true;
  if (err.name === 'ConnectionException') return true; // MikroORM's wrapper for connection failures
  return typeof err.message === 'string' && MESSAGE_UNAVAILABLE.test(err.message);
}

/** True when `err` (or what it wraps: `cause`, AggregateError's `errors`) says Postgres is unreachable. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const queue: unknown[] = [err];
  // A handful of wrapper levels is plenty; the bound keeps a cyclic `cause` from looping.
  for (let seen = 0; queue.length > 0 && seen < 16; seen++) {
    const current = queue.shift();
    if (current === null || typeof current !== 'object') continue;
    const e = current as ErrorLike;
    if (unavailableItself(e)) return true;
    if (e.cause !== undefined) queue.push(e.cause);
    if (Array.isArray(e.errors)) queue.push(...e.errors);
  }
  return false;
}
