/**
 * Session snapshots on the backplane's blobs, so any process restores a session its holder wrote. A lone process
 * also keeps what it writes while draining in Postgres: its memory dies with it, and it finds them when started again.
 */
import { pack, unpack } from 'msgpackr';
import type { BackplaneBlobs } from '../backplane/Backplane.js';
import { affectedRows, type Sql } from '../db.js';

export interface SnapshotWrite {
  /** Also keep it where a restart of this process finds it (a lone process draining). */
  durable?: boolean;
}

export interface SnapshotStoreStats {
  writes: number;
  bytesWritten: number;
  reads: number;
  hits: number;
}

export class SnapshotStore {
  private readonly counts: SnapshotStoreStats = { writes: 0, bytesWritten: 0, reads: 0, hits: 0 };

  constructor(
    private readonly blobs: BackplaneBlobs,
    private readonly ttlMs: number,
    /** Postgres for a lone process's drained snapshots; absent when the fast tier is shared (Redis). */
    private readonly rows?: Sql,
  ) {}

  /** Resolves to the encoded size: what a write costs (BENCHMARKS.md "Session handoff"). */
  async save(sessionId: string, snapshot: object, nowMs: number, options: SnapshotWrite = {}): Promise<number> {
    const body = pack(snapshot);
    this.counts.writes++;
    this.counts.bytesWritten += body.length;
    await this.blobs.set(sessionId, body, nowMs, this.ttlMs);
    if (options.durable && this.rows) {
      await this.rows.query(
        `INSERT INTO session_snapshots (session_id, body, expires_at) VALUES (?::uuid, ?, ?)
         ON CONFLICT (session_id) DO UPDATE SET body = excluded.body, expires_at = excluded.expires_at`,
        [sessionId, body, new Date(nowMs + this.ttlMs)],
      );
    }
    return body.length;
  }

  /** The stored value, unchecked, or undefined. A durable snapshot is read once: a later restart must not find the old one. */
  async load(sessionId: string, nowMs: number): Promise<unknown> {
    this.counts.reads++;
    let body = await this.blobs.get(sessionId, nowMs);
    if (!body && this.rows) {
      const [row] = await this.rows.query<{ body: Buffer }>(`DELETE FROM session_snapshots WHERE session_id = ?::uuid AND expires_at > ? RETURNING body`, [
        sessionId,
        new Date(nowMs),
      ]);
      body = row?.body;
    }
    if (!body) return undefined;
    this.counts.hits++;
    try {
      return unpack(body);
    } catch {
      return undefined; // damaged: the session restores from its row
    }
  }

  /** The session ended for good: nothing should restore it any more (a durable copy is only written while draining, and read once). */
  async delete(sessionId: string): Promise<void> {
    await this.blobs.delete(sessionId);
  }

  /** Forgets the durable snapshots past their TTL (a lone process at boot); returns how many. */
  async purgeExpired(nowMs: number): Promise<number> {
    if (!this.rows) return 0;
    return affectedRows(this.rows, `DELETE FROM session_snapshots WHERE expires_at <= ?`, [new Date(nowMs)]);
  }

  stats(): Readonly<SnapshotStoreStats> {
    return this.counts;
  }
}
