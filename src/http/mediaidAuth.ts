/** Who may call the MediaID and report routes: the owner (access token) or an admin (admin token). */
import { ForbiddenError, type Caller, type RequestAuth } from './requireUser.js';
import { ValidationError } from './router.js';
import { issuesOf } from '../../systems/passport/validate.js';
import type { z } from 'zod';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = issuesOf(parsed.error).slice(0, 50);
  throw new ValidationError(`invalid ${what}: ${details.map((d) => d.field).join(', ')}; see details`, details);
}

export function uuidParam(raw: string | undefined, field: string): string {
  if (!raw || !UUID.test(raw)) throw new ValidationError(`${field} must be a UUID`, [{ field, message: `"${String(raw ?? '').slice(0, 64)}" is not a UUID` }]);
  return raw.toLowerCase();
}
