import { AppError } from '../../systems/errors.js';
import { InvalidCursorError } from '../../persistence/ops/OpsRepository.js';
import type { DiaReader, OpsTimelinePage, TimelineQuery } from './types.js';

/**
 * One page of a user's passport for DIA, newest first. A `before` this server did not issue is the
 * operator's mistake, answered as VALIDATION_FAILED on `before` (the console then starts from the newest).
 */
export async function userTimeline(dia: DiaReader, userId: string, query: TimelineQuery): Promise<OpsTimelinePage> {
  try {
    return await dia.timeline(userId, query);
  } catch (err) {
    if (err instanceof InvalidCursorError) throw new AppError('VALIDATION_FAILED', err.message, [{ field: 'before', message: 'unknown cursor' }]);
    throw err;
  }
}
