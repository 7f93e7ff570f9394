/**
 * Who may join a session and how a refused join is answered: the access token checked at matchmaking (before
 * any room or seat exists), the join options, a resume credential's grant, and the close codes a session's
 * client must know.
 */
import { ServerError } from '@colyseus/core';
import { findBadText } from '../../systems/text.js';
import { AuthTokenError, type AccessIdentity } from '../../systems/auth/identity.js';
import { ResumeError, RESUME_REFUSALS, type ResumeGrant } from '../../features/handoff/SessionHandoff.js';
import { DATABASE_UNAVAILABLE_MESSAGE } from '../clientErrors.js';
import { identityFieldsIn, issuesToDetails, joinOptionsSchema, type JoinOptions } from './messages.js';
import type { Logger } from 'pino';
import type { SessionHandoff } from '../../features/handoff/SessionHandoff.js';

/** Verifies an access token (features/auth/tokens.ts); throws an AuthTokenError saying what the client should do. */
export interface AccessTokenVerifier {
  verify(token: string | null | undefined): Promise<AccessIdentity>;
}

/** The join's own ports: who joins (the only source of a session's userId and deviceId), and a resume's grant. */
export interface JoinPorts {
  auth: AccessTokenVerifier;
  /** Checks a resume credential at matchmaking (features/handoff). */
  resumes: Pick<SessionHandoff, 'grant'>;
  /** True when `err` says the database cannot be reached right now: the token check answers 503. */
  databaseUnavailable(err: unknown): boolean;
  log: Logger;
  now: () => number;
}

/**
 * Matchmaking refusals (`POST /matchmake/…`, before any room or seat exists). Colyseus answers them as
 * the HTTP status, so they are HTTP codes (a 4xxx code there becomes a bare 500), and the SDK rejects the
 * join promise with that status as `code`.
 */
/** Bad join options, or options that still carry identity fields. */
export const MATCHMAKE_INVALID = 400;
/** No valid access token (missing, expired, forged, unknown device): get a token, join again. */
export const MATCHMAKE_UNAUTHORIZED = 401;
/** The database does not answer (the token's device cannot be checked): retry in a few seconds. */
export const MATCHMAKE_UNAVAILABLE = 503;

/** Join rejected on the WebSocket (after matchmaking): bad options. Colyseus hands the code and message to the client's join promise. */
export const JOIN_INVALID = 4400;
/** Join rejected on the WebSocket: the token's user is no longer known (removed between matchmaking and the join). */
export const JOIN_UNAUTHORIZED = 4401;
/** Join refused because the database does not answer: retry in a few seconds (DATABASE_UNAVAILABLE). */
export const JOIN_UNAVAILABLE = 4503;
/** Join failed for a fault of the server (logged): retry, report if it persists. */
export const JOIN_FAILED = 4500;
/** The process is draining: the session was saved and another process takes it; join again with `resume` (the `moving` message said when). */
export const CLOSE_MOVING = 4100;
/** The session was resumed elsewhere (another tab or device with its credential): this connection ends; do not resume it automatically. */
export const CLOSE_TAKEN_OVER = 4409;

/** The access token's identity, and what a join with `resume` was granted at matchmaking. */
export type SeatAuth = AccessIdentity & { id: string; resume?: ResumeGrant };

/**
 * Who joins comes from the verified access token only (`client.auth.token` in the SDKs); never from join
 * options. Run at matchmaking (the room's static onAuth): an unauthenticated request costs a token check,
 * not a room. Its result is the seat's `client.auth`; a reconnection (reconnection token) skips it.
 */
export async function authorizeSeat(ports: JoinPorts, token: string, rawOptions: unknown): Promise<SeatAuth> {
  let identity: AccessIdentity;
  try {
    identity = await ports.auth.verify(token);
  } catch (err) {
    if (ports.databaseUnavailable(err)) throw new ServerError(MATCHMAKE_UNAVAILABLE, `DATABASE_UNAVAILABLE: ${DATABASE_UNAVAILABLE_MESSAGE}`);
    if (!(err instanceof AuthTokenError)) ports.log.error({ err, room: 'session' }, 'access token check failed');
    throw new ServerError(MATCHMAKE_UNAUTHORIZED, err instanceof AuthTokenError ? err.message : 'the access token could not be checked; retry');
  }
  const stale = identityFieldsIn(rawOptions);
  if (stale.length > 0)
    throw new ServerError(MATCHMAKE_INVALID, `invalid join options: ${stale.join(', ')} not allowed; identity now comes from the access token (remove them)`);
  const checked = checkJoinOptions(rawOptions);
  if ('problem' in checked) throw new ServerError(MATCHMAKE_INVALID, checked.problem);
  // `id` is what Colyseus's inspector (GET /api/ops/rooms/:id, /monitor) shows as each client's userId.
  const seat: SeatAuth = { ...identity, id: identity.userId };
  if (checked.options.resume) seat.resume = await grantResume(ports, checked.options.resume, identity.userId);
  return seat;
}

/** A join with `resume`, checked at matchmaking: a refusal is the HTTP status of its code, its message naming the code. */
async function grantResume(ports: JoinPorts, credential: string, userId: string): Promise<ResumeGrant> {
  try {
    return await ports.resumes.grant(credential, userId, ports.now());
  } catch (err) {
    if (err instanceof ResumeError) throw new ServerError(RESUME_REFUSALS[err.code], err.message);
    throw err;
  }
}

/** RESUME_BUSY at the WebSocket join (the receiving process paces restores): 4503, the message carrying `retryAfterMs`. */
export function busyJoin(err: unknown): never {
  if (err instanceof ResumeError) throw new ServerError(JOIN_UNAVAILABLE, err.message);
  throw err;
}

/** Join options parsed, or what is wrong with them (unstorable text, or a field the schema refuses). */
export function checkJoinOptions(rawOptions: unknown): { options: JoinOptions } | { problem: string } {
  const badText = findBadText(rawOptions ?? {});
  if (badText) return { problem: `invalid join options: ${badText.field} ${badText.message}` };
  const parsed = joinOptionsSchema.safeParse(rawOptions ?? {});
  if (parsed.success) return { options: parsed.data };
  return {
    problem: `invalid join options: ${issuesToDetails(parsed.error)
      .map((d) => `${d.field} ${d.message}`)
      .join('; ')}`,
  };
}
