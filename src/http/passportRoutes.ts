import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { buildEvents, validateEvent, validateEvents, type FieldIssue, type PassportEvent, EVENT_TYPES, payloadSchemas } from '../../systems/passport/index.js';
import type { ServerEvent } from '../../systems/passport/build.js';
import type { PassportWriter } from '../../features/passport/PassportWriter.js';
import type { Logger } from '../logger.js';
import { ingestDurably, type PassportIngest } from '../../features/passport/durableIngest.js';
import { bindToCaller, type Caller, type RequestAuth } from './authGates.js';
import type { IngestLimits } from '../../features/limits/ingestLimits.js';
import { envelopeSchema } from '../../systems/passport/validate.js';
import { ValidationError } from './errors.js';
import { DOCUMENTED_DEFAULTS, mount, parse, reply, routeOf, type Route } from './route.js';

/** What an ingest route needs: passport's routes and gravity's `POST /event` (src/http/gravityRoutes.ts) answer alike. */
export interface IngestOptions {
  /** Every route is user-scoped: events are bound to the access token's user (the admin token may log for anyone). */
  auth: RequestAuth;
  now?: () => number;
  newId?: () => string;
  /** How long a request waits for its events to commit before answering 503 (PASSPORT_ACK_TIMEOUT_MS). */
  ackTimeoutMs: number;
  /** What one user may claim: server-only types refused, per-type rate and per-entity caps (429 beyond). */
  limits: Pick<IngestLimits, 'admit'>;
  /** Most events per `POST /api/passport/batch` (PASSPORT_MAX_BATCH_EVENTS; passport's routes only). */
  maxBatch?: number;
  /** The artist of a track, when known: a gravity play then also counts for that artist (payload.artistId; gravity's `POST /event` only). */
  artistOfTrack?: (trackId: string) => Promise<string | null>;
}

/** What an ingest handler takes: the options, bound to a writer, with their clock and id source filled in. */
export type IngestDeps = IngestOptions & { writer: PassportIngest; now: () => number; newId: () => string };

export const ingestDeps = (writer: PassportIngest, options: IngestOptions): IngestDeps => ({
  ...options,
  writer,
  now: options.now ?? Date.now,
  newId: options.newId ?? randomUUID,
});

/** Records what an HTTP read did (a station loaded, a search) for the caller: a user's token names them, else anonymous. */
export type ReadEventLog = (event: ServerEvent, caller: Caller | null) => void;

/** A full log does not take the event (the writer counts the refusal); the answer is served anyway. */
export function readEventLog(writer: Pick<PassportWriter, 'enqueue'>, log: Logger): ReadEventLog {
  return (event, caller) => {
    const ids = caller?.kind === 'user' ? { userId: caller.userId, deviceId: caller.deviceId } : {};
    try {
      writer.enqueue(buildEvents([event], { ...ids, source: 'http' }, Date.now(), randomUUID), { followUp: true });
    } catch (err) {
      log.debug({ err: (err as Error).message }, `${event.type} not queued`);
    }
  };
}

export function invalid(what: string, issues: FieldIssue[]): ValidationError {
  return new ValidationError(`invalid ${what}: ${issues.length} problem(s); see details`, issues.slice(0, 50));
}

/** Answers only once the events are committed (features/passport/durableIngest.ts). */
export async function accept(d: IngestDeps, events: PassportEvent[]) {
  const eventIds = await ingestDurably(d.writer, d.limits, events, d.ackTimeoutMs);
  return reply(202, { accepted: events.length, stored: true as const, eventIds });
}

/** 202 of `POST /api/passport/log`, `/api/passport/batch` and gravity's `/event`: committed to Postgres. */
export const ingestAcceptedSchema = z
  .object({ accepted: z.number().int().min(1), stored: z.literal(true), eventIds: z.array(z.string()) })
  .meta({ title: 'IngestAccepted' });

/** One passport event as `POST /api/passport/log` takes it: the envelope, its payload checked per `eventType`. */
export const passportEventSchema = z
  .discriminatedUnion(
    'eventType',
    EVENT_TYPES.map((type) =>
      envelopeSchema
        .extend({ eventType: z.literal(type), payload: payloadSchemas[type].optional() })
        .meta({ title: `PassportEvent_${type.replace('.', '_')}` }),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .meta({ title: 'PassportEvent', description: 'One passport event; payload fields per eventType (extra payload fields are kept).' });

export const INGEST_ANSWERS = { 202: { description: 'Committed to Postgres.', schema: ingestAcceptedSchema } };
export const INGEST_ERRORS = ['FORBIDDEN', 'RATE_LIMITED', 'BACKPRESSURE', 'NOT_PERSISTED'] as const;
const { maxBatchEvents } = DOCUMENTED_DEFAULTS.passport;
const route = routeOf<IngestDeps>('passport');

/**
 * Passport ingest. 202 = committed (a crash after it loses nothing); 503 + Retry-After = the log is full or behind, or
 * the commit was not confirmed in time (NOT_PERSISTED: retry with the same eventIds, duplicates are ignored).
 */
export const PASSPORT_ROUTES = [
  route('POST /api/passport/log', {
    operationId: 'passportLog',
    summary: "Log one passport event for the token's user.",
    auth: 'user-or-admin',
    body: passportEventSchema,
    bodyUnchecked: true,
    responses: INGEST_ANSWERS,
    errors: [...INGEST_ERRORS],
    handler: async ({ body, caller }, d) => {
      const result = validateEvent(body, { source: 'http', receivedAtMs: d.now(), newId: d.newId });
      if (!result.ok) throw invalid('passport event', result.issues);
      const bound = bindToCaller(caller, [result.event], (_, field) => field);
      return accept(d, bound);
    },
  }),
  route('POST /api/passport/batch', {
    operationId: 'passportBatch',
    summary: `Log up to ${maxBatchEvents} events (PASSPORT_MAX_BATCH_EVENTS), all or nothing.`,
    auth: 'user-or-admin',
    body: z.strictObject({ events: z.array(passportEventSchema).min(1).max(maxBatchEvents) }).meta({ title: 'PassportBatch' }),
    bodyUnchecked: true,
    responses: INGEST_ANSWERS,
    errors: [...INGEST_ERRORS],
    handler: async ({ body, caller }, d) => {
      // Only the list's bounds here: each event is validated below, so one answer names every field of every event.
      const max = d.maxBatch ?? maxBatchEvents;
      const { events } = parse(z.strictObject({ events: z.array(z.unknown()).min(1).max(max, `at most ${max} events per request`) }), body, 'batch');
      const result = validateEvents(events, { source: 'http', receivedAtMs: d.now(), newId: d.newId });
      if (!result.ok) throw invalid('passport batch (nothing was accepted)', result.issues);
      const bound = bindToCaller(caller, result.events, (i, field) => `events.${i}.${field}`);
      return accept(d, bound);
    },
  }),
];

export const passportRoutes = (writer: PassportIngest, options: IngestOptions): Route[] => mount(PASSPORT_ROUTES, ingestDeps(writer, options));
