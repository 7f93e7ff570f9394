import type { Sql } from '../db.js';
/** One chart point: epoch seconds, cluster events persisted per second and connected clients. */
export interface HistoryPoint {
  t: number;
  eventsPerSec: number | null;
  ccu: number;
}

/**
 * The ops chart's long history: each process writes its cluster point once a minute; a read takes, per minute, the
 * last writer's row. The write deletes rows past the retention, bounding the table.
 */
export class OpsHistoryStore {
  constructor(
    private readonly sql: Sql,
    private readonly retentionHours: number,
  ) {}

  async record(processId: string, point: HistoryPoint): Promise<void> {
    const at = new Date(Math.floor(point.t / 60) * 60_000);
    await this.sql.query(
      `WITH gone AS (DELETE FROM ops_history WHERE at < ? RETURNING 1)
       INSERT INTO ops_history (at, process_id, events_per_sec, ccu) VALUES (?, ?, ?, ?)
       ON CONFLICT (at, process_id) DO UPDATE SET events_per_sec = excluded.events_per_sec, ccu = excluded.ccu`,
      [new Date(at.getTime() - this.retentionHours * 3_600_000), at, processId, point.eventsPerSec, point.ccu],
    );
  }

  /** Minute points since `sinceMs`, oldest first. */
  async since(sinceMs: number): Promise<HistoryPoint[]> {
    return this.sql.query<HistoryPoint>(
      `SELECT DISTINCT ON (at) round(extract(epoch FROM at))::float8 AS t, events_per_sec::float8 AS "eventsPerSec", ccu::float8 AS ccu
         FROM ops_history WHERE at >= ? ORDER BY at, ccu DESC`,
      [new Date(sinceMs)],
    );
  }
}
