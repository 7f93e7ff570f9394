/**
 * /metrics for writes gathered into one statement (persistence/statementBatch.ts): how many statements, how
 * many items they carried, failed or refused, and how many wait now. Refused items mean the database is far
 * slower than the writes arrive; waiting near the bound is the warning before that.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { StatementBatchStats } from '../persistence/statementBatch.js';

/** One series per batch name (`session_counters`, …); `sources` are read at each scrape. */
export function registerStatementBatchMetrics(registry: Registry, sources: Record<string, () => StatementBatchStats>): void {
  const read = () => Object.entries(sources).map(([batch, stats]) => [batch, stats()] as const);
  new Counter({
    name: 'ds_statement_batch_flushes_total',
    help: 'Statements written by a batch of gathered writes, by outcome (ok: committed; failed: its callers got the error)',
    labelNames: ['batch', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [batch, s] of read()) {
        this.inc({ batch, outcome: 'ok' }, s.flushes - s.failedFlushes);
        this.inc({ batch, outcome: 'failed' }, s.failedFlushes);
      }
    },
  });
  new Counter({
    name: 'ds_statement_batch_items_total',
    help: 'Writes a batch took, by outcome: written (committed), failed (in a failed statement), refused (the waiting bound was full)',
    labelNames: ['batch', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [batch, s] of read()) {
        this.inc({ batch, outcome: 'written' }, s.written);
        this.inc({ batch, outcome: 'failed' }, s.failed);
        this.inc({ batch, outcome: 'refused' }, s.refused);
      }
    },
  });
  new Gauge({
    name: 'ds_statement_batch_waiting',
    help: 'Writes waiting for their statement now (the one in flight not counted)',
    labelNames: ['batch'],
    registers: [registry],
    collect() {
      for (const [batch, s] of read()) this.set({ batch }, s.waiting);
    },
  });
}
