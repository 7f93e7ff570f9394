import { z } from 'zod';
import type { JournalService } from '../../features/journal/Journal.js';
import { SHARE_ID_PATTERN, ShareError, type SharePreview, type Shares } from '../../features/journal/Shares.js';
import type { SharePreviewImages } from '../../features/journal/SharePreviewImages.js';
import { PREVIEW_HEIGHT, PREVIEW_WIDTH } from '../../systems/journal/sharePreview.js';
import { issuesOf, uuidSchema } from '../../systems/passport/index.js';
import { UnauthorizedError } from '../../features/auth/DeviceAuth.js';
import { ForbiddenError, withBearerChallenge, type Caller, type RequestAuth } from './authGates.js';
import { json, optionalBody, ValidationError, type Route } from './router.js';
import { publicOrigin } from './publicOrigin.js';
import { shellResponse, WEB_DIST, type ShellHead } from './webRoutes.js';
import { declareRoutes, mountRoutes } from './declare.js';
import { journalSchema } from '../../rooms/session/journalReplies.js';

/** `POST /api/constellations/share` body (seed 000 step 16; `direct_user` names its recipient, 16.4). */
export const shareBody = z.strictObject({
  shareType: z.enum(['public_link', 'social_media', 'direct_user']).default('public_link'),
  message: z.string().trim().max(280, 'at most 280 characters').nullable().default(null),
  /** The listener a `direct_user` share is for (their user id); ignored by the other types. */
  recipientId: uuidSchema.nullable().optional(),
});

/** The signed-in user behind the call; a service token has no constellation (403). */
function userOf(caller: Caller): string {
  if (caller.kind !== 'user')
    throw new ForbiddenError('a service token has no constellation; call with a user access token', [
      { field: 'authorization', message: 'is the admin token' },
    ]);
  return caller.userId;
}

/** The viewer of a public share: a user when a valid access token came along, anonymous otherwise. */
async function viewerOf(auth: RequestAuth, request: Request): Promise<string | null> {
  if (!request.headers.get('authorization')) return null;
  try {
    const caller = await auth.requireUser(request);
    return caller.kind === 'user' ? caller.userId : null;
  } catch (err) {
    if (err instanceof UnauthorizedError) return null; // a stale token still sees the public share
    throw err;
  }
}

/** Where the share's preview picture is served (absolute: link-preview crawlers need the host). */
export const previewImageUrl = (origin: string, shareId: string): string => `${origin}/api/shared/${shareId}/preview.png`;

/** The share page's head: Open Graph and Twitter card tags with the preview picture; 404/410 pages are not indexed. */
function shareHead(preview: SharePreview, request: Request, shareId: string): { head: ShellHead; status: number } {
  if (preview.status === 'ok') {
    const origin = publicOrigin(request);
    const url = `${origin}/shared/${shareId}`;
    const image = previewImageUrl(origin, shareId);
    const alt = `${preview.ownerName}'s constellation of ${preview.snapshot.stars.length} artists`;
    const tags = {
      'og:type': 'website',
      'og:site_name': 'DeepStream',
      'og:url': url,
      'og:title': preview.title,
      'og:description': preview.description,
      'og:image': image,
      'og:image:type': 'image/png',
      'og:image:width': String(PREVIEW_WIDTH),
      'og:image:height': String(PREVIEW_HEIGHT),
      'og:image:alt': alt,
      'twitter:card': 'summary_large_image',
      'twitter:title': preview.title,
      'twitter:description': preview.description,
      'twitter:image': image,
      'twitter:image:alt': alt,
    };
    return { head: { title: preview.title, meta: tags }, status: 200 };
  }
  const title = preview.status === 'gone' ? 'This shared constellation has expired · DeepStream' : 'No shared constellation here · DeepStream';
  return { head: { title, meta: { robots: 'noindex', 'og:title': title } }, status: preview.status === 'gone' ? 410 : 404 };
}

const named = <T extends z.ZodType>(schema: T, title: string): T => schema.meta({ title });

/** `POST /api/constellations/share` 201 (features/journal/Shares.ts `ShareCreated`). */
export const shareCreatedSchema = named(
  z.object({
    shareId: z.string(),
    shareUrl: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    previewImage: z.string(),
    socialMetadata: z.object({ ogTitle: z.string(), ogDescription: z.string(), ogImage: z.string() }),
  }),
  'ShareCreated',
);

/** `GET /api/shared/{id}` 200 (`SharedView`): the owner's constellation as the journal reads, and the viewer's comparison when signed in. */
export const sharedViewSchema = named(
  z.object({
    shareId: z.string(),
    owner: z.object({ displayName: z.string() }),
    message: z.string().nullable(),
    createdAt: z.string(),
    expiresAt: z.string(),
    views: z.number().int(),
    constellation: journalSchema,
    viewer: z.union([
      z
        .object({
          isLoggedIn: z.literal(true),
          overlapCount: z.number().int(),
          overlap: z.array(z.string()),
          uniqueToSharedCount: z.number().int(),
          uniqueToViewerCount: z.number().int(),
          similarityScore: z.number(),
          recommendations: z.array(z.object({ artistId: z.string(), artist: z.string(), reason: z.string() })),
        })
        .meta({ title: 'ShareComparison' }),
      z.object({ isLoggedIn: z.literal(false) }).meta({ title: 'AnonymousViewer' }),
    ]),
  }),
  'SharedConstellation',
);

