import { z } from 'zod';
import { AppError, type ErrorDetail } from '../../systems/errors.js';
import { MAX_OFFLINE_OPERATIONS, offlineOperationSchema } from '../../systems/passport/offline.js';
import { journalRequestSchema } from './journalReplies.js';

/** Error codes a session client can receive in an `error` message. */
export type SessionErrorCode =
  | 'BAD_INPUT'
  | 'UNKNOWN_MESSAGE'
  | 'UNKNOWN_ORB'
  | 'UNKNOWN_ARTIST'
  | 'RATE_LIMITED'
  | 'BACKPRESSURE'
  | 'BUSY'
  | 'DATABASE_UNAVAILABLE'
  | 'MOVING'
  | 'INTERNAL';

/** Payload of the server → client `error` message. */
export interface ErrorMessage {
  code: SessionErrorCode;
  message: string;
  /** The client message type this answers. */
  for: string;
  details?: readonly ErrorDetail[];
}

const id = (max: number) => z.string().min(1).max(max);
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');
const finite = (min: number, max: number) => z.number().finite().min(min).max(max);

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
});
export type JoinOptions = z.infer<typeof joinOptionsSchema>;

/**
 * An input's place in its session (1, 2, 3, … per session, kept across moves and resumes): the room applies
 * each sequence number once, in order, and answers `duplicate` for one it has already applied, so inputs a
 * client resends after a move or a crash take effect exactly once. Optional: an input without one is applied.
 */
export const inputSeqSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional();
const sequenced = <T extends z.ZodRawShape, C extends z.core.$ZodObjectConfig>(schema: z.ZodObject<T, C>) => schema.extend({ seq: inputSeqSchema });

/** The `journal` request: no fields but its seq. */
export const journalInputSchema = sequenced(journalRequestSchema);

/** Client → server messages, each validated before any system sees it; every one may carry its `seq`. */
export const messageSchemas = {
  swipe: sequenced(z.object({ direction: z.enum(['left', 'right']), velocity: finite(0, 20_000) })),
  tune: sequenced(z.object({ frequency: finite(87.5, 108) })),
  tap_orb: sequenced(z.object({ orbId: id(200) })),
  capture: sequenced(z.object({ artistId: id(200).optional(), opId: id(100).optional() })),
  sensor_batch: sequenced(z.object({
    samples: z
      .array(
        z.object({
          type: z.enum(['gyroscope', 'accelerometer', 'motion']),
          duration: finite(0, 3600),
          maxTiltX: finite(-180, 180),
          maxTiltY: finite(-180, 180),
          at: z.union([z.string().datetime({ offset: true }), finite(0, 8.64e15)]),
        }),
      )
      .min(1)
      .max(100),
  })),
  clock: sequenced(z.object({ t0: finite(0, 8.64e15) })),
  // offlineDuration: seconds the device was offline (seed 15.4), at most 30 days; new data is what changed since.
  sync_offline: sequenced(z.object({ operations: z.array(z.record(z.string(), z.unknown())).min(1).max(500), offlineDuration: finite(0, 30 * 86_400).optional() })),
  // The constellation journal (seed 000 step 8); no fields but its seq: the user is the session's.
  journal: journalInputSchema.optional(),
  // Seed 000 step 13 from the dial: the query's own rules (2..100 characters after sanitising) are checked by the handler.
  search: sequenced(z.object({ q: z.string().min(1).max(100), limit: z.number().int().min(1).max(200).optional(), requestId: id(100).optional() })),
} as const;

/**
 * `sync_offline` as clients should send it. The room admits any objects (above) and validates each
 * operation with `offlineOperationSchema` during the replay, so one bad operation fails alone
 * (`offline_synced.failed`) instead of the whole sync; the contract documents the per-operation shape.
 */
export const syncOfflineContractSchema = sequenced(z.object({ operations: z.array(offlineOperationSchema).min(1).max(MAX_OFFLINE_OPERATIONS), offlineDuration: finite(0, 30 * 86_400).optional() }));

export type MessageType = keyof typeof messageSchemas;
export type MessageOf<T extends MessageType> = z.infer<(typeof messageSchemas)[T]>;

/** Turns zod issues into `{field, message}` details a client developer can act on. */
export function issuesToDetails(error: z.ZodError): Array<{ field: string; message: string }> {
  return error.issues.slice(0, 10).map((issue) => ({ field: issue.path.join('.') || '(message)', message: issue.message }));
}

/** A handler failure the client should hear about, with its code. */
export class SessionInputError extends AppError<SessionErrorCode> {}

