/**
 * Passport events: the canonical, append-only log of everything a listener does (seeds 002, 003).
 * Pure types and constants; time always comes in as an argument.
 */
import type { z } from 'zod';
import { AppError } from '../errors.js';
import { payloadSchemas, type PayloadSchemas } from './payloads.js';

/** Every passport event type, `<category>.<action>`. */
export type EventType = keyof PayloadSchemas;
export const EVENT_TYPES = Object.freeze(Object.keys(payloadSchemas) as EventType[]);

/** The category is the prefix of the type (`station.visited` → `station`). */
export type CategoryOf<T extends string> = T extends `${infer C}.${string}` ? C : never;

/** Where an event entered the server. */
export const EVENT_SOURCES = ['room', 'http', 'gravity', 'offline_sync'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/** Serialized payload bound (UTF-8 bytes of its JSON). */
export const MAX_PAYLOAD_BYTES = 8 * 1024;
/** How far in the past a client may date an event (offline queues included). */
export const MAX_EVENT_AGE_MS = 90 * 24 * 3600 * 1000;
/** How far ahead of server time a client clock may run. */
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;

export type PayloadOf<T extends EventType> = z.infer<PayloadSchemas[T]>;

/** One passport event of type `T`, normalised: ids lower-case, times in ms since epoch (ISO only in Postgres). */
export interface PassportEventOf<T extends EventType> {
  eventId: string;
  eventType: T;
  eventCategory: CategoryOf<T>;
  userId: string | null;
  sessionId: string | null;
  deviceId: string | null;
  /** Client time (when it happened), ms since epoch. */
  occurredAt: number;
  /** Server time (when the server accepted it), ms since epoch. */
  receivedAt: number;
  entityType: string | null;
  entityId: string | null;
  payload: PayloadOf<T>;
  source: EventSource;
}

/** The discriminated union over {@link EventType}: narrow on `eventType`. */
export type PassportEvent = { [T in EventType]: PassportEventOf<T> }[EventType];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(payloadSchemas, value);
}

export function categoryOf<T extends EventType>(type: T): CategoryOf<T> {
  return type.slice(0, type.indexOf('.')) as CategoryOf<T>;
}

/** Gravity layer contract (seed 001): its event types and the passport type each becomes. */
export const GRAVITY_EVENT_TYPES = {
  play_start: 'player.track_played',
  play_10s: 'player.play_10s',
  skip: 'player.track_skipped',
  radio_next: 'player.radio_next',
  like: 'player.like',
} as const satisfies Record<string, EventType>;

/** A validation problem, addressed to one field (dot path, array indices as numbers). */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Codes of {@link PassportEventError}. */
export type PassportEventErrorCode = 'INVALID_EVENT';

/** A built or received event failed validation; `details` says which fields and why. */
export class PassportEventError extends AppError<PassportEventErrorCode> {
  constructor(
    message: string,
    override readonly details: FieldIssue[],
  ) {
    super('INVALID_EVENT', message, details);
  }
}
