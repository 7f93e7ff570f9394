/**
 * MediaID (seed 002): `GET /api/mediaid/me` (the owner's inputs, ATGC bases and DNA by domain),
 * `PUT /api/mediaid/me` (set the inputs; partial, validated, bounded) and
 * `GET /api/mediaid/me/match?artistId=|eventId=` (how the owner's DNA matches an artist or an event).
 * Owner only: the user comes from the access token.
 */
import { z } from 'zod';
import type { MediaIdProfiles } from '../../features/mediaid/MediaIdProfiles.js';
import type { DnaView } from '../../features/mediaid/dnaView.js';
import { mediaIdBody } from '../../systems/mediaid/inputs.js';
import { bodyOf } from './passportRoutes.js';
import { type RequestAuth, requireOwner, withBearerChallenge } from './authGates.js';
import { parseWith } from './parse.js';
import { json, NotFoundError, type Route } from './router.js';
import { declareRoutes, mountRoutes } from './declare.js';

const NO_STORE = { 'cache-control': 'no-store' };
const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.:@-]+$/, 'letters, digits and _ . : @ - only');
const matchQuery = z.union([z.strictObject({ artistId: id }), z.strictObject({ eventId: id })]);

export interface MediaIdDeps {
  profiles: MediaIdProfiles;
  auth: RequestAuth;
}

const domainVector = z.object({ strength: z.number(), vector: z.array(z.number()) });

/** features/mediaid/dnaView.ts: the owner's (and DIA's) MediaID with its bases and DNA by domain. */
export const dnaViewSchema = z
  .object({
    userId: z.string(),
    displayName: z.string().nullable(),
    email: z.string().nullable(),
    inputs: z.object({
      interests: z.array(z.string()),
      genrePreferences: z.array(z.string()),
      contentFlags: z.record(z.string(), z.union([z.boolean(), z.string(), z.number()])),
      locationCode: z.string().nullable(),
      privacy: z.object({ shareLocation: z.boolean(), allowMatching: z.boolean() }),
    }),
    bases: z.object({
      A: z.array(z.string()),
      T: z.array(z.string()),
      G: z.record(z.string(), z.union([z.boolean(), z.string(), z.number()])),
      C: z.object({ location: z.string().nullable(), privacy: z.object({ shareLocation: z.boolean().optional(), allowMatching: z.boolean().optional() }) }),
      sequence: z.string(),
    }),
    dna: z.object({
      dims: z.number().int(),
      halfLifeDays: z.number(),
      baseWeight: z.number(),
      signals: z.number(),
      mirroredThrough: z.string().nullable(),
      updatedAt: z.string().nullable(),
      domains: z.record(z.string(), domainVector),
    }),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ title: 'MediaIdView' });

/** `GET /api/mediaid/me/match` 200. */
export const dnaMatchSchema = z
  .object({
    with: z.union([z.object({ artistId: z.string() }).meta({ title: 'MatchWithArtist' }), z.object({ eventId: z.string() }).meta({ title: 'MatchWithEvent' })]),
    score: z.number(),
    band: z.enum(['strong', 'good', 'moderate', 'weak']),
    domains: z.record(z.string(), z.number().nullable()),
    topDomain: z.string().nullable(),
  })
  .meta({ title: 'MediaIdMatch' });

const mediaIdView = (description: string) => ({ 200: { description, title: 'MediaIdView', schema: dnaViewSchema } });

interface MediaIdRouteDeps extends MediaIdDeps {
  /** The owner's view; NOT_FOUND when the user is gone. */
  view(userId: string): Promise<DnaView>;
}

const GONE = 'this user no longer exists; sign in again';

/** The owner's MediaID routes. */
export const MEDIAID_ROUTES = declareRoutes<MediaIdRouteDeps>()([
  {
    operationId: 'myMediaId',
    method: 'GET',
    path: '/api/mediaid/me',
    tag: 'mediaid',
    summary: "The owner's MediaID: inputs, ATGC bases, DNA by domain.",
    auth: 'user',
    responses: mediaIdView('The MediaID view.'),
    errors: ['FORBIDDEN', 'NOT_FOUND'],
    handler: async ({ request }, deps) => json(await deps.view((await requireOwner(deps.auth, request)).userId), 200, NO_STORE),
  },
  {
    operationId: 'updateMyMediaId',
    method: 'PUT',
    path: '/api/mediaid/me',
    tag: 'mediaid',
    summary: "Set the owner's MediaID inputs (partial: fields left out keep their value).",
    auth: 'user',
    request: { title: 'MediaIdUpdate', schema: mediaIdBody.meta({ title: 'MediaIdUpdate' }) },
    responses: mediaIdView('The MediaID view after the change.'),
    errors: ['FORBIDDEN', 'NOT_FOUND'],
    handler: async (ctx, deps) => {
      const { userId } = await requireOwner(deps.auth, ctx.request);
      const body = parseWith(mediaIdBody, bodyOf(ctx), 'MediaID');
      const view = await deps.profiles.update(userId, body);
      if (!view) throw new NotFoundError(GONE);
      return json(view, 200, NO_STORE);
    },
  },
  {
    operationId: 'myMediaIdMatch',
    method: 'GET',
    path: '/api/mediaid/me/match',
    tag: 'mediaid',
    summary: "How the owner's DNA matches an artist (query `artistId`) or an event (query `eventId`).",
    auth: 'user',
    responses: { 200: { description: 'Score, band, per-domain scores and the top domain.', title: 'MediaIdMatch', schema: dnaMatchSchema } },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'],
    handler: async ({ request, query }, deps) => {
      const { userId } = await requireOwner(deps.auth, request);
      const q = parseWith(matchQuery, Object.fromEntries(query), 'query (send artistId or eventId)');
      return json({ with: q, ...(await deps.profiles.matchWith(userId, q)) }, 200, NO_STORE);
    },
  },
]);

/** The owner's MediaID routes, served. */
export function mediaidRoutes(deps: MediaIdDeps): Route[] {
  const view = async (userId: string) => {
    const found = await deps.profiles.view(userId);
    if (!found) throw new NotFoundError(GONE);
    return found;
  };
  return mountRoutes(MEDIAID_ROUTES, { ...deps, view }, withBearerChallenge);
}
