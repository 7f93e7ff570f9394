/** Field-by-field validation: every problem is `{field, message}`, so a client developer can fix the exact field. */
import { z } from 'zod';
import {
  EVENT_TYPE_ALIASES,
  EVENT_TYPES,
  MAX_CLOCK_SKEW_MS,
  MAX_EVENT_AGE_MS,
  MAX_PAYLOAD_BYTES,
  categoryOf,
  isEventType,
  type EventSource,
  type FieldIssue,
  type PassportEvent,
} from './events.js';
import { idSchema, payloadSchemas, uuidSchema } from './payloads.js';
import { normalizeCity } from '../text.js';

export interface ValidationContext {
  source: EventSource;
  /** Becomes `receivedAt`, the default `occurredAt`, and bounds it. */
  receivedAtMs: number;
  /** For events sent without `eventId`. */
  newId: () => string;
  maxAgeMs?: number;
}

export type EventValidation = { ok: true; event: PassportEvent } | { ok: false; issues: FieldIssue[] };

/** `payload` is checked per type with `payloadSchemas`. */
export const envelopeSchema = z.strictObject({
  eventId: uuidSchema.optional(),
  eventType: z.string(),
  userId: uuidSchema.nullish(),
  sessionId: idSchema(200).nullish(),
  deviceId: idSchema(128).nullish(),
  occurredAt: z.union([z.number(), z.string().max(40)]).optional(),
  entityType: idSchema(64).nullish(),
  entityId: idSchema(200).nullish(),
  payload: z.record(z.string(), z.unknown()).optional(),
});

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
/** An unescaped `\u0000`: Postgres jsonb cannot store NUL characters. */
const NUL_ESCAPE_RE = /(^|[^\\])(\\\\)*\\u0000/;

/** ms or ISO-8601 (no offset = UTC, as "2025-01-06T15:12:44"); NaN when unreadable. */
export function parseClientTime(value: number | string): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value) : NaN;
  if (!ISO_RE.test(value)) return NaN;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  return Date.parse(hasZone ? value : `${value}Z`);
}

/** null when fine. */
export function clientTimeProblem(ms: number, receivedAtMs: number, maxAgeMs = MAX_EVENT_AGE_MS, maxSkewMs = MAX_CLOCK_SKEW_MS): string | null {
  if (Number.isNaN(ms)) return 'must be ms since epoch or an ISO-8601 time like 2025-01-06T14:28:33.120Z';
  if (ms > receivedAtMs + maxSkewMs) return `is ${Math.round((ms - receivedAtMs) / 1000)} s ahead of server time (at most ${maxSkewMs / 1000} s allowed)`;
  if (ms < receivedAtMs - maxAgeMs) {
    const hint = ms > 0 && ms < 1e11 ? '; it looks like seconds: send milliseconds' : '';
    return `is older than ${Math.round(maxAgeMs / 86_400_000)} days${hint}`;
  }
  return null;
}

/** "field message; field message", for a log line or an error sentence. */
export const issueText = (issues: readonly FieldIssue[]): string => issues.map((i) => `${i.field} ${i.message}`).join('; ');

