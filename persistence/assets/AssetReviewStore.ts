/**
 * Manual review queue: a cut-out the model is unsure of waits here instead of going live. Approving moves it
 * live as an upload that needed no review would; rejecting drops its variants. The row is locked and must still
 * be pending, so a decision is taken once.
 */
import type { Orm } from '../orm.js';
import type { AssetReview as ReviewRow } from '../../systems/assets/cutout.js';
import { unitOfWork } from '../db.js';
import { Artist } from '../entities/catalog.js';
import { AssetReview, AssetReviewImage } from '../entities/assets.js';
import { writeLive, type AssetRecord, type StoredVariant } from './ArtistAssetStore.js';
import { enqueueWebhook, type WebhookEvent } from './AssetWebhookStore.js';

export interface QueuedReview {
  record: AssetRecord;
  variants: StoredVariant[];
  confidence: number;
  reason: string;
  before: Buffer;
  after: Buffer;
  /** Seconds the processing took (reported by the webhook once approved). */
  processingSeconds: number;
  artistName: string;
  /** The user told of the decision. */
  notify: string | null;
}

export type Decision =
  | { outcome: 'decided'; record: AssetRecord; processingSeconds: number; artistName: string; notify: string | null }
  | { outcome: 'missing' }
  | { outcome: 'decided_already'; status: string };

export class AssetReviewStore {
  constructor(private readonly orm: Orm) {}

  async queue(review: QueuedReview, at: Date): Promise<string> {
    return unitOfWork(this.orm, async (em) => {
      const [row] = await em
        .insert(AssetReview, {
          artistId: review.record.artistId,
          status: 'pending',
          confidence: review.confidence,
          reason: review.reason,
          record: { ...review.record, processingSeconds: review.processingSeconds, artistName: review.artistName, notify: review.notify } as never,
          beforePng: review.before,
          afterPng: review.after,
          createdAt: at,
          decidedAt: null,
          note: null,
        } as never)
        .then((id) => [String(id)]);
      for (const v of review.variants) await em.insert(AssetReviewImage, { reviewId: row, ...v } as never);
      return row;
    });
  }

  /** Pending reviews (oldest first), then the latest decided, at most `limit` in all. */
  async list(limit: number): Promise<ReviewRow[]> {
    const em = this.orm.em.fork();
    const pending = await em.find(AssetReview, { status: 'pending' }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit });
    const decided = await em.find(
      AssetReview,
      { status: { $ne: 'pending' } },
      { orderBy: { decidedAt: 'desc', id: 'desc' }, limit: Math.max(0, limit - pending.length) },
    );
    const rows = [...pending, ...decided];
    const names = new Map((await em.find(Artist, { id: { $in: [...new Set(rows.map((r) => r.artistId))] } })).map((a) => [a.id, a.name]));
    return rows.map((r) => ({
      id: String(r.id),
      artistId: r.artistId,
      artistName: names.get(r.artistId) ?? null,
      status: r.status as ReviewRow['status'],
      confidence: r.confidence,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      note: r.note ?? null,
    }));
  }

  /** The original (`before`) or the cut-out (`after`) preview, or null. */
  async preview(id: string, side: 'before' | 'after'): Promise<Buffer | null> {
    const rows: Array<{ png: Buffer }> = await this.orm.em
      .fork()
      .execute(`SELECT ${side === 'before' ? 'before_png' : 'after_png'} AS png FROM asset_reviews WHERE id = ?`, [id]);
    return rows[0] ? Buffer.from(rows[0].png) : null;
  }

  /** Approved, a pending review's variants go live and `webhook(record)`'s event is queued, in one transaction; rejected, they are dropped. */
  async decide(
    id: string,
    at: Date,
    note: string | null,
    status: 'approved' | 'rejected',
    webhook: (record: AssetRecord, processingSeconds: number, artistName: string) => WebhookEvent | null,
  ): Promise<Decision> {
    return unitOfWork(this.orm, async (em) => {
      const rows: Array<{ status: string; record: AssetRecord & { processingSeconds?: number; artistName?: string; notify?: string | null } }> =
        await em.execute(`SELECT status, record FROM asset_reviews WHERE id = ? FOR UPDATE`, [id]);
      const row = rows[0];
      if (!row) return { outcome: 'missing' } as const;
      if (row.status !== 'pending') return { outcome: 'decided_already', status: row.status } as const;
      const { processingSeconds = 0, artistName = row.record.artistId, notify = null, ...record } = row.record;
      if (status === 'approved') {
        const variants: StoredVariant[] = await em.execute(
          `SELECT variant, content_type AS "contentType", width, height, bytes FROM asset_review_images WHERE review_id = ?`,
          [id],
        );
        await writeLive(em, record, variants, at);
        const event = webhook(record, processingSeconds, artistName);
        if (event) await enqueueWebhook(em, event, at);
      }
      await em.nativeDelete(AssetReviewImage, { reviewId: id } as never);
      await em.nativeUpdate(AssetReview, { id } as never, { status, decidedAt: at, note });
      return { outcome: 'decided', record, processingSeconds, artistName, notify } as const;
    });
  }
}
