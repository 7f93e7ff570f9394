/** The artist image review queue in /ops: the queue, each cut-out's previews, approve (goes live) or reject (never served). */
import { z } from 'zod';
import type { AssetReviews } from '../../features/assets/AssetReviews.js';
import { assetReviewSchema } from '../../systems/assets/cutout.js';
import type { AdminGate } from './authGates.js';
import { routeOf } from './route.js';

/** Rows the queue lists at most: the pending ones first, then the latest decided. */
export const REVIEW_LIST_LIMIT = 50;

const reviewsSchema = z.object({ reviews: z.array(assetReviewSchema) }).meta({ title: 'AssetReviews' });
const decisionBody = z.strictObject({ note: z.string().trim().max(500).optional() }).meta({ title: 'AssetReviewDecision' });

const route = routeOf<{ reviews: AssetReviews; admin: AdminGate }>('ops', 'admin');

const decide = (action: 'approve' | 'reject') =>
  route(`POST /api/ops/assets/reviews/{id}/${action}`, {
    operationId: action === 'approve' ? 'opsApproveAssetReview' : 'opsRejectAssetReview',
    summary:
      action === 'approve'
        ? "Approve a pending cut-out: it replaces the artist's live images, the station caches are dropped and the completion webhook is queued."
        : 'Reject a pending cut-out: its images are dropped and never served; the previews stay as the record.',
    body: decisionBody,
    bodyOptional: true,
    responses: { 200: { description: 'The queue after the decision.', schema: reviewsSchema } },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: async ({ params: { id }, body }, { reviews }) => {
      await reviews.decide(id, action === 'approve' ? 'approved' : 'rejected', body.note || null);
      return { reviews: await reviews.list(REVIEW_LIST_LIMIT) };
    },
  });

export const ASSET_REVIEW_ROUTES = [
  route('GET /api/ops/assets/reviews', {
    operationId: 'opsAssetReviews',
    summary: `The artist image review queue: pending cut-outs (oldest first), then the latest decided, ${REVIEW_LIST_LIMIT} at most.`,
    responses: { 200: { description: '`{ reviews }`.', schema: reviewsSchema } },
    handler: async (_ctx, { reviews }) => ({ reviews: await reviews.list(REVIEW_LIST_LIMIT) }),
  }),
  route('GET /api/ops/assets/reviews/{id}/{side}', {
    operationId: 'opsAssetReviewPreview',
    summary: "A review's preview, 512 px PNG: `before` (the upload) or `after` (the cut-out, transparent background).",
    params: z.object({ id: z.string(), side: z.enum(['before', 'after']) }),
    responses: { 200: { description: 'The PNG bytes.', contentType: 'image/png' } },
    errors: ['NOT_FOUND'],
    handler: async ({ params }, { reviews }) => new Uint8Array(await reviews.preview(params.id, params.side)),
  }),
  decide('approve'),
  decide('reject'),
];
