import type { CursorProcessor } from '../passport/CursorProcessor.js';
import type { JobContext, JobResult } from './JobScheduler.js';

/** A passport cursor consumer as a job: up to `maxBatches` batches, stopping when caught up or shutting down. */
export function cursorJob(processor: CursorProcessor, batchSize: number, maxBatches: number) {
  return async (ctx: JobContext): Promise<JobResult> => {
    let rows = 0;
    let batches = 0;
    while (batches < maxBatches && !ctx.signal.aborted) {
      const n = await processor.runOnce();
      rows += n;
      batches++;
      if (n < batchSize) break;
    }
    return { rows, details: { batches, caughtUp: batches < maxBatches } };
  };
}
