/**
 * The operator's side of the review queue. Approving puts the cut-out live as an upload that needed no review would;
 * rejecting drops it, never served. Each decision is one audit log line.
 */
import type { AssetReviewStore, Decision, ReviewRow } from '../../persistence/assets/AssetReviewStore.js';
import { AppError } from '../../systems/errors.js';
import { assetReviewNotice, type Notice } from '../../systems/notifications/index.js';
import { readyEvent, type WebhookSigning } from './processArtistImage.js';

export class ReviewNotFoundError extends AppError<'NOT_FOUND'> {
  constructor(id: string) {
    super('NOT_FOUND', `no asset review "${id.slice(0, 40)}"; GET /api/ops/assets/reviews lists them`);
  }
}

export class ReviewDecidedError extends AppError<'CONFLICT'> {
  constructor(status: string) {
    super('CONFLICT', `this review was ${status} already; a decision is taken once (upload the image again to review it anew)`);
  }
}

export interface AssetReviewsOptions {
  reviews: AssetReviewStore;
  webhook: WebhookSigning;
  invalidateStations(): Promise<void>;
  audit: { info(obj: object, msg: string): void };
  /** Tells the uploader the upload named (never throws). */
  inform(userId: string, artistId: string, notice: Notice): Promise<void>;
  now?: () => number;
}

const REVIEW_ID = /^[1-9][0-9]{0,17}$/;

export class AssetReviews {
  constructor(private readonly options: AssetReviewsOptions) {}

  list(limit: number): Promise<ReviewRow[]> {
    return this.options.reviews.list(limit);
  }

  async preview(id: string, side: 'before' | 'after'): Promise<Buffer> {
    const png = REVIEW_ID.test(id) ? await this.options.reviews.preview(id, side) : null;
    if (!png) throw new ReviewNotFoundError(id);
    return png;
  }

  async approve(id: string, note: string | null): Promise<void> {
    if (!REVIEW_ID.test(id)) throw new ReviewNotFoundError(id);
    const { reviews, webhook } = this.options;
    const decision = await reviews.approve(id, this.at(), note, (record, seconds, name) => (webhook.enabled ? readyEvent(record, name, seconds) : null));
    this.check(id, decision);
    await this.options.invalidateStations();
    if (webhook.enabled) webhook.kick();
    this.options.audit.info({ audit: true, action: 'approve_asset', reviewId: id, note }, 'operator approved an artist image');
    await this.tell(decision, 'approved', note);
  }

  async reject(id: string, note: string | null): Promise<void> {
    if (!REVIEW_ID.test(id)) throw new ReviewNotFoundError(id);
    const decision = await this.options.reviews.reject(id, this.at(), note);
    this.check(id, decision);
    this.options.audit.info({ audit: true, action: 'reject_asset', reviewId: id, note }, 'operator rejected an artist image');
    await this.tell(decision, 'rejected', note);
  }

  private async tell(d: Decision, outcome: 'approved' | 'rejected', note: string | null): Promise<void> {
    if (d.outcome === 'decided' && d.notify)
      await this.options.inform(d.notify, d.record.artistId, assetReviewNotice(d.artistName, d.record.artistId, outcome, note));
  }

  private at(): Date {
    return new Date((this.options.now ?? Date.now)());
  }

  private check(id: string, decision: Decision): asserts decision is Extract<Decision, { outcome: 'decided' }> {
    if (decision.outcome === 'missing') throw new ReviewNotFoundError(id);
    if (decision.outcome === 'decided_already') throw new ReviewDecidedError(decision.status);
  }
}
