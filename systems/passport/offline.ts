/** Operations a client queued offline, validated before replay; snake_case (`artist_id`, `timestamp`) or camelCase. */
import { z } from 'zod';
import type { FieldIssue } from './events.js';
import { frequencySchema, idSchema } from './payloads.js';
import { clientTimeProblem, issueText, issuesOf, parseClientTime } from './validate.js';

export const OFFLINE_OPERATION_TYPES = ['capture_star', 'orb_interaction', 'station_visit'] as const;
/** A longer queue is sent in several calls. */
export const MAX_OFFLINE_OPERATIONS = 500;

/** Validated, with the time in ms and every absent field null (an absent path empty). */
export type OfflineOperation = ReturnType<typeof normalised>;
export type CaptureStarOperation = Extract<OfflineOperation, { type: 'capture_star' }>;

/** `opId` is `#<index>` when the client sent none. */
export interface InvalidOperation {
  opId: string;
  index: number;
  error: string;
  details: FieldIssue[];
}

/** Besides snake_case (`artist_id` → `artistId`). */
const ALIASES: Record<string, string> = { id: 'opId', timestamp: 'occurredAt', from: 'fromArtistId', to: 'toArtistId' };

/** Client-generated, unique per user: the replay's idempotency key. */
const opId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be 1–100 characters of letters, digits, _ . : -');
const base = {
  opId,
  /** ms since epoch, or ISO-8601 (no offset = UTC). */
  occurredAt: z.union([z.number(), z.string().max(40)]).meta({ description: 'ms since epoch or ISO-8601 (alias: timestamp)' }),
  sessionId: idSchema(200).nullish(),
};
/** The canonical (camelCase) form the contract documents. */
export const offlineOperationSchema = z.discriminatedUnion(
  'type',
  [
    z
      .looseObject({ ...base, type: z.literal('capture_star'), artistId: idSchema(), discoveryPath: z.array(idSchema()).max(100).optional() })
      .meta({ title: 'CaptureStarOperation', description: 'A star captured offline: the artist, and the artists visited before it (oldest first).' }),
    z
      .looseObject({
        ...base,
        type: z.literal('orb_interaction'),
        fromArtistId: idSchema(),
        toArtistId: idSchema(),
        orbId: idSchema().nullish(),
        relationship: z.string().max(32).nullish(),
      })
      .meta({ title: 'OrbInteractionOperation', description: 'An orb zoom done offline, from the orbited artist to the orb’s artist.' }),
    z
      .looseObject({ ...base, type: z.literal('station_visit'), artistId: idSchema(), frequency: frequencySchema.nullish() })
      .meta({ title: 'StationVisitOperation', description: 'A station shown offline (cached), logged as a visit with method offline_cache.' }),
  ],
  { error: `must be one of ${OFFLINE_OPERATION_TYPES.join(' | ')}` },
);

/** The canonical key wins when both are present. */
function canonical(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = ALIASES[key] ?? key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (!(name in out) || name === key) out[name] = value;
  }
  return out;
}

/** Times must be within the passport's window (no further ahead than the clock skew, no older than accepted). */
export function validateOfflineOperations(operations: readonly unknown[], nowMs: number): { valid: OfflineOperation[]; invalid: InvalidOperation[] } {
  const valid: OfflineOperation[] = [];
  const invalid: InvalidOperation[] = [];
  operations.forEach((rawOp, index) => {
    const obj = rawOp !== null && typeof rawOp === 'object' && !Array.isArray(rawOp) ? canonical(rawOp as Record<string, unknown>) : null;
    const idOf = () => (obj && typeof obj.opId === 'string' && obj.opId.length > 0 && obj.opId.length <= 100 ? obj.opId : `#${index}`);
    const fail = (details: FieldIssue[]) => invalid.push({ opId: idOf(), index, error: issueText(details), details });
    if (!obj) return fail([{ field: '(operation)', message: 'must be an object' }]);
    const parsed = offlineOperationSchema.safeParse(obj);
    if (!parsed.success) return fail(issuesOf(parsed.error));
    const op = parsed.data;
    const occurredAtMs = parseClientTime(op.occurredAt);
    const problem = clientTimeProblem(occurredAtMs, nowMs);
    if (problem) return fail([{ field: 'timestamp', message: problem }]);
    valid.push(normalised(op, occurredAtMs));
  });
  return { valid, invalid };
}

function normalised(op: z.infer<typeof offlineOperationSchema>, occurredAtMs: number) {
  const common = { opId: op.opId, occurredAtMs, sessionId: op.sessionId ?? null };
  switch (op.type) {
    case 'capture_star':
      return { ...common, type: op.type, artistId: op.artistId, discoveryPath: op.discoveryPath ?? [] };
    case 'orb_interaction':
      return {
        ...common,
        type: op.type,
        fromArtistId: op.fromArtistId,
        toArtistId: op.toArtistId,
        orbId: op.orbId ?? null,
        relationship: op.relationship ?? null,
      };
    case 'station_visit':
      return { ...common, type: op.type, artistId: op.artistId, frequency: op.frequency ?? null };
  }
}
