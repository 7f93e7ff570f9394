/** Turns what happened into validated passport events; server time and the id source are arguments. */
import {
  GRAVITY_EVENT_TYPES,
  PassportEventError,
  categoryOf,
  type EventSource,
  type EventType,
  type FieldIssue,
  type PassportEvent,
  type PassportEventOf,
  type PayloadOf,
} from './events.js';
import { idSchema, uuidSchema } from './payloads.js';
import { issueText, issuesOf, validateEvent } from './validate.js';
import { z } from 'zod';

/** Filled in by the server, never guessed. */
export interface EventIds {
  userId?: string | null;
  sessionId?: string | null;
  deviceId?: string | null;
  source: EventSource;
}

export interface EventFields<T extends EventType> {
  payload: PayloadOf<T>;
  entityType?: string | null;
  entityId?: string | null;
  /** Client time (ms or ISO); default `nowMs`. */
  occurredAt?: number | string;
  /** For idempotent replays; otherwise `newId()`. */
  eventId?: string;
}

/** A name-based UUID (version 5 layout) from a digest of the name: the same name always names the same event. */
export function nameUuid(digest: Buffer): string {
  const h = Buffer.from(digest.subarray(0, 16));
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Throws PassportEventError with per-field details (a bug when the room builds it, a client error from a client). */
export function makeEvent<T extends EventType>(type: T, fields: EventFields<T>, ids: EventIds, nowMs: number, newId: () => string): PassportEventOf<T> {
  const { source, ...who } = ids;
  const result = validateEvent({ ...fields, ...who, eventType: type }, { source, receivedAtMs: nowMs, newId });
  if (!result.ok) throw new PassportEventError(`invalid ${type} event: ${issueText(result.issues.slice(0, 5))}`, result.issues);
  return result.event as PassportEventOf<T>;
}

/** Typed per event type at compile time, so built without validation. `occurredAtMs` for replayed (offline) events. */
export type ServerEvent = {
  [T in EventType]: { type: T; payload: PayloadOf<T>; entityType?: string | null; entityId?: string | null; occurredAtMs?: number; eventId?: string };
}[EventType];

/** No zod pass, no size check; times stay numbers until the sink. */
export function buildEvents(events: readonly ServerEvent[], ids: EventIds, nowMs: number, newId: () => string): PassportEvent[] {
  return events.map(
    (e) =>
      ({
        eventId: e.eventId ?? newId(),
        eventType: e.type,
        eventCategory: categoryOf(e.type),
        userId: ids.userId ?? null,
        sessionId: ids.sessionId ?? null,
        deviceId: ids.deviceId ?? null,
        occurredAt: e.occurredAtMs ?? nowMs,
        receivedAt: nowMs,
        entityType: e.entityType ?? null,
        entityId: e.entityId ?? null,
        payload: e.payload,
        source: ids.source,
      }) as PassportEvent,
  );
}

const gravityType = z.enum(Object.keys(GRAVITY_EVENT_TYPES) as [keyof typeof GRAVITY_EVENT_TYPES, ...Array<keyof typeof GRAVITY_EVENT_TYPES>], {
  error: `must be one of ${Object.keys(GRAVITY_EVENT_TYPES).join(' | ')}`,
});
const elapsedMs = z.number().int().min(0).max(86_400_000).optional();

/** The gravity layer's `POST /event` body, snake_case. */
export const gravityEventSchema = z
  .strictObject({
    session_id: idSchema(200),
    track_id: uuidSchema,
    event_type: gravityType,
    user_id: uuidSchema.nullish(),
    timestamp: z.string().max(40).optional(),
    context: z.string().max(64).optional(),
    meta: z.looseObject({ elapsed_ms: elapsedMs }).optional(),
  })
  .meta({ title: 'GravityEventSnake' });

/** The same in camelCase, like every other route. A body uses one spelling throughout. */
export const gravityEventCamelSchema = z
  .strictObject({
    sessionId: idSchema(200),
    trackId: uuidSchema,
    eventType: gravityType,
    userId: uuidSchema.nullish(),
    timestamp: z.string().max(40).optional(),
    context: z.string().max(64).optional(),
    meta: z.looseObject({ elapsedMs }).optional(),
  })
  .meta({ title: 'GravityEventCamel' });

const CAMEL_KEYS = ['sessionId', 'trackId', 'eventType', 'userId'];

/** A body naming any camelCase key is read as camelCase. */
function parseGravity(input: unknown): { ok: true; data: z.output<typeof gravityEventSchema>; camel: boolean } | { ok: false; issues: FieldIssue[] } {
  const camel = input !== null && typeof input === 'object' && CAMEL_KEYS.some((k) => Object.prototype.hasOwnProperty.call(input, k));
  if (!camel) {
    const parsed = gravityEventSchema.safeParse(input);
    return parsed.success ? { ok: true, data: parsed.data, camel } : { ok: false, issues: issuesOf(parsed.error) };
  }
  const parsed = gravityEventCamelSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error) };
  const { sessionId, trackId, eventType, userId, meta, ...rest } = parsed.data;
  const snakeMeta = meta === undefined ? undefined : (({ elapsedMs: ms, ...other }) => ({ ...other, elapsed_ms: ms }))(meta);
  return { ok: true, camel, data: { ...rest, session_id: sessionId, track_id: trackId, event_type: eventType, user_id: userId, meta: snakeMeta } };
}

/** To a `player.*` event (source `gravity`). `skip` needs `meta.elapsed_ms` (the penalty depends on it). */
export function gravityToEvent(input: unknown, nowMs: number, newId: () => string): { ok: true; event: PassportEvent } | { ok: false; issues: FieldIssue[] } {
  const parsed = parseGravity(input);
  if (!parsed.ok) return parsed;
  const g = parsed.data;
  if (g.event_type === 'skip' && g.meta?.elapsed_ms === undefined) {
    return {
      ok: false,
      issues: [{ field: parsed.camel ? 'meta.elapsedMs' : 'meta.elapsed_ms', message: 'is required for skip (milliseconds played before the skip)' }],
    };
  }
  const payload: Record<string, unknown> = { trackId: g.track_id.toLowerCase(), gravityType: g.event_type };
  if (g.context !== undefined) payload.context = g.context;
  if (g.meta?.elapsed_ms !== undefined) payload.elapsedMs = g.meta.elapsed_ms;
  const result = validateEvent(
    {
      eventType: GRAVITY_EVENT_TYPES[g.event_type],
      userId: g.user_id ?? null,
      sessionId: g.session_id,
      occurredAt: g.timestamp,
      entityType: 'track',
      entityId: g.track_id.toLowerCase(),
      payload,
    },
    { source: 'gravity', receivedAtMs: nowMs, newId },
  );
  if (!result.ok) return { ok: false, issues: result.issues.map((i) => ({ ...i, field: i.field === 'occurredAt' ? 'timestamp' : i.field })) };
  return result;
}
