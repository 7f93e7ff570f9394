import type { PassportEvent } from '../../systems/passport/index.js';
import type { IngestLimits } from '../limits/ingestLimits.js';
import { NotPersistedError } from '../../persistence/passport/errors.js';
import type { PassportWriter } from './PassportWriter.js';

/** What a durable ingest needs from the passport writer: queue and resolve once committed. */
export type PassportIngest = Pick<PassportWriter, 'enqueueDurable'>;

/**
 * Resolves with the ids only once committed, so an acknowledgement survives a crash. NOT_PERSISTED is re-worded with
 * the retry advice a client needs (same eventIds, nothing twice).
 */
export async function ingestDurably(
  writer: PassportIngest,
  limits: Pick<IngestLimits, 'admit'>,
  events: PassportEvent[],
  ackTimeoutMs: number,
): Promise<string[]> {
  await limits.admit(events);
  const eventIds = events.map((e) => e.eventId);
  try {
    await writer.enqueueDurable(events, ackTimeoutMs);
  } catch (err) {
    if (err instanceof NotPersistedError) {
      throw new NotPersistedError(
        `the events were not confirmed stored within ${ackTimeoutMs} ms and may still be stored; retry with the same eventIds (${eventIds.length === 1 ? eventIds[0] : 'send eventId on each event'}) so nothing is stored twice`,
      );
    }
    throw err;
  }
  return eventIds;
}
