/**
 * The HTTP edge's gates, in one place: who is calling (a user's access token or the admin token as a
 * service), the owner and operator checks of user-scoped routes, and the ops API's admin gate. The
 * admin token's own rule (constant-time compare, Bearer only) is features/auth/adminToken.ts.
 */
import { AuthTokenError, type AccessIdentity } from '../../systems/auth/identity.js';
import { bindEventsTo, type IdentityFieldNamer, type PassportEvent } from '../../systems/passport/index.js';
import { UnauthorizedError } from '../../features/auth/DeviceAuth.js';
import type { AccessTokens } from '../../features/auth/tokens.js';
import { bearerToken, hasAdminBearer, secretsEqual } from '../../features/auth/adminToken.js';
import { json, type HttpContext, type Route } from './router.js';
import { AppError, type ErrorDetail } from '../../systems/errors.js';

/** Who is calling a user-scoped route: a user's device (access token) or a service (the admin token). */
export type Caller = ({ kind: 'user' } & AccessIdentity) | { kind: 'service' };

/** Authenticates user-scoped requests; handlers call `requireUser(ctx.request)` first. */
export interface RequestAuth {
  /** The caller of `request`, or an UnauthorizedError (answered 401 with `WWW-Authenticate: Bearer`). */
  requireUser(request: Request): Promise<Caller>;
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

/**
 * Events as the caller may log them: a service's events as sent; a user's bound to the token's user
 * and device, or a ForbiddenError naming every field that names someone else.
 */
export function bindToCaller(caller: Caller, events: PassportEvent[], fieldOf: IdentityFieldNamer): PassportEvent[] {
  if (caller.kind === 'service') return events;
  const bound = bindEventsTo(events, caller, fieldOf);
  if (!bound.ok) throw new ForbiddenError(`${bound.issues.length} field(s) name another user or device; nothing was accepted (see details)`, bound.issues);
  return bound.events;
}

/**
 * The route, with an UnauthorizedError answered 401 + `WWW-Authenticate: Bearer` (RFC 6750), which the
 * shared router cannot add; every other outcome is the router's as before.
 */
export function withBearerChallenge(route: Route): Route {
  return {
    ...route,
    handler: async (ctx) => {
      try {
        return await route.handler(ctx);
      } catch (err) {
        if (!(err instanceof UnauthorizedError)) throw err;
        const challenge =
          err.tokenError && err.tokenError !== 'TOKEN_MISSING' ? `Bearer realm="deepstream", error="invalid_token"` : `Bearer realm="deepstream"`;
        return json({ error: err.code, message: err.message }, 401, { 'www-authenticate': challenge });
      }
    },
  };
}

/** The admin (the ADMIN_TOKEN as Bearer); a user's valid access token is 403, no or a bad token 401. */
export async function requireAdmin(auth: RequestAuth, request: Request): Promise<void> {
  const caller = await auth.requireUser(request);
  if (caller.kind !== 'service')
    throw new ForbiddenError('this route is for operators: send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"', [
      { field: 'authorization', message: 'is a user access token, not the admin token' },
    ]);
}

/** The owner (a user's access token); the admin token is 403: it has no MediaID of its own. */
export async function requireOwner(auth: RequestAuth, request: Request): Promise<Extract<Caller, { kind: 'user' }>> {
  const caller = await auth.requireUser(request);
  if (caller.kind !== 'user')
    throw new ForbiddenError("the admin token has no MediaID; send the user's own access token (operators use /api/ops/dna/users/:userId)", [
      { field: 'authorization', message: 'is the admin token' },
    ]);
  return caller;
}

export const NO_STORE = { 'cache-control': 'no-store' };

type Handler = (ctx: HttpContext) => Promise<Response>;

/**
 * The ops API's gate (`/api/ops/*`): 503 OPS_DISABLED without ADMIN_TOKEN, 401 with a Bearer challenge unless
 * the request carries it, else the handler.
 */
export function adminOnly(adminToken: string | undefined): (handler: Handler) => Handler {
  return (handler) => async (ctx) => {
    if (!adminToken)
      return json({ error: 'OPS_DISABLED', message: 'the ops API is off: start the server with ADMIN_TOKEN (at least 16 characters)' }, 503, NO_STORE);
    if (!hasAdminBearer(ctx.request, adminToken))
      return json({ error: 'UNAUTHORIZED', message: 'send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"' }, 401, {
        'www-authenticate': 'Bearer realm="ops"',
        ...NO_STORE,
      });
    return handler(ctx);
  };
}
