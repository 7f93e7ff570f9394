/**
 * `passport_outbox` (migration 022): passport events committed with the rows they describe (a capture's
 * star, persistence/constellation/captureStatement.ts) that the passport writer has not stored yet.
 * The writer stores them like any event (its id claim makes a second copy a duplicate); this class
 * only finds what is left: rows whose event is stored or dead-lettered go, rows that waited too long
 * (their process died before its flush) are leased to be queued again.
 */
import type { Sql } from '../db.js';
import type { PassportEvent } from '../../systems/passport/events.js';

export class PassportOutbox {
  constructor(private readonly sql: Sql) {}

  /** Deletes the rows whose event is in the passport (its id claimed) or was dead-lettered; returns how many. */
  async sweep(): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>(
      `WITH gone AS (
         DELETE FROM passport_outbox o
         WHERE EXISTS (SELECT 1 FROM passport_event_ids i WHERE i.event_id = o.event_id)
            OR EXISTS (SELECT 1 FROM passport_dead_letters d WHERE d.event_id = o.event_id::text)
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
    );
    return Number(row?.n ?? 0);
  }

  /**
   * Takes up to `limit` rows leased (or written) at least `ageMs` ago, oldest first, and restarts their
   * age: each is handed to one process per `ageMs` (SKIP LOCKED), and again later if that one dies too.
   */
  async lease(ageMs: number, limit: number): Promise<PassportEvent[]> {
    const rows = await this.sql.query<{ event: PassportEvent | string }>(
      `UPDATE passport_outbox o SET leased_at = now()
       FROM (SELECT event_id FROM passport_outbox WHERE leased_at <= now() - make_interval(secs => ?::float8 / 1000) ORDER BY leased_at LIMIT ? FOR UPDATE SKIP LOCKED) due
       WHERE o.event_id = due.event_id
       RETURNING o.event`,
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
