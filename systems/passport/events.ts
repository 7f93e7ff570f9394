/** Passport events: the canonical, append-only log of everything a listener does. */
import type { z } from 'zod';
import { AppError, type ErrorDetail } from '../errors.js';
import { payloadSchemas, type PayloadSchemas } from './payloads.js';

/** `<category>.<action>`. */
export type EventType = keyof PayloadSchemas;
export const EVENT_TYPES = Object.freeze(Object.keys(payloadSchemas) as EventType[]);

/** `station.visited` → `station`. */
export type CategoryOf<T extends string> = T extends `${infer C}.${string}` ? C : never;

export type EventSource = 'room' | 'http' | 'gravity' | 'offline_sync';

/** UTF-8 bytes of the payload's JSON. */
export const MAX_PAYLOAD_BYTES = 8 * 1024;
/** How far back a client may date an event (offline queues included). */
export const MAX_EVENT_AGE_MS = 90 * 24 * 3600 * 1000;
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;

export type PayloadOf<T extends EventType> = z.infer<PayloadSchemas[T]>;

/** Ids lower-case, times in ms since epoch (ISO only in Postgres). */
export interface PassportEventOf<T extends EventType> {
  eventId: string;
  eventType: T;
  eventCategory: CategoryOf<T>;
  userId: string | null;
  sessionId: string | null;
  deviceId: string | null;
  /** Client time: when it happened. */
  occurredAt: number;
  /** Server time: when accepted. */
  receivedAt: number;
  entityType: string | null;
  entityId: string | null;
  payload: PayloadOf<T>;
  source: EventSource;
}

export type PassportEvent = { [T in EventType]: PassportEventOf<T> }[EventType];

/** Another name products use for a type (a vote on the coliseum): read as the type it names, stored under that. */
export const EVENT_TYPE_ALIASES: Readonly<Record<string, EventType>> = Object.freeze({ 'coliseum.vote_cast': 'concierto.vote_cast' });

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(payloadSchemas, value);
}

export function categoryOf<T extends EventType>(type: T): CategoryOf<T> {
  return type.slice(0, type.indexOf('.')) as CategoryOf<T>;
}

/** The gravity layer's event types and the passport type each becomes. */
export const GRAVITY_EVENT_TYPES = {
  play_start: 'player.track_played',
  play_10s: 'player.play_10s',
  skip: 'player.track_skipped',
  radio_next: 'player.radio_next',
  like: 'player.like',
} as const satisfies Record<string, EventType>;

export type FieldIssue = ErrorDetail;

export class PassportEventError extends AppError<'INVALID_EVENT'> {
  constructor(
    message: string,
    override readonly details: FieldIssue[],
  ) {
    super('INVALID_EVENT', message, details);
  }
}
