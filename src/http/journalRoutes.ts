import { z } from 'zod';
import type { JournalService } from '../../features/journal/Journal.js';
import { SHARE_ID_PATTERN, ShareError, type SharePreview, type Shares } from '../../features/journal/Shares.js';
import type { SharePreviewImages } from '../../features/journal/SharePreviewImages.js';
import { PREVIEW_HEIGHT, PREVIEW_WIDTH } from '../../systems/journal/sharePreview.js';
import { issuesOf, uuidSchema } from '../../systems/passport/index.js';
import { UnauthorizedError } from '../../features/auth/DeviceAuth.js';
import { ForbiddenError, withBearerChallenge, type Caller, type RequestAuth } from './requireUser.js';
import { json, optionalBody, ValidationError, type Route } from './router.js';
import { publicOrigin } from './publicOrigin.js';
import { shellResponse, WEB_DIST, type ShellHead } from './webRoutes.js';

/** `POST /api/constellations/share` body (seed 000 step 16; `direct_user` names its recipient, 16.4). Exported for the contract. */
export const shareBody = z.strictObject({
  shareType: z.enum(['public_link', 'social_media', 'direct_user']).default('public_link'),
  message: z.string().trim().max(280, 'at most 280 characters').nullable().default(null),
  /** The listener a `direct_user` share is for (their user id); ignored by the other types. */
  recipientId: uuidSchema.nullable().optional(),
});

/** The signed-in user behind the call; a service token has no constellation (403). */
function userOf(caller: Caller): string {
  if (caller.kind !== 'user') throw new ForbiddenError('a service token has no constellation; call with a user access token', [{ field: 'authorization', message: 'is the admin token' }]);
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
      'og:type': 'website', 'og:site_name': 'DeepStream', 'og:url': url, 'og:title': preview.title, 'og:description': preview.description,
      'og:image': image, 'og:image:type': 'image/png', 'og:image:width': String(PREVIEW_WIDTH), 'og:image:height': String(PREVIEW_HEIGHT), 'og:image:alt': alt,
      'twitter:card': 'summary_large_image', 'twitter:title': preview.title, 'twitter:description': preview.description, 'twitter:image': image, 'twitter:image:alt': alt,
    };
    return { head: { title: preview.title, meta: tags }, status: 200 };
  }
  const title = preview.status === 'gone' ? 'This shared constellation has expired · DeepStream' : 'No shared constellation here · DeepStream';
  return { head: { title, meta: { robots: 'noindex', 'og:title': title } }, status: preview.status === 'gone' ? 410 : 404 };
}

/**
 * The constellation journal (seed 000 step 8) and shares (step 16): `GET /api/constellations/me` and
 * `POST /api/constellations/share` for the token's user, `GET /api/shared/:id` for anyone.
 */
export function journalRoutes(journal: JournalService, shares: Shares, images: SharePreviewImages, auth: RequestAuth): Route[] {
  return [
    withBearerChallenge({
      method: 'GET',
      path: '/api/constellations/me',
      handler: async (ctx) => json(await journal.of(userOf(await auth.requireUser(ctx.request))), 200, { 'cache-control': 'private, no-store' }),
    }),
    withBearerChallenge({
      method: 'POST',
      path: '/api/constellations/share',
      handler: async (ctx) => {
        const userId = userOf(await auth.requireUser(ctx.request));
        const parsed = shareBody.safeParse(optionalBody(ctx));
        if (!parsed.success) throw new ValidationError('invalid share request; see details', issuesOf(parsed.error).slice(0, 20));
        return json(await shares.create(userId, { shareType: parsed.data.shareType, message: parsed.data.message || null, recipientId: parsed.data.recipientId ?? null }), 201);
      },
    }),
    {
      // The page: the same shell for every id (it reads /api/shared/:id), with its head rendered here.
      method: 'GET',
      path: '/shared/:id',
      handler: async (ctx) => {
        const id = ctx.params.id ?? '';
        const preview: SharePreview = SHARE_ID_PATTERN.test(id) ? await shares.preview(id) : { status: 'not_found' };
        const { head, status } = shareHead(preview, ctx.request, id);
        return shellResponse(WEB_DIST, 'share', head, status);
      },
    },
    {
      // The link preview's picture (og:image); counts no view.
      method: 'GET',
      path: '/api/shared/:id/preview.png',
      handler: async (ctx) => {
        const id = ctx.params.id ?? '';
        if (!SHARE_ID_PATTERN.test(id)) throw new ValidationError('the share id is malformed', [{ field: 'id', message: 'must be the 22-character id from the share link' }]);
        const preview = await shares.preview(id);
        if (preview.status === 'not_found') throw new ShareError('NOT_FOUND', 'no shared constellation has this id; check the link');
        if (preview.status === 'gone') throw new ShareError('GONE', `this shared constellation expired on ${preview.expiredAt}; ask its owner to share it again`);
        const png = await images.png(id, preview);
        return new Response(new Uint8Array(png), { status: 200, headers: { 'content-type': 'image/png', 'cache-control': 'public, max-age=3600' } });
      },
    },
    {
      method: 'GET',
      path: '/api/shared/:id',
      handler: async (ctx) => {
        const id = ctx.params.id ?? '';
        if (!SHARE_ID_PATTERN.test(id)) throw new ValidationError('the share id is malformed', [{ field: 'id', message: 'must be the 22-character id from the share link' }]);
        return json(await shares.view(id, await viewerOf(auth, ctx.request)), 200, { 'cache-control': 'no-store' });
      },
    },
  ];
}
