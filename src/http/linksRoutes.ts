import { z } from 'zod';
import type { ShareLinks } from '../../features/links/ShareLinks.js';
import { LINK_TARGET_TYPES, shareLinkFields } from '../../systems/links/shareLinks.js';
import type { RequestAuth } from './authGates.js';
import { mount, page, reply, routeOf, type Route } from './route.js';

export const linkBody = z
  .strictObject({
    targetType: z.enum(LINK_TARGET_TYPES),
    targetId: z.string().regex(/^[^\s\p{Cc}]{1,200}$/u, 'an artist, event or track id: 1–200 characters without whitespace'),
    /** Where the link was shared (free text a client names, e.g. "whatsapp"), for the sharer's own record. */
    channel: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'letters, digits and _ . - (1–32 characters)')
      .optional(),
  })
  .meta({ title: 'ShareLinkRequest' });

/** A share link as its owner sees it. */
export const shareLinkSchema = z.object({ id: z.string(), url: z.string(), ...shareLinkFields.shape, opens: z.number().int() }).meta({ title: 'ShareLink' });

/** The owner's view: never the sharer's id (a link is the user's own; its id says nothing about them). */
const view = (link: Awaited<ReturnType<ShareLinks['view']>>) => {
  const { userId: _owner, ...rest } = link;
  return rest;
};
const route = routeOf<{ links: ShareLinks; auth: RequestAuth }>('links', 'user');

export const LINK_ROUTES = [
  route('POST /api/links', {
    operationId: 'createShareLink',
    summary: "A share link to an artist, a Concierto event or a track; the server records the share (social.link_shared) as the token user's.",
    body: linkBody,
    responses: { 201: { description: 'The link; share `url` (`/l/{id}`).', schema: shareLinkSchema } },
    errors: ['NOT_FOUND', 'RATE_LIMITED', 'BACKPRESSURE', 'NOT_PERSISTED'],
    handler: async ({ caller, body }, { links }) => reply(201, view(await links.create(caller.userId, body))),
  }),
  route('GET /api/links/{linkId}', {
    operationId: 'shareLink',
    summary: 'One of the token user’s share links, with its counted opens (404 for anyone else’s).',
    params: z.object({ linkId: z.string() }),
    responses: { 200: { description: 'The link.', schema: shareLinkSchema } },
    errors: ['NOT_FOUND'],
    handler: async ({ caller, params }, { links }) => view(await links.view(caller.userId, params.linkId)),
  }),
];

/** A browser follows a link: a 302 to its target, counted (or not) by the feature; never cached, so every follow reaches the server. */
const follow = (links: ShareLinks) =>
  page(
    '/l/:linkId',
    'a browser follows a share link (POST /api/links): a 302 to its target, counting a person’s first open of the day',
    async (request, params) => {
      const h = request.headers;
      const { location } = await links.open(params.linkId ?? '', {
        method: request.method,
        userAgent: h.get('user-agent'),
        purposes: [h.get('purpose'), h.get('sec-purpose'), h.get('x-purpose'), h.get('x-moz')],
        address: request.clientAddress,
      });
      return reply(302, null, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    },
  );

export const linkRoutes = (links: ShareLinks, auth: RequestAuth): Route[] => [...mount(LINK_ROUTES, { links, auth }), follow(links)];
