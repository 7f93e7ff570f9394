import { randomUUID } from 'node:crypto';
import { buildEvents, type ServerEvent } from '../../systems/passport/index.js';
import type { PassportWriter } from './PassportWriter.js';

/** Who the events are about: filled in by the room (its `EventIdentity`), so systems and adapters never guess. */
export interface PassportIdentity {
  userId: string;
  sessionId: string;
  deviceId: string;
}

export interface RoomPassport {
  /** All-or-nothing. `followUp`: they record what already happened, so only the hard bound applies. @throws BackpressureError */
  record(identity: PassportIdentity, events: ServerEvent[], options?: { followUp?: boolean }): void;
  /** True when `count` more events fit right now (checked before a durable write the events describe). */
  hasRoomFor(count: number): boolean;
}

/** Adapts the writer for rooms: adds ids and timestamps to the room's typed events (no revalidation). */
export function createRoomPassport(writer: PassportWriter, options: { now?: () => number; newId?: () => string } = {}): RoomPassport {
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;
  return {
    record: (identity, events, options) => writer.enqueue(buildEvents(events, { ...identity, source: 'room' }, now(), newId), options),
    hasRoomFor: (count) => writer.hasRoomFor(count),
  };
}
