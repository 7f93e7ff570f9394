import { z } from 'zod';
import type { JournalService } from '../../features/journal/Journal.js';
import { SHARE_ID_PATTERN, ShareError, shareCreatedSchema, sharedViewSchema, type SharePreview, type Shares } from '../../features/journal/Shares.js';
import type { SharePreviewImages } from '../../features/journal/SharePreviewImages.js';
import { PREVIEW_HEIGHT, PREVIEW_WIDTH } from '../../systems/journal/sharePreview.js';
import { journalSchema } from '../../systems/journal/index.js';
import { uuidSchema } from '../../systems/passport/index.js';
import type { RequestAuth } from './authGates.js';
import type { HttpRequest } from './edge.js';
import { publicOrigin } from './publicOrigin.js';
import { shellResponse, WEB_DIST, type ShellHead } from './webRoutes.js';
import { mount, page, routeOf, type Route } from './route.js';

/** `POST /api/constellations/share` body; `direct_user` names its recipient. */
export const shareBody = z
  .strictObject({
    shareType: z.enum(['public_link', 'social_media', 'direct_user']).default('public_link'),
    message: z.string().trim().max(280, 'at most 280 characters').nullable().default(null),
    /** The listener a `direct_user` share is for (their user id); ignored by the other types. */
    recipientId: uuidSchema.nullable().optional(),
  })
  .meta({ title: 'ShareRequest' });

/** The 22-character id of a share link. */
const shareId = z.object({ id: z.string().regex(SHARE_ID_PATTERN, 'must be the 22-character id from the share link') });

/** The share page's head: Open Graph and Twitter card tags with the preview picture; 404/410 pages are not indexed. */
function shareHead(preview: SharePreview, request: HttpRequest, shareId: string): { head: ShellHead; status: number } {
  if (preview.status === 'ok') {
    const origin = publicOrigin(request);
    const url = `${origin}/shared/${shareId}`;
    const image = `${origin}/api/shared/${shareId}/preview.png`; // absolute: link-preview crawlers need the host
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

const route = routeOf<{ journal: JournalService; shares: Shares; images: SharePreviewImages; auth: RequestAuth }>('journal', 'user');

export const JOURNAL_ROUTES = [
  route('GET /api/constellations/me', {
    operationId: 'myConstellation',
    summary: "The token user's constellation journal: clusters, insights and numbers, to look back on what they found.",
    responses: { 200: { description: 'Stars, connections, layout, clusters, statistics and insights.', schema: journalSchema } },
    handler: async ({ caller }, { journal }) => journal.of(caller.userId),
  }),
  route('POST /api/constellations/share', {
    operationId: 'shareConstellation',
    summary: "Share the token user's constellation as a link anyone can open; the body may be left out.",
    description:
      '`shareType: "direct_user"` with `recipientId` (their user id) also leaves a notification in the recipient\'s inbox, at most JOURNAL_DIRECT_SHARES_PER_HOUR an hour.',
    body: shareBody,
    bodyOptional: true,
    responses: { 201: { description: 'The share: id, URL, expiry.', schema: shareCreatedSchema } },
    errors: ['NOT_FOUND', 'CONFLICT', 'RATE_LIMITED'],
    handler: async ({ caller, body }, { shares }) =>
      shares.create(caller.userId, { shareType: body.shareType, message: body.message || null, recipientId: body.recipientId ?? null }),
  }),
  route('GET /api/shared/{id}/preview.png', {
    operationId: 'sharePreviewImage',
    summary:
      "The share's link-preview picture, so a pasted link shows the constellation: 1200×630 PNG, the share page's og:image and twitter:image; counts no view.",
    auth: 'none',
    params: shareId,
    responses: { 200: { description: 'The PNG bytes.', contentType: 'image/png' } },
    errors: ['NOT_FOUND', 'GONE'],
    headers: { 'cache-control': 'public, max-age=3600' },
    handler: async ({ params: { id } }, { shares, images }) => {
      const preview = await shares.preview(id);
      if (preview.status === 'not_found') throw new ShareError('NOT_FOUND', 'no shared constellation has this id; check the link');
      if (preview.status === 'gone') throw new ShareError('GONE', `this shared constellation expired on ${preview.expiredAt}; ask its owner to share it again`);
      return new Uint8Array(await images.png(id, preview));
    },
  }),
  route('GET /api/shared/{id}', {
    operationId: 'viewShare',
    summary: 'A shared constellation (public; a valid access token adds the comparison with the viewer’s own).',
    auth: 'optional-user',
    params: shareId,
    responses: { 200: { description: 'The shared stars and, for a signed-in viewer, the overlap.', schema: sharedViewSchema } },
    errors: ['NOT_FOUND', 'GONE'],
    headers: { 'cache-control': 'no-store' },
    handler: async ({ params, caller }, { shares }) => shares.view(params.id, caller?.kind === 'user' ? caller.userId : null),
  }),
];

/** The share page: the same shell for every id (it reads /api/shared/:id), with its head rendered here for link previews. */
const sharePage = (shares: Shares) =>
  page('/shared/:id', 'an HTML page of the web app with link-preview tags; it reads GET /api/shared/{id}', async (request, { id = '' }) => {
    const preview: SharePreview = SHARE_ID_PATTERN.test(id) ? await shares.preview(id) : { status: 'not_found' };
    const { head, status } = shareHead(preview, request, id);
    return shellResponse(WEB_DIST, 'share', head, status);
  });

export const journalRoutes = (journal: JournalService, shares: Shares, images: SharePreviewImages, auth: RequestAuth): Route[] => [
  ...mount(JOURNAL_ROUTES, { journal, shares, images, auth }),
  sharePage(shares),
];
