/** What every session message shares: error codes, join options, an input's `seq`. The messages are declared in protocol.ts. */
import { z } from 'zod';
import { AppError } from '../../systems/errors.js';
import { RIDE_ID_PATTERN } from '../../features/ride/Rides.js';

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

/** Identity comes from the access token: the own properties among these, which refuse the join options carrying them. */
export function identityFieldsIn(options: unknown): string[] {
  return options === null || typeof options !== 'object' ? [] : ['userId', 'deviceId'].filter((field) => Object.hasOwn(options, field));
}

export const joinOptionsSchema = z.object({
  deviceModel: z.string().max(64).optional(),
  appVersion: z.string().max(32).optional(),
  lastSessionId: uuid.optional(),
  /** From `welcome`, `resumed` or `moving`: a session that moved (drain) or whose process went away (crash). */
  resume: z.string().min(1).max(2048).optional(),
  /** Found with GET /api/rides/{code}: its invite `code`, or its `id` to come back after a move. */
  ride: z
    .strictObject({
      code: z.string().min(1).max(16).optional(),
      id: z.string().regex(RIDE_ID_PATTERN).optional(),
    })
    .refine((r) => (r.code === undefined) !== (r.id === undefined), { message: 'send `code` or `id` (one of them)' })
    .optional(),
});
export type JoinOptions = z.infer<typeof joinOptionsSchema>;

/**
 * 1, 2, 3, … per session, kept across moves and resumes: each applied once, in order (`duplicate` for one already
 * applied), so inputs resent after a move or a crash take effect exactly once. Without one, an input is applied.
 */
export const inputSeqSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional();

export function issuesToDetails(error: z.ZodError): Array<{ field: string; message: string }> {
  return error.issues.slice(0, 10).map((issue) => ({ field: issue.path.join('.') || '(message)', message: issue.message }));
}

export class SessionInputError extends AppError<SessionErrorCode> {}
