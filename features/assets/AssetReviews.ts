/**
 * The operator's side of the review queue. Approving puts the cut-out live as an upload that needed no review would;
 * rejecting drops it, never served. Each decision is one audit log line.
 */
import type { AssetReviewStore } from '../../persistence/assets/AssetReviewStore.js';
import type { AssetReview } from '../../systems/assets/cutout.js';
import { AppError } from '../../systems/errors.js';
import { assetReviewNotice, type Notice } from '../../systems/notifications/index.js';
import { readyEvent, type WebhookSigning } from './processArtistImage.js';

export class ReviewNotFoundError extends AppError<'NOT_FOUND'> {
  constructor(id: string) {
    super('NOT_FOUND', `no asset review "${id.slice(0, 40)}"; GET /api/ops/assets/reviews lists them`);
  }
}

export interface AssetReviewsOptions {
  reviews: AssetReviewStore;
  webhook: WebhookSigning;
  invalidateStations(): Promise<void>;
  audit: { info(obj: object, msg: string): void };
  /** Tells the uploader the upload named (never throws). */
  inform(userId: string, artistId: string, notice: Notice): Promise<void>;
}

const REVIEW_ID = /^[1-9][0-9]{0,17}$/;

export class AssetReviews {
  constructor(private readonly options: AssetReviewsOptions) {}

  list(limit: number): Promise<AssetReview[]> {
    return this.options.reviews.list(limit);
  }

  async preview(id: string, side: 'before' | 'after'): Promise<Buffer> {
    const png = REVIEW_ID.test(id) ? await this.options.reviews.preview(id, side) : null;
    if (!png) throw new ReviewNotFoundError(id);
    return png;
  }

  /** Approving puts the cut-out live, drops the station caches and queues the webhook; either way the uploader is told. */
  async decide(id: string, status: 'approved' | 'rejected', note: string | null): Promise<void> {
    if (!REVIEW_ID.test(id)) throw new ReviewNotFoundError(id);
    const { reviews, webhook } = this.options;
    const event = webhook.enabled && status === 'approved' ? readyEvent : () => null;
    const d = await reviews.decide(id, new Date(), note, status, (record, seconds, name) => event(record, name, seconds));
    if (d.outcome === 'missing') throw new ReviewNotFoundError(id);
    if (d.outcome === 'decided_already')
      throw new AppError('CONFLICT', `this review was ${d.status} already; a decision is taken once (upload the image again to review it anew)`);
    if (status === 'approved') await this.options.invalidateStations();
    if (status === 'approved' && webhook.enabled) webhook.kick();
    const action = status === 'approved' ? 'approve_asset' : 'reject_asset';
    this.options.audit.info({ audit: true, action, reviewId: id, note }, `operator ${status} an artist image`);
    const artistId = d.record.artistId;
    if (d.notify) await this.options.inform(d.notify, artistId, assetReviewNotice(d.artistName, artistId, status, note));
  }
}
