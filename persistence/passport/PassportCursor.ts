/**
 * A named cursor over passport_entries in id order: a batch's effect and the cursor move commit in one transaction,
 * and the row is locked (SKIP LOCKED) so two processes never apply the same batch. Ids become visible in order
 * because every passport insert takes one advisory lock (sinks.ts).
 */
import type { Sql } from '../db.js';
import type { CursorLag } from '../../systems/ops/answers.js';

/** The effect applied to one id range `(fromId, toId]` inside the cursor's transaction. */
export interface CursorConsumer {
  /** Cursor name (processor_cursors.name); one per consumer. */
  readonly name: string;
  apply(tx: Sql, fromId: string, toId: string): Promise<void>;
}

/** The lag count stops here: an operator's click must not count a backlog of millions. */
export const LAG_COUNT_CAP = 100_000;

export class PassportCursor {
  /** The cursor's row is known to exist: made once per process, not per tick (a statement a second per processor). */
  private made = false;

  constructor(
    private readonly sql: Sql,
    readonly consumer: CursorConsumer,
  ) {}

  /** Returns the rows consumed (0 when caught up or another process holds the cursor); `beforeCommit` is a test hook. */
  async advance(batchSize: number, beforeCommit?: (range: { fromId: string; toId: string; count: number }) => Promise<void> | void): Promise<number> {
    if (!this.made) await this.sql.query(`INSERT INTO processor_cursors (name, last_id) VALUES (?, 0) ON CONFLICT (name) DO NOTHING`, [this.consumer.name]);
    return this.sql.transaction(async (tx) => {
      // Held by another process (skipped) is not gone: only a deleted row is made again, at the next call.
      const [cursor] = await tx.query<{ last_id: string | number | null; present: boolean }>(
        `SELECT (SELECT last_id FROM processor_cursors WHERE name = ? FOR UPDATE SKIP LOCKED) AS last_id, EXISTS (SELECT 1 FROM processor_cursors WHERE name = ?) AS present`,
        [this.consumer.name, this.consumer.name],
      );
      this.made = cursor.present;
      if (cursor.last_id === null) return 0;
      const fromId = String(cursor.last_id);
      const [range] = await tx.query<{ to_id: string | null; n: number }>(
        `SELECT max(id)::text AS to_id, count(*)::int AS n FROM (SELECT id FROM passport_entries WHERE id > ? ORDER BY id LIMIT ?) b`,
        [fromId, batchSize],
      );
      if (!range?.to_id || range.n === 0) return 0;
      const toId = range.to_id;
      await this.consumer.apply(tx, fromId, toId);
      await beforeCommit?.({ fromId, toId, count: range.n });
      await tx.query(`UPDATE processor_cursors SET last_id = ?, updated_at = now() WHERE name = ?`, [toId, this.consumer.name]);
      return range.n;
    });
  }

  /** Where the cursor stands and how far behind the log it is. */
  async lag(): Promise<CursorLag> {
    const [row] = await this.sql.query<{ last_id: string | null; head_id: string | null; behind: number; oldest: string | null; moved: string | null }>(
      `SELECT c.last_id::text AS last_id, (SELECT max(id) FROM passport_entries)::text AS head_id,
              (SELECT count(*)::int FROM (SELECT 1 FROM passport_entries WHERE id > COALESCE(c.last_id, 0) LIMIT ${LAG_COUNT_CAP + 1}) b) AS behind,
              (SELECT to_json(received_at)#>>'{}' FROM passport_entries WHERE id > COALESCE(c.last_id, 0) ORDER BY id LIMIT 1) AS oldest,
              to_json(c.updated_at)#>>'{}' AS moved
       FROM (SELECT ?::text AS name) n LEFT JOIN processor_cursors c ON c.name = n.name`,
      [this.consumer.name],
    );
    const behind = Number(row?.behind ?? 0);
    const iso = (v: string | null | undefined): string | null => (v ? new Date(v).toISOString() : null);
    return {
      lastId: row?.last_id ?? '0',
      headId: row?.head_id ?? '0',
      behind: Math.min(behind, LAG_COUNT_CAP),
      behindCapped: behind > LAG_COUNT_CAP,
      oldestPendingAt: iso(row?.oldest),
      movedAt: iso(row?.moved),
    };
  }
}
