/**
 * What a client does after its socket closes or a join is refused (docs/PROTOCOL.md "Moving and resuming").
 * Pure decisions, so the rules are tested without a server; SessionLink acts on them.
 */
import { retryAfterOf } from './backoff.js';

/** WebSocket close codes of the session room that a client acts on. */
export const CLOSE = {
  /** The client left, or an operator ended the session: closed for good. */
  CONSENTED: 4000,
  /** A room closed by a shutdown without a handoff (spectator rooms on drain; old servers). */
  SERVER_SHUTDOWN: 4001,
  /** The SDK's own reconnection to the same room gave up. */
  FAILED_TO_RECONNECT: 4003,
  /** Draining: a `moving` message came first; join again with its `resume`. */
  SESSION_MOVING: 4100,
  /** The access token's user is gone at the WebSocket join. */
  JOIN_UNAUTHORIZED: 4401,
  /** The same session was resumed elsewhere (another tab or device): do not take it back. */
  SESSION_TAKEN_OVER: 4409,
  /** The receiving process paces resumes: `retryAfterMs=N` in the reason. */
  BUSY: 4503,
  /** The ride ended (`ride_ended` came first): the rider goes back to their own session. */
  RIDE_ENDED: 4410,
} as const;

export type AfterClose = 'closed' | 'moving' | 'resume';

/** Closed only when the user or an operator meant it (4000) or the session lives on elsewhere (4409); every other close is a resume. */
export function afterClose(code: number, movingNoticed: boolean): AfterClose {
  if (code === CLOSE.CONSENTED || code === CLOSE.SESSION_TAKEN_OVER) return 'closed';
  if (code === CLOSE.SESSION_MOVING || movingNoticed) return 'moving';
  return 'resume';
}

/** The refusals of a join with `resume` after which the credential is useless: join afresh (with lastSessionId). */
export const RESUME_FALLBACK_CODES = ['RESUME_INVALID', 'RESUME_EXPIRED', 'RESUME_FORBIDDEN', 'RESUME_STALE'] as const;

export type JoinFailure =
  /** The credential is refused: forget it and join afresh, at once. */
  | { kind: 'fallback'; code: string }
  /** The server asks to wait (RESUME_BUSY 503, 4503): at least `retryAfterMs`. */
  | { kind: 'busy'; retryAfterMs: number }
  /** The server is draining (503 SHUTTING_DOWN, its connection closed): at once, on a new connection (a balancer picks another server), or the next endpoint. */
  | { kind: 'elsewhere' }
  /** The access token is refused (401/4401): get a new one, then try again. */
  | { kind: 'token' }
  /** Not reachable or failing (no answer, 5xx, a dropped socket): back off and try again, elsewhere if there is an elsewhere. */
  | { kind: 'retry'; network: boolean }
  /** A join this client cannot fix by trying again (e.g. 400 for its options): stop. */
  | { kind: 'fatal' };

/** Classifies a failed `client.create('session', …)`: the SDK rejects with `code` (HTTP status or close code) and the server's message. */
export function classifyJoinFailure(err: unknown, resuming: boolean): JoinFailure {
  const { code, message = '' } = (err ?? {}) as { code?: number; message?: string };
  const named = RESUME_FALLBACK_CODES.find((c) => message.startsWith(c) || message.includes(`${c}:`));
  if (named) return { kind: 'fallback', code: named };
  if (code === 503 && message.startsWith('SHUTTING_DOWN')) return { kind: 'elsewhere' };
  // A 4503 close names its wait in the reason; an HTTP 503 (RIDE_MOVING) in its Retry-After header (seconds).
  const header = (err as { headers?: { get?(name: string): string | null } })?.headers?.get?.('retry-after');
  const wait = retryAfterOf(message) ?? (header && Number(header) >= 0 ? Number(header) * 1000 : null);
  if (code === 503 || code === CLOSE.BUSY || message.startsWith('RESUME_BUSY')) return wait !== null ? { kind: 'busy', retryAfterMs: wait } : { kind: 'retry', network: false };
  if (code === 401 || code === CLOSE.JOIN_UNAUTHORIZED) return { kind: 'token' };
  // A ride refused (not found, forbidden, full): trying again will not change it.
  if (/^RIDE_(NOT_FOUND|FORBIDDEN|FULL)/.test(message) || code === 404) return { kind: 'fatal' };
  // A refusal of the resume without the expected code (an older server, a proxy): the plain join is the safe way back.
  if (resuming && (code === 400 || code === 403 || code === 409)) return { kind: 'fallback', code: String(code) };
  if (code === 400 || code === 403 || code === 404) return { kind: 'fatal' };
  return { kind: 'retry', network: typeof code !== 'number' || code === 1006 || code === 0 };
}
