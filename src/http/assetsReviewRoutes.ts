/**
 * The artist image review queue in /ops (seed 000 step 10.2 Option B), admin token like the rest of
 * /api/ops: the queue, each cut-out's before/after previews, and the decision (approve puts it live and
 * sends the completion webhook; reject drops it, so it is never served).
 */
import { z } from 'zod';
import type { AssetReviews } from '../../features/assets/AssetReviews.js';
import { issuesOf } from '../../systems/passport/index.js';
import { adminOnly, NO_STORE } from './authGates.js';
import { json, optionalBody, ValidationError, type Route } from './router.js';
import { declareRoutes, mountRoutes, type RouteDeclaration } from './declare.js';

/** Rows the queue lists at most: the pending ones first, then the latest decided. */
export const REVIEW_LIST_LIMIT = 50;

export const assetReviewSchema = z
  .object({
    id: z.string(),
    artistId: z.string(),
    artistName: z.string().nullable(),
    status: z.enum(['pending', 'approved', 'rejected']),
    confidence: z.number(),
    reason: z.string(),
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
    note: z.string().nullable(),
  })
  .meta({ title: 'AssetReview' });

const decisionBody = z.object({ note: z.string().trim().max(500).optional() }).strict();

interface ReviewRouteDeps {
  reviews: AssetReviews;
  admin: ReturnType<typeof adminOnly>;
}

const decide = (action: 'approve' | 'reject'): RouteDeclaration<ReviewRouteDeps> => ({
  operationId: action === 'approve' ? 'opsApproveAssetReview' : 'opsRejectAssetReview',
  method: 'POST',
  path: `/api/ops/assets/reviews/{id}/${action}`,
  tag: 'ops',
  summary:
    action === 'approve'
      ? "Approve a pending cut-out: it replaces the artist's live images, the station caches are dropped and the completion webhook is queued."
      : 'Reject a pending cut-out: its images are dropped and never served; the previews stay as the record.',
  auth: 'admin',
  request: { title: 'AssetReviewDecision', schema: decisionBody.meta({ title: 'AssetReviewDecision' }), optional: true },
  responses: { 200: { description: 'The queue after the decision.', title: 'AssetReviews', schema: z.object({ reviews: z.array(assetReviewSchema) }) } },
  errors: ['NOT_FOUND', 'CONFLICT'],
  handler: (ctx, deps) =>
    deps.admin(async ({ params }) => {
      const parsed = decisionBody.safeParse(optionalBody(ctx) ?? {});
      if (!parsed.success) throw new ValidationError('invalid decision; see details', issuesOf(parsed.error).slice(0, 5));
      const note = parsed.data.note || null;
      if (action === 'approve') await deps.reviews.approve(params.id ?? '', note);
      else await deps.reviews.reject(params.id ?? '', note);
      return json({ reviews: await deps.reviews.list(REVIEW_LIST_LIMIT) }, 200, NO_STORE);
    })(ctx),
});

export const ASSET_REVIEW_ROUTES = declareRoutes<ReviewRouteDeps>()([
  {
    operationId: 'opsAssetReviews',
    method: 'GET',
    path: '/api/ops/assets/reviews',
    tag: 'ops',
    summary: `The artist image review queue: pending cut-outs (oldest first), then the latest decided, ${REVIEW_LIST_LIMIT} at most.`,
    auth: 'admin',
    responses: {
      200: { description: '`{ reviews }`.', title: 'AssetReviews', schema: z.object({ reviews: z.array(assetReviewSchema) }).meta({ title: 'AssetReviews' }) },
    },
    handler: (ctx, deps) => deps.admin(async () => json({ reviews: await deps.reviews.list(REVIEW_LIST_LIMIT) }, 200, NO_STORE))(ctx),
  },
  {
    operationId: 'opsAssetReviewPreview',
    method: 'GET',
    path: '/api/ops/assets/reviews/{id}/{side}',
    tag: 'ops',
    summary: "A review's preview, 512 px PNG: `before` (the upload) or `after` (the cut-out, transparent background).",
    auth: 'admin',
    responses: { 200: { description: 'The PNG bytes.', contentType: 'image/png' } },
    errors: ['NOT_FOUND'],
    handler: (ctx, deps) =>
      deps.admin(async ({ params }) => {
        const side = params.side === 'before' || params.side === 'after' ? params.side : null;
        if (!side) throw new ValidationError('the preview is "before" or "after"', [{ field: 'side', message: 'must be before or after' }]);
        const png = await deps.reviews.preview(params.id ?? '', side);
        return new Response(new Uint8Array(png), { status: 200, headers: { 'content-type': 'image/png', ...NO_STORE } });
      })(ctx),
  },
  decide('approve'),
  decide('reject'),
]);

/** The review routes, served. */
export function assetsReviewRoutes(reviews: AssetReviews, adminToken: string | undefined): Route[] {
  return mountRoutes(ASSET_REVIEW_ROUTES, { reviews, admin: adminOnly(adminToken) });
}
