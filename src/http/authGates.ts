/** Who is calling: a user's access token, or the admin token; route declarations name who may call (`auth`). */
import { AuthTokenError, type AccessIdentity } from '../../systems/auth/identity.js';
import { bindEventsTo, type IdentityFieldNamer, type PassportEvent } from '../../systems/passport/index.js';
import { UnauthorizedError } from '../../features/auth/DeviceAuth.js';
import type { AccessTokens } from '../../features/auth/tokens.js';
import { bearerToken, secretsEqual } from '../../features/auth/adminToken.js';
import { AppError, type ErrorDetail } from '../../systems/errors.js';

type WithHeaders = { headers: Headers };

/** Who is calling a user-scoped route: a user's device (access token) or a service (the admin token). */
export type Caller = ({ kind: 'user' } & AccessIdentity) | { kind: 'service' };

export interface RequestAuth {
  /** The caller of `request`, or an UnauthorizedError (answered 401 with `WWW-Authenticate: Bearer`). */
  requireUser(request: WithHeaders): Promise<Caller>;
}

/** The request refers to data that is not the caller's (HTTP 403); `details` names the refused fields. */
export class ForbiddenError extends AppError<'FORBIDDEN'> {
  constructor(message: string, details: ErrorDetail[]) {
    super('FORBIDDEN', message, details);
  }
}

/** Access tokens from `Authorization: Bearer …`; the admin token there acts as a service token (ingest for any user). */
export function requestAuth(tokens: Pick<AccessTokens, 'verify'>, adminToken?: string): RequestAuth {
  return {
    async requireUser(request) {
      const token = bearerToken(request);
      if (token !== null && adminToken && secretsEqual(token, adminToken)) return { kind: 'service' };
      try {
        return { kind: 'user', ...(await tokens.verify(token)) };
      } catch (err) {
        if (err instanceof AuthTokenError) throw UnauthorizedError.from(err);
        throw err;
      }
    },
  };
}

/** A service's events as sent; a user's bound to the token's user and device, or a ForbiddenError naming every field that names someone else. */
export function bindToCaller(caller: Caller, events: PassportEvent[], fieldOf: IdentityFieldNamer): PassportEvent[] {
  if (caller.kind === 'service') return events;
  const bound = bindEventsTo(events, caller, fieldOf);
  if (!bound.ok) throw new ForbiddenError(`${bound.issues.length} field(s) name another user or device; nothing was accepted (see details)`, bound.issues);
  return bound.events;
}

/** The gate of a file's admin routes: resolves when the request carries the admin token, throws the refusal otherwise. */
export type AdminGate = (request: WithHeaders) => Promise<void>;

export interface AdminGateOptions {
  /** A token that is not ADMIN_TOKEN is 403 instead of 401. */
  wrongTokenForbidden?: boolean;
  /** What the routes answer without ADMIN_TOKEN (default 503 OPS_DISABLED). */
  off?: AppError;
}

const forbidden = () =>
  new ForbiddenError('this route is for operators: send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"', [
    { field: 'authorization', message: 'is not the admin token' },
  ]);

/** Admin routes: the ADMIN_TOKEN as Bearer; no token or a wrong one 401 (or 403, `wrongTokenForbidden`); without ADMIN_TOKEN they are off. */
export function adminGate(adminToken: string | undefined, options: AdminGateOptions = {}): AdminGate {
  return async (request) => {
    if (!adminToken) throw options.off ?? new AppError('OPS_DISABLED', 'the ops API is off: start the server with ADMIN_TOKEN (at least 16 characters)');
    const token = bearerToken(request);
    if (token !== null && secretsEqual(token, adminToken)) return;
    if (token !== null && options.wrongTokenForbidden) throw forbidden();
    throw new UnauthorizedError('send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"', token === null ? 'TOKEN_MISSING' : 'TOKEN_INVALID');
  };
}

/** Admin routes checked as the caller's token: the admin token (a service) passes, a user's own is 403, none or a bad one 401. */
export const serviceGate =
  (auth: RequestAuth): AdminGate =>
  async (request) => {
    if ((await auth.requireUser(request)).kind === 'user') throw forbidden();
  };
