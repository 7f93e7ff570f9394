/** Who may join a session: the token checked at matchmaking (before any room or seat exists), options, resume grants, close codes. */
import { ServerError } from '@colyseus/core';
import { findBadText } from '../../systems/text.js';
import { AuthTokenError, type AccessIdentity } from '../../systems/auth/identity.js';
import { ResumeError, RESUME_REFUSALS, type ResumeGrant, type SessionHandoff } from '../../features/handoff/SessionHandoff.js';
import { DATABASE_UNAVAILABLE_MESSAGE } from '../clientErrors.js';
import { identityFieldsIn, issuesToDetails, joinOptionsSchema, type JoinOptions } from './messages.js';
import type { Logger } from 'pino';

/** Throws an AuthTokenError saying what the client should do. */
export interface AccessTokenVerifier {
  verify(token: string | null | undefined): Promise<AccessIdentity>;
}

/** The token is the only source of a session's userId and deviceId. */
export interface JoinPorts {
  auth: AccessTokenVerifier;
  resumes: Pick<SessionHandoff, 'grant'>;
  /** The token check then answers 503. */
  databaseUnavailable(err: unknown): boolean;
  /** LIVE_ROOMS_PER_USER read at matchmaking, so a refused join costs no room (the room's own claim stays the bound). */
  roomsRefusal?(userId: string): Promise<string | null>;
  log: Logger;
  now: () => number;
}

// Matchmaking refusals, before any room or seat exists: Colyseus answers them as the HTTP status (a 4xxx code there
// becomes a bare 500); the SDK rejects the join with that status as `code`.
/** Bad options, or options that still carry identity fields. */
export const MATCHMAKE_INVALID = 400;
/** Missing, expired, forged, unknown device: get a token, join again. */
export const MATCHMAKE_UNAUTHORIZED = 401;
/** The token's device cannot be checked: retry in a few seconds. */
export const MATCHMAKE_UNAVAILABLE = 503;
/** The user's live rooms are at LIVE_ROOMS_PER_USER: leave one first. */
export const MATCHMAKE_LIMITED = 429;

/** On the WebSocket, after matchmaking: Colyseus hands the code and message to the join promise. */
export const JOIN_INVALID = 4400;
/** The user was removed between matchmaking and the join. */
export const JOIN_UNAUTHORIZED = 4401;
/** DATABASE_UNAVAILABLE: retry in a few seconds. */
export const JOIN_UNAVAILABLE = 4503;
/** A server fault (logged): retry, report if it persists. */
export const JOIN_FAILED = 4500;
/** Draining: the session was saved and another process takes it; join again with `resume` when `moving` said. */
export const CLOSE_MOVING = 4100;
/** Resumed elsewhere (another tab or device): do not resume it automatically. */
export const CLOSE_TAKEN_OVER = 4409;

/** And what a join with `resume` was granted at matchmaking. */
export type SeatAuth = AccessIdentity & { id: string; resume?: ResumeGrant };

/**
 * Who joins comes from the verified token only, never from options. At matchmaking, so an unauthenticated request
 * costs a token check, not a room; a reconnection skips it.
 */
export async function authorizeSeat(ports: JoinPorts, token: string, rawOptions: unknown): Promise<SeatAuth> {
  const identity = await ports.auth.verify(token).catch((err: unknown): never => {
    if (ports.databaseUnavailable(err)) throw new ServerError(MATCHMAKE_UNAVAILABLE, `DATABASE_UNAVAILABLE: ${DATABASE_UNAVAILABLE_MESSAGE}`);
    if (!(err instanceof AuthTokenError)) ports.log.error({ err, room: 'session' }, 'access token check failed');
    throw new ServerError(MATCHMAKE_UNAUTHORIZED, err instanceof AuthTokenError ? err.message : 'the access token could not be checked; retry');
  });
  const stale = identityFieldsIn(rawOptions);
  if (stale.length > 0)
    throw new ServerError(MATCHMAKE_INVALID, `invalid join options: ${stale.join(', ')} not allowed; identity now comes from the access token (remove them)`);
  const checked = checkJoinOptions(rawOptions);
  if ('problem' in checked) throw new ServerError(MATCHMAKE_INVALID, checked.problem);
  const full = checked.options.ride ? null : await ports.roomsRefusal?.(identity.userId);
  if (full) throw new ServerError(MATCHMAKE_LIMITED, full);
  // Colyseus's inspector shows `id` as each client's userId.
  const seat: SeatAuth = { ...identity, id: identity.userId };
  if (checked.options.resume) seat.resume = await grantResume(ports, checked.options.resume, identity.userId);
  return seat;
}

/** A refusal is the HTTP status of its code, its message naming the code. */
async function grantResume(ports: JoinPorts, credential: string, userId: string): Promise<ResumeGrant> {
  try {
    return await ports.resumes.grant(credential, userId, ports.now());
  } catch (err) {
    throw err instanceof ResumeError ? new ServerError(RESUME_REFUSALS[err.code], err.message) : err;
  }
}

/** The receiving process paces restores: 4503, the message carrying `retryAfterMs`. */
export function busyJoin(err: unknown): never {
  throw err instanceof ResumeError ? new ServerError(JOIN_UNAVAILABLE, err.message) : err;
}

/** Or what is wrong: unstorable text, or a field the schema refuses. */
export function checkJoinOptions(rawOptions: unknown): { options: JoinOptions } | { problem: string } {
  const badText = findBadText(rawOptions ?? {});
  if (badText) return { problem: `invalid join options: ${badText.field} ${badText.message}` };
  const parsed = joinOptionsSchema.safeParse(rawOptions ?? {});
  if (parsed.success) return { options: parsed.data };
  const details = issuesToDetails(parsed.error).map((d) => `${d.field} ${d.message}`);
  return { problem: `invalid join options: ${details.join('; ')}` };
}
