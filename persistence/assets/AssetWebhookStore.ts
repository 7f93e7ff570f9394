/**
 * The completion webhook's outbox: queued in the transaction that makes the assets live, claimed with SKIP LOCKED
 * (any process delivers, none twice at once). Past `queueMax` waiting rows the oldest are dropped.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from '../orm.js';
import { AssetWebhook } from '../entities/assets.js';

export interface WebhookEvent {
  event: string;
  artistId: string;
  /** The exact bytes sent (and signed). */
  body: string;
}

export interface ClaimedWebhook extends WebhookEvent {
  id: string;
  attempts: number;
}

export async function enqueueWebhook(em: EntityManager, webhook: WebhookEvent, at: Date): Promise<void> {
  await em.insert(AssetWebhook, { ...webhook, status: 'pending', attempts: 0, nextAttemptAt: at, lastError: null, createdAt: at, deliveredAt: null });
}

export class AssetWebhookStore {
  constructor(private readonly orm: Orm) {}

  /** Marks the oldest waiting rows past `queueMax` dropped; returns how many. */
  async trim(queueMax: number): Promise<number> {
    const rows: Array<{ n: string }> = await this.orm.em.fork().execute(
      `WITH over AS (SELECT id FROM asset_webhooks WHERE status = 'pending' ORDER BY created_at DESC, id DESC OFFSET ?)
       , dropped AS (UPDATE asset_webhooks w SET status = 'dropped', last_error = 'dropped: more than ASSET_WEBHOOK_QUEUE_MAX waiting' FROM over WHERE w.id = over.id RETURNING 1)
       SELECT count(*)::text AS n FROM dropped`,
      [queueMax],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Claims due deliveries by moving their next try `leaseMs` ahead; a process that dies mid-delivery leaves them to retry. */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<ClaimedWebhook[]> {
    const rows: Array<{ id: string; event: string; artist_id: string; body: string; attempts: number }> = await this.orm.em.fork().execute(
      `UPDATE asset_webhooks w SET next_attempt_at = ?::timestamptz + make_interval(secs => ?)
        FROM (SELECT id FROM asset_webhooks WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED) due
       WHERE w.id = due.id
       RETURNING w.id::text AS id, w.event, w.artist_id, w.body, w.attempts`,
      [now, leaseMs / 1000, now, limit],
    );
    return rows.map((r) => ({ id: r.id, event: r.event, artistId: r.artist_id, body: r.body, attempts: r.attempts }));
  }

  async delivered(id: string, attempts: number, at: Date): Promise<void> {
    await this.orm.em.fork().nativeUpdate(AssetWebhook, { id }, { status: 'delivered', attempts, deliveredAt: at, lastError: null });
  }

  /** A failed try: retried at `retryAt`, or failed for good when null. */
  async failed(id: string, attempts: number, error: string, retryAt: Date | null): Promise<void> {
    await this.orm.em
      .fork()
      .nativeUpdate(AssetWebhook, { id }, retryAt ? { attempts, lastError: error, nextAttemptAt: retryAt } : { attempts, lastError: error, status: 'failed' });
  }

  /** Rows per status (for /ops and tests). */
  async counts(): Promise<Record<string, number>> {
    const rows: Array<{ status: string; n: string }> = await this.orm.em
      .fork()
      .execute(`SELECT status, count(*)::text AS n FROM asset_webhooks GROUP BY status`);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
