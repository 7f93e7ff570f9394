/**
 * `passport_outbox`: events committed with the rows they describe, not stored in the passport yet. Rows whose event is
 * stored or dead-lettered go; rows that waited too long (their process died) are leased to be queued again.
 */
import { affectedRows, type Sql } from '../db.js';
import type { PassportEvent } from '../../systems/passport/events.js';

export class PassportOutbox {
  constructor(private readonly sql: Sql) {}

  /** Deletes the rows whose event is in the passport (its id claimed) or was dead-lettered; returns how many. */
  async sweep(): Promise<number> {
    return affectedRows(
      this.sql,
      `DELETE FROM passport_outbox o
        WHERE EXISTS (SELECT 1 FROM passport_event_ids i WHERE i.event_id = o.event_id)
           OR EXISTS (SELECT 1 FROM passport_dead_letters d WHERE d.event_id = o.event_id::text)`,
    );
  }

  /**
   * Rows leased (or written) at least `ageMs` ago, oldest first; leasing restarts their age, so one process takes each
   * per `ageMs`. Events come in the order they happened, a badge after the capture that earned it (same time): rows
   * have no order of their own (a statement's rows share `leased_at`, and an update moves them on disk).
   */
  async lease(ageMs: number, limit: number): Promise<PassportEvent[]> {
    const rows = await this.sql.query<{ event: PassportEvent | string }>(
      `WITH due AS (
         SELECT event_id FROM passport_outbox WHERE leased_at <= now() - make_interval(secs => ?::float8 / 1000) ORDER BY leased_at LIMIT ? FOR UPDATE SKIP LOCKED),
       leased AS (UPDATE passport_outbox o SET leased_at = now() FROM due WHERE o.event_id = due.event_id RETURNING o.event)
       SELECT event FROM leased ORDER BY (event->>'occurredAt')::float8, event->>'eventType' = 'badge.earned'`,
      [ageMs, limit],
    );
    return rows.map((r) => (typeof r.event === 'string' ? (JSON.parse(r.event) as PassportEvent) : r.event));
  }

  /** Rows waiting (for /ops and tests). */
  async size(): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM passport_outbox`);
    return Number(row?.n ?? 0);
  }
}