interface JournalRouteDeps {
  journal: JournalService;
  shares: Shares;
  images: SharePreviewImages;
  auth: RequestAuth;
}

const MALFORMED_SHARE_ID = [{ field: 'id', message: 'must be the 22-character id from the share link' }];

/**
 * The constellation journal (seed 000 step 8) and shares (step 16): `GET /api/constellations/me` and
 * `POST /api/constellations/share` for the token's user, `GET /api/shared/:id` for anyone.
 */
export const JOURNAL_ROUTES = declareRoutes<JournalRouteDeps>()([
  {
    operationId: 'myConstellation',
    method: 'GET',
    path: '/api/constellations/me',
    tag: 'journal',
    summary: "The token user's constellation journal (seed 000 step 8).",
    auth: 'user',
    responses: { 200: { description: 'Stars, connections, layout, clusters, statistics and insights.', title: 'JournalMessage', schema: journalSchema } },
    errors: ['FORBIDDEN'],
    handler: async (ctx, { journal, auth }) =>
      json(await journal.of(userOf(await auth.requireUser(ctx.request))), 200, { 'cache-control': 'private, no-store' }),
  },
  {
    operationId: 'shareConstellation',
    method: 'POST',
    path: '/api/constellations/share',
    tag: 'journal',
    summary: "Share the token user's constellation as a link (seed 000 step 16); the body may be left out.",
    description:
      '`shareType: "direct_user"` with `recipientId` (their user id) also leaves a notification in the recipient\'s inbox (16.4), at most JOURNAL_DIRECT_SHARES_PER_HOUR an hour.',
    auth: 'user',
    request: { title: 'ShareRequest', schema: shareBody.meta({ title: 'ShareRequest' }), optional: true },
    responses: { 201: { description: 'The share: id, URL, expiry.', title: 'ShareCreated', schema: shareCreatedSchema } },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED'],
    handler: async (ctx, { shares, auth }) => {
      const userId = userOf(await auth.requireUser(ctx.request));
      const parsed = shareBody.safeParse(optionalBody(ctx));
      if (!parsed.success) throw new ValidationError('invalid share request; see details', issuesOf(parsed.error).slice(0, 20));
      return json(
        await shares.create(userId, { shareType: parsed.data.shareType, message: parsed.data.message || null, recipientId: parsed.data.recipientId ?? null }),
        201,
      );
    },
  },
  {
    operationId: 'sharePreviewImage',
    method: 'GET',
    path: '/api/shared/{id}/preview.png',
    tag: 'journal',
    summary: "The share's link-preview picture (seed 000 step 16): 1200×630 PNG, the share page's og:image and twitter:image; counts no view.",
    auth: 'none',
    responses: { 200: { description: 'The PNG bytes.', contentType: 'image/png' } },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'GONE'],
    handler: async (ctx, { shares, images }) => {
      const id = ctx.params.id ?? '';
      if (!SHARE_ID_PATTERN.test(id)) throw new ValidationError('the share id is malformed', MALFORMED_SHARE_ID);
      const preview = await shares.preview(id);
      if (preview.status === 'not_found') throw new ShareError('NOT_FOUND', 'no shared constellation has this id; check the link');
      if (preview.status === 'gone') throw new ShareError('GONE', `this shared constellation expired on ${preview.expiredAt}; ask its owner to share it again`);
      const png = await images.png(id, preview);
      return new Response(new Uint8Array(png), { status: 200, headers: { 'content-type': 'image/png', 'cache-control': 'public, max-age=3600' } });
    },
  },
  {
    operationId: 'viewShare',
    method: 'GET',
    path: '/api/shared/{id}',
    tag: 'journal',
    summary: 'A shared constellation (public; a valid access token adds the comparison with the viewer’s own).',
    auth: 'optional-user',
    responses: { 200: { description: 'The shared stars and, for a signed-in viewer, the overlap.', title: 'SharedConstellation', schema: sharedViewSchema } },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'GONE'],
    handler: async (ctx, { shares, auth }) => {
      const id = ctx.params.id ?? '';
      if (!SHARE_ID_PATTERN.test(id)) throw new ValidationError('the share id is malformed', MALFORMED_SHARE_ID);
      return json(await shares.view(id, await viewerOf(auth, ctx.request)), 200, { 'cache-control': 'no-store' });
    },
  },
]);

/** The share page: the same shell for every id (it reads /api/shared/:id), with its head rendered here; a page, not an operation (contract/http.ts EXCLUDED_ROUTES). */
function sharePage(shares: Shares): Route {
  return {
    method: 'GET',
    path: '/shared/:id',
    handler: async (ctx) => {
      const id = ctx.params.id ?? '';
      const preview: SharePreview = SHARE_ID_PATTERN.test(id) ? await shares.preview(id) : { status: 'not_found' };
      const { head, status } = shareHead(preview, ctx.request, id);
      return shellResponse(WEB_DIST, 'share', head, status);
    },
  };
}

/** The journal routes, served (the user-scoped ones with the Bearer challenge), and the share page. */
export function journalRoutes(journal: JournalService, shares: Shares, images: SharePreviewImages, auth: RequestAuth): Route[] {
  const routes = mountRoutes(JOURNAL_ROUTES, { journal, shares, images, auth }, (r) =>
    r.path.startsWith('/api/constellations/') ? withBearerChallenge(r) : r,
  );
  return [...routes, sharePage(shares)];
}
