import { AppError } from '../../systems/errors.js';
import { InvalidCursorError } from '../../persistence/ops/OpsRepository.js';
import type { DiaReader, OpsActivityPage, OpsTimelinePage, TimelineQuery } from './types.js';

/** One page of a user's passport, newest first; a `before` this server did not issue is VALIDATION_FAILED. */
export async function userTimeline(dia: DiaReader, userId: string, query: TimelineQuery): Promise<OpsTimelinePage> {
  try {
    return await dia.timeline(userId, query);
  } catch (err) {
    if (err instanceof InvalidCursorError) throw new AppError('VALIDATION_FAILED', err.message, [{ field: 'before', message: 'unknown cursor' }]);
    throw err;
  }
}

/** What arrived for the user since the last poll's cursor, newest first; a cursor that is not a passport id is VALIDATION_FAILED. */
export async function userActivity(
  dia: DiaReader,
  userId: string,
  query: { after: string | null; limit: number; windowSec: number; nowMs: number },
): Promise<OpsActivityPage> {
  if (query.after !== null && !/^\d{1,19}$/.test(query.after))
    throw new AppError('VALIDATION_FAILED', 'after must be the cursor a previous answer gave (a passport id)', [
      { field: 'after', message: 'is not a passport id' },
    ]);
  return dia.activity(userId, query);
}
