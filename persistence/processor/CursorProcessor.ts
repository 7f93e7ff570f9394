/**
 * Reads passport_entries in id order after a stored cursor and applies a consumer's effect exactly
 * once: the effect and the cursor move commit in the SAME transaction, and the cursor row is locked
 * (`FOR UPDATE SKIP LOCKED`) so two processors never apply the same batch. A crash anywhere before
 * COMMIT rolls both back; the batch is simply read again.
 *
 * Ids are safe to follow because every passport insert takes one advisory lock (see
 * persistence/passport/sinks.ts), so ids become visible in order.
 */
import type { Logger } from 'pino';
import type { Sql } from '../db.js';

/** The effect a processor applies to one id range `(fromId, toId]` inside the processor's transaction. */
export interface CursorConsumer {
  /** Cursor name (processor_cursors.name); one per consumer. */
  readonly name: string;
  apply(tx: Sql, fromId: string, toId: string): Promise<void>;
}

export interface CursorProcessorOptions {
  /** Most passport rows per transaction. Default 5,000. */
  batchSize?: number;
  /** Test hook: runs after the effect, before the cursor moves and the transaction commits. */
  beforeCommit?: (range: { fromId: string; toId: string; count: number }) => Promise<void> | void;
}

export class CursorProcessor {
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = true;
  /** Set by stop(): a catch-up in progress finishes its batch and goes no further (shutdown must not wait for a backlog). */
  private halted = false;

  constructor(
    private readonly sql: Sql,
    private readonly consumer: CursorConsumer,
    private readonly log: Logger,
    private readonly options: CursorProcessorOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 5000;
  }

  /**
   * Processes at most one batch. Returns how many passport rows it consumed (0 when caught up, or
   * when another processor holds the cursor right now).
   */
  async runOnce(): Promise<number> {
    await this.sql.query(`INSERT INTO processor_cursors (name, last_id) VALUES (?, 0) ON CONFLICT (name) DO NOTHING`, [this.consumer.name]);
    return this.sql.transaction(async (tx) => {
      const [cursor] = await tx.query<{ last_id: string | number }>(`SELECT last_id FROM processor_cursors WHERE name = ? FOR UPDATE SKIP LOCKED`, [this.consumer.name]);
      if (!cursor) return 0;
      const fromId = String(cursor.last_id);
      const [range] = await tx.query<{ to_id: string | null; n: number }>(
        `SELECT max(id)::text AS to_id, count(*)::int AS n FROM (SELECT id FROM passport_entries WHERE id > ? ORDER BY id LIMIT ?) b`,
        [fromId, this.batchSize],
      );
      if (!range?.to_id || range.n === 0) return 0;
      const toId = range.to_id;
      await this.consumer.apply(tx, fromId, toId);
      await this.options.beforeCommit?.({ fromId, toId, count: range.n });
      await tx.query(`UPDATE processor_cursors SET last_id = ?, updated_at = now() WHERE name = ?`, [toId, this.consumer.name]);
      return range.n;
    });
  }

  /** Runs batches back to back until caught up; returns the total processed. */
  async catchUp(maxBatches = Number.POSITIVE_INFINITY): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches && !this.halted; i++) {
      const n = await this.runOnce();
      total += n;
      if (n < this.batchSize) break;
    }
    return total;
  }

  /** Polls every `intervalMs` (catching up fully each time); errors are logged and retried next tick. */
  start(intervalMs = 1000): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.halted = false;
    const tick = async () => {
      this.running = this.catchUp().catch((err) => {
        this.log.error({ err, processor: this.consumer.name }, 'passport processor batch failed; it will be retried');
        return 0;
      });
      await this.running;
      this.running = null;
      if (!this.stopped) this.timer = setTimeout(() => void tick(), intervalMs);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  /** Stops polling and waits for the batch in progress (only that one: the backlog waits for the next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Where the cursor stands and how far behind the log it is. */
  async lag(): Promise<{ lastId: string; headId: string; behind: number }> {
    const [row] = await this.sql.query<{ last_id: string | null; head_id: string | null; behind: number }>(
      `SELECT c.last_id::text AS last_id, (SELECT max(id) FROM passport_entries)::text AS head_id,
              (SELECT count(*)::int FROM passport_entries WHERE id > COALESCE(c.last_id, 0)) AS behind
       FROM (SELECT ?::text AS name) n LEFT JOIN processor_cursors c ON c.name = n.name`,
      [this.consumer.name],
    );
    return { lastId: row?.last_id ?? '0', headId: row?.head_id ?? '0', behind: Number(row?.behind ?? 0) };
  }
}
