import { z } from 'zod';
import type { ShareLinks } from '../../features/links/ShareLinks.js';
import { AppError } from '../../systems/errors.js';
import { LINK_TARGET_TYPES } from '../../systems/links/shareLinks.js';
import { bodyOf } from './passportRoutes.js';
import { parseWith } from './parse.js';
import { NO_STORE, withBearerChallenge, type RequestAuth } from './authGates.js';
import { clientAddressOf, json, RECEIVED_METHOD_HEADER, type Route } from './router.js';
import { declareRoutes, mountRoutes } from './declare.js';

/** `POST /api/links` body. */
export const linkBody = z.strictObject({
  targetType: z.enum(LINK_TARGET_TYPES),
  targetId: z.string().regex(/^[^\s\p{Cc}]{1,200}$/u, 'an artist, event or track id: 1–200 characters without whitespace'),
  /** Where the link was shared (free text a client names, e.g. "whatsapp"), for the sharer's own record. */
  channel: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'letters, digits and _ . - (1–32 characters)')
    .optional(),
});

/** A share link as its owner sees it. */
export const shareLinkSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    targetType: z.enum(LINK_TARGET_TYPES),
    targetId: z.string(),
    channel: z.string().nullable(),
    createdAt: z.string(),
    expiresAt: z.string(),
    opens: z.number().int(),
  })
  .meta({ title: 'ShareLink' });

interface LinkRouteDeps {
  links: ShareLinks;
  auth: RequestAuth;
}

/** The owner's view: never the sharer's id (a link is the user's own; its id says nothing about them). */
const view = (link: Awaited<ReturnType<ShareLinks['view']>>) => {
  const { userId: _owner, ...rest } = link;
  return rest;
};

async function caller(auth: RequestAuth, request: Request): Promise<string> {
  const who = await auth.requireUser(request);
  if (who.kind !== 'user') throw new AppError('FORBIDDEN', "share links are a user's own: send that user's access token, not the admin token");
  return who.userId;
}

/**
 * Share links (seed 004 "Link shares and opens"): a user makes a link to an artist, event or track and reads
 * its counted opens; following `/l/{linkId}` redirects to the target and counts a person's first open of the day.
 */
export const LINK_ROUTES = declareRoutes<LinkRouteDeps>()([
  {
    operationId: 'createShareLink',
    method: 'POST',
    path: '/api/links',
    tag: 'links',
    summary: "A share link to an artist, a Concierto event or a track; the server records the share (social.link_shared) as the token user's.",
    auth: 'user',
    request: { title: 'ShareLinkRequest', schema: linkBody.meta({ title: 'ShareLinkRequest' }) },
    responses: { 201: { description: 'The link; share `url` (`/l/{id}`).', title: 'ShareLink', schema: shareLinkSchema } },
    errors: ['FORBIDDEN', 'NOT_FOUND', 'RATE_LIMITED', 'BACKPRESSURE', 'NOT_PERSISTED'],
    handler: async (ctx, { links, auth }) => {
      const userId = await caller(auth, ctx.request);
      const body = parseWith(linkBody, bodyOf(ctx), 'share link');
      return json(view(await links.create(userId, body)), 201, NO_STORE);
    },
  },
  {
    operationId: 'shareLink',
    method: 'GET',
    path: '/api/links/{linkId}',
    tag: 'links',
    summary: 'One of the token user’s share links, with its counted opens (404 for anyone else’s).',
    auth: 'user',
    responses: { 200: { description: 'The link.', title: 'ShareLink', schema: shareLinkSchema } },
    errors: ['FORBIDDEN', 'NOT_FOUND'],
    handler: async (ctx, { links, auth }) => {
      const userId = await caller(auth, ctx.request);
      return json(view(await links.view(userId, ctx.params.linkId ?? '')), 200, NO_STORE);
    },
  },
]);

/** `GET /l/:linkId`: the browser follows a link (a page route: a redirect, in contract/http.ts EXCLUDED_ROUTES). */
function follow(links: ShareLinks): Route {
  return {
    method: 'GET',
    path: '/l/:linkId',
    handler: async ({ request, params }) => {
      const h = request.headers;
      const { location } = await links.open(params.linkId ?? '', {
        method: h.get(RECEIVED_METHOD_HEADER) ?? request.method,
        userAgent: h.get('user-agent'),
        purposes: [h.get('purpose'), h.get('sec-purpose'), h.get('x-purpose'), h.get('x-moz')],
        address: clientAddressOf(request),
      });
      // No cache anywhere: every follow must reach the server to be counted (or not).
      return new Response(null, { status: 302, headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
    },
  };
}

/** The share link routes, served. */
export function linkRoutes(links: ShareLinks, auth: RequestAuth): Route[] {
  return [...mountRoutes(LINK_ROUTES, { links, auth }, withBearerChallenge), follow(links)];
}
