/**
 * What every session message shares: the error codes and `error` payload, the join options, an input's
 * `seq`. The messages themselves (schema, handler, replies) are declared in protocol.ts.
 */
import { z } from 'zod';
import { AppError } from '../../systems/errors.js';

/** Error codes a session client can receive in an `error` message (replies.ts `error`). */
export const SESSION_ERROR_CODES = [
  'BAD_INPUT',
  'UNKNOWN_MESSAGE',
  'UNKNOWN_ORB',
  'UNKNOWN_ARTIST',
  'RATE_LIMITED',
  'BACKPRESSURE',
  'BUSY',
  'DATABASE_UNAVAILABLE',
  'MOVING',
  'INTERNAL',
  'NO_RIDE',
  'HOST_ONLY',
  'NOT_YOUR_DIAL',
  'NOT_A_RIDER',
] as const;
export type SessionErrorCode = (typeof SESSION_ERROR_CODES)[number];

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');

/** Identity comes from the access token; join options that still carry these fields are refused. */
export const IDENTITY_FIELDS = ['userId', 'deviceId'] as const;

/** The identity fields `options` still carries (own properties only), for a join refusal that names them. */
export function identityFieldsIn(options: unknown): string[] {
  if (options === null || typeof options !== 'object') return [];
  return IDENTITY_FIELDS.filter((field) => Object.prototype.hasOwnProperty.call(options, field));
}

export const joinOptionsSchema = z.object({
  deviceModel: z.string().max(64).optional(),
  appVersion: z.string().max(32).optional(),
  lastSessionId: uuid.optional(),
  /** The resume credential of a session that moved (drain) or whose process went away (crash): `welcome.resume`, `resumed.resume` or `moving.resume`. */
  resume: z.string().min(1).max(2048).optional(),
  /** Join a ride in this room (found with GET /api/rides/{code}): its invite `code`, or its `id` to come back after a move. */
  ride: z
    .strictObject({
      code: z.string().min(1).max(16).optional(),
      id: z
        .string()
        .regex(/^[A-Za-z0-9_-]{22}$/)
        .optional(),
    })
    .refine((r) => (r.code === undefined) !== (r.id === undefined), { message: 'send `code` or `id` (one of them)' })
    .optional(),
});
export type JoinOptions = z.infer<typeof joinOptionsSchema>;

/**
 * An input's place in its session (1, 2, 3, … per session, kept across moves and resumes): the room applies
 * each sequence number once, in order, and answers `duplicate` for one it has already applied, so inputs a
 * client resends after a move or a crash take effect exactly once. Optional: an input without one is applied.
 */
export const inputSeqSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional();

/** Turns zod issues into `{field, message}` details a client developer can act on. */
export function issuesToDetails(error: z.ZodError): Array<{ field: string; message: string }> {
  return error.issues.slice(0, 10).map((issue) => ({ field: issue.path.join('.') || '(message)', message: issue.message }));
}

/** A handler failure the client should hear about, with its code. */
export class SessionInputError extends AppError<SessionErrorCode> {}
