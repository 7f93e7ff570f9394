/**
 * `push_outbox`: workers on every process claim due rows (SKIP LOCKED, with a lease so a crashed worker's rows come
 * back); a row is deleted once sent, rescheduled after a failure, or kept as `failed` until pruned.
 */
import { affectedRows, type Sql } from '../db.js';
import type { PushKind } from '../../systems/notifications/index.js';
import type { PushDevice } from '../entities/notifications.js';
import type { Stored } from '../entities/index.js';

/** A claimed push: its row, the registration it goes to, and the text. */
export type ClaimedPush = Pick<Stored<PushDevice>, 'address' | 'p256dh' | 'auth'> & {
  id: string;
  attempts: number;
  deviceId: string;
  kind: PushKind;
  notificationId: string | null;
  type: string;
  title: string;
  body: string | null;
  deepLink: string | null;
};

export class PushOutbox {
  constructor(private readonly sql: Sql) {}

  /** Oldest due first, the try counted; a worker that dies leaves its rows to come back when the lease ends. */
  async claim(limit: number, leaseMs: number): Promise<ClaimedPush[]> {
    return this.sql.query<ClaimedPush>(
      `UPDATE push_outbox o SET leased_until = now() + make_interval(secs => ?::float8 / 1000), attempts = o.attempts + 1
       FROM (SELECT id FROM push_outbox WHERE status = 'pending' AND due_at <= now() AND (leased_until IS NULL OR leased_until <= now())
             ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED) due, push_devices d
       WHERE o.id = due.id AND d.id = o.device_id
       RETURNING o.id::text AS id, o.attempts, d.id::text AS "deviceId", d.kind, d.address, d.p256dh, d.auth,
                 o.notification_id::text AS "notificationId", o.type, o.title, o.body, o.deep_link AS "deepLink"`,
      [leaseMs, limit],
    );
  }

  /** Sent: the row goes. */
  async sent(id: string): Promise<void> {
    await this.sql.query(`DELETE FROM push_outbox WHERE id = ?::bigint`, [id]);
  }

  /** Tried and failed for now: due again after `delayMs`, its lease released. */
  async retryLater(id: string, delayMs: number, error: string): Promise<void> {
    await this.sql.query(
      `UPDATE push_outbox SET due_at = now() + make_interval(secs => ?::float8 / 1000), leased_until = NULL, last_error = ? WHERE id = ?::bigint`,
      [delayMs, error.slice(0, 500), id],
    );
  }

  /** Will not be sent: kept as failed for the retention, then pruned. */
  async failed(id: string, error: string): Promise<void> {
    await this.sql.query(`UPDATE push_outbox SET status = 'failed', leased_until = NULL, last_error = ? WHERE id = ?::bigint`, [error.slice(0, 500), id]);
  }

  /** Deletes failed rows older than `retentionMs`; returns how many. */
  async prune(retentionMs: number): Promise<number> {
    return affectedRows(this.sql, `DELETE FROM push_outbox WHERE status = 'failed' AND created_at < now() - make_interval(secs => ?::float8 / 1000)`, [
      retentionMs,
    ]);
  }

  /** Rows by status (for metrics and tests). */
  async counts(): Promise<{ pending: number; failed: number }> {
    const [row] = await this.sql.query<{ pending: number; failed: number }>(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM push_outbox`,
    );
    return { pending: Number(row?.pending ?? 0), failed: Number(row?.failed ?? 0) };
  }
}