/** Paths prefixed, e.g. `events.3.payload.artistId`. */
export function issuesOf(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [...issue.path.map(String), ...(keys.length === 1 ? keys : [])].join('.');
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown field${keys.length > 1 ? `s ${keys.join(', ')}` : ''}; check the spelling`
        : issue.code === 'invalid_type' && /received undefined$/.test(issue.message)
          ? `is required (${issue.expected})`
          : issue.message;
    return { field: joinField(prefix, path) || '(body)', message };
  });
}

function joinField(prefix: string, path: string): string {
  return prefix && path ? `${prefix}.${path}` : prefix || path;
}

export function validateEvent(input: unknown, ctx: ValidationContext, prefix = ''): EventValidation {
  const parsed = envelopeSchema.safeParse(input);
  const issues: FieldIssue[] = parsed.success ? [] : issuesOf(parsed.error, prefix);
  // Keep checking the fields the envelope could not vouch for, so one answer lists every problem.
  const raw = (input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
  const at = (field: string) => joinField(prefix, field);
  const type = typeof raw.eventType === 'string' ? (EVENT_TYPE_ALIASES[raw.eventType] ?? raw.eventType) : raw.eventType;
  if (typeof type === 'string' && !isEventType(type)) {
    issues.push({ field: at('eventType'), message: `unknown event type "${type.slice(0, 64)}"; known: ${EVENT_TYPES.join(', ')}` });
  }
  const occurredAt = raw.occurredAt;
  const occurredMs =
    occurredAt === undefined ? ctx.receivedAtMs : typeof occurredAt === 'number' || typeof occurredAt === 'string' ? parseClientTime(occurredAt) : NaN;
  if (typeof occurredAt === 'number' || typeof occurredAt === 'string' || occurredAt === undefined) {
    const timeProblem = clientTimeProblem(occurredMs, ctx.receivedAtMs, ctx.maxAgeMs);
    if (timeProblem) issues.push({ field: at('occurredAt'), message: timeProblem });
  }
  const payload = (raw.payload ?? {}) as Record<string, unknown>;
  if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
    if (isEventType(type)) {
      const checked = payloadSchemas[type].safeParse(payload);
      if (!checked.success) issues.push(...issuesOf(checked.error, at('payload')));
    }
    const serialized = JSON.stringify(payload);
    const bytes = Buffer.byteLength(serialized);
    if (bytes > MAX_PAYLOAD_BYTES) issues.push({ field: at('payload'), message: `is ${bytes} bytes of JSON; at most ${MAX_PAYLOAD_BYTES} allowed` });
    if (NUL_ESCAPE_RE.test(serialized)) issues.push({ field: at('payload'), message: 'contains a NUL (\\u0000) character, which cannot be stored' });
  }
  if (issues.length > 0 || !parsed.success || !isEventType(type)) return { ok: false, issues };
  const data = parsed.data;

  // One spelling per city on the public boards and in reports, whatever spaces or Unicode form a client sent.
  const city = typeof payload.city === 'string' ? normalizeCity(payload.city) : undefined;
  const stored = city === undefined || city === payload.city ? payload : withCity(payload, city);
  const event = {
    eventId: (data.eventId ?? ctx.newId()).toLowerCase(),
    eventType: type,
    eventCategory: categoryOf(type),
    userId: data.userId?.toLowerCase() ?? null,
    sessionId: data.sessionId ?? null,
    deviceId: data.deviceId ?? null,
    occurredAt: occurredMs,
    receivedAt: ctx.receivedAtMs,
    entityType: data.entityType ?? null,
    entityId: data.entityId ?? null,
    payload: stored,
    source: ctx.source,
  } as PassportEvent;
  return { ok: true, event };
}

/** A city of only spaces is left out. */
function withCity(payload: Record<string, unknown>, city: string): Record<string, unknown> {
  const { city: _raw, ...rest } = payload;
  return city ? { ...rest, city } : rest;
}

/** All-or-nothing: every event valid, or the issues of every invalid one (`<prefix>.<index>`, at most `maxIssues`). */
export function validateEvents(
  inputs: readonly unknown[],
  ctx: ValidationContext,
  prefix = 'events',
  maxIssues = 50,
): { ok: true; events: PassportEvent[] } | { ok: false; issues: FieldIssue[] } {
  const events: PassportEvent[] = [];
  const issues: FieldIssue[] = [];
  inputs.forEach((input, i) => {
    const result = validateEvent(input, ctx, `${prefix}.${i}`);
    if (result.ok) events.push(result.event);
    else issues.push(...result.issues);
  });
  return issues.length > 0 ? { ok: false, issues: issues.slice(0, maxIssues) } : { ok: true, events };
}
