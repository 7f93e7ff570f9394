/**
 * /metrics for writes gathered into one statement (persistence/statementBatch.ts): how many statements, how
 * many items they carried, failed or refused, and how many wait now. Refused items mean the database is far
 * slower than the writes arrive; waiting near the bound is the warning before that.
 */
import { Counter, type Registry } from 'prom-client';
import { scrapedByLabel } from './metrics.js';
import type { StatementBatchStats } from '../persistence/statementBatch.js';

/** One series per batch name (`session_counters`, …); `sources` are read at each scrape. */
export function registerStatementBatchMetrics(registry: Registry, sources: Record<string, () => StatementBatchStats>): void {
  const read = () => Object.entries(sources).map(([batch, stats]) => [batch, stats()] as const);
  const countedByOutcome = (name: string, help: string, outcomes: Record<string, (s: StatementBatchStats) => number>) =>
    new Counter({
      name,
      help,
      labelNames: ['batch', 'outcome'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [batch, s] of read()) for (const [outcome, count] of Object.entries(outcomes)) this.inc({ batch, outcome }, count(s));
      },
    });
  countedByOutcome(
    'ds_statement_batch_flushes_total',
    'Statements written by a batch of gathered writes, by outcome (ok: committed; failed: its callers got the error)',
    {
      ok: (s) => s.flushes - s.failedFlushes,
      failed: (s) => s.failedFlushes,
    },
  );
  countedByOutcome(
    'ds_statement_batch_items_total',
    'Writes a batch took, by outcome: written (committed), failed (in a failed statement), refused (the waiting bound was full)',
    {
      written: (s) => s.written,
      failed: (s) => s.failed,
      refused: (s) => s.refused,
    },
  );
  scrapedByLabel(registry, 'gauge', 'ds_statement_batch_waiting', 'Writes waiting for their statement now (the one in flight not counted)', 'batch', () =>
    Object.fromEntries(read().map(([batch, s]) => [batch, s.waiting])),
  );
}
