import { PassportWriter } from '../../features/passport/PassportWriter.js';
import { createCopySink } from '../../persistence/passport/copySink.js';
import { PassportPartitions } from '../../persistence/passport/PassportPartitions.js';
import { PassportOutbox } from '../../persistence/passport/PassportOutbox.js';
import { OutboxDrainer } from '../../features/passport/OutboxDrainer.js';
import { IngestLimits } from '../../features/limits/ingestLimits.js';
import { serverOnlyTypes } from '../../systems/leaderboard/countingRules.js';
import { passportRoutes, type IngestOptions } from '../http/passportRoutes.js';
import { scheduled, type FeatureParts, type WireContext } from './context.js';

/**
 * The passport: the writer (a bounded queue on connections of its own), HTTP ingest (its options shared with gravity's `POST /event`), the outbox
 * drainer and the monthly partitions job. Its stop drains the queue with what is left of the shutdown time, after the rooms queued their last events.
 */
export function wire(ctx: WireContext): FeatureParts & { writer: PassportWriter; ingest: IngestOptions } {
  const { config, log, life } = ctx;
  const sink = createCopySink({
    url: ctx.databaseUrl,
    log,
    concurrency: config.passport.flushConcurrency,
    copyMinEvents: config.passport.copyMinEvents,
    queryTimeoutMs: config.passport.queryTimeoutMs,
  });
  life.add('passport-sink', () => sink.close());
  const writer = new PassportWriter(sink, { ...config.passport }, log.child({ component: 'passport' }));
  life.add('passport-writer', () => writer.drain(life.timeLeft()).finally(() => writer.stop()));
  life.reportPending('passportEventsQueued', () => writer.stats().queueDepth);
  ctx.metrics.registerPassport(() => writer.stats());
  // Stopped before the writer drains (the lifecycle stops in reverse): nothing is queued after the drain.
  const drainer = new OutboxDrainer(
    new PassportOutbox(ctx.sql),
    writer,
    { ageMs: config.passport.outboxAgeMs, batch: config.passport.outboxBatch },
    log.child({ component: 'passport-outbox' }),
  );
  drainer.start();
  life.add('passport-outbox', () => drainer.stop());
  const partitions = new PassportPartitions(ctx.sql, config.partitions);
  // One set of ingest limits for every ingest route, gravity's POST /event included: a user's claims count once.
  const ingest: IngestOptions = {
    auth: ctx.auth,
    limits: new IngestLimits(ctx.backplane, config.limits, serverOnlyTypes(config.payments.webhookSecret !== undefined)),
    ackTimeoutMs: config.passport.ackTimeoutMs,
  };
  return {
    writer,
    ingest,
    routes: passportRoutes(writer, { ...ingest, maxBatch: config.passport.maxBatchEvents }),
    jobs: [
      scheduled(ctx, 'passport_partitions', 'passport months: create ahead, archive or drop past retention', async (job) => {
        const report = await partitions.maintain(job.nowMs);
        return { rows: report.created.length + report.archived.length + report.dropped.length + report.movedFromDefault, details: { ...report } };
      }),
    ],
  };
}
