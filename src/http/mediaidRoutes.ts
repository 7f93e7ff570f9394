/** MediaID for its owner (the token's user): inputs, DNA by domain, and how the DNA matches an artist or event. */
import { z } from 'zod';
import type { MediaIdProfiles } from '../../features/mediaid/MediaIdProfiles.js';
import { mediaIdBody } from '../../systems/mediaid/inputs.js';
import { mediaIdInputsSchema } from '../../systems/mediaid/dna.js';
import type { RequestAuth } from './authGates.js';
import { found } from './errors.js';
import { routeOf } from './route.js';

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.:@-]+$/, 'letters, digits and _ . : @ - only');
/** One of `artistId`, `eventId`. */
const matchQuery = z
  .strictObject({ artistId: id.optional(), eventId: id.optional() })
  .refine((q) => (q.artistId === undefined) !== (q.eventId === undefined), { message: 'send artistId or eventId (one of them)', path: ['artistId'] });

const domainVector = z.object({ strength: z.number(), vector: z.array(z.number()) });

/** features/mediaid/dnaView.ts: the owner's (and DIA's) MediaID with its bases and DNA by domain. */
export const dnaViewSchema = z
  .object({
    userId: z.string(),
    displayName: z.string().nullable(),
    email: z.string().nullable(),
    inputs: mediaIdInputsSchema,
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

export const dnaMatchSchema = z
  .object({
    with: z.union([z.object({ artistId: z.string() }).meta({ title: 'MatchWithArtist' }), z.object({ eventId: z.string() }).meta({ title: 'MatchWithEvent' })]),
    score: z.number(),
    band: z.enum(['strong', 'good', 'moderate', 'weak']),
    domains: z.record(z.string(), z.number().nullable()),
    topDomain: z.string().nullable(),
  })
  .meta({ title: 'MediaIdMatch' });

const mediaIdView = (description: string) => ({ 200: { description, schema: dnaViewSchema } });
const ofOwner = <T>(view: T | null): T => found(view, 'this user no longer exists; sign in again');
const route = routeOf<{ profiles: MediaIdProfiles; auth: RequestAuth }>('mediaid', 'user');

/** The owner's MediaID routes (the admin token is 403: it has no MediaID; operators use /api/ops/dna/users/{userId}). */
export const MEDIAID_ROUTES = [
  route('GET /api/mediaid/me', {
    operationId: 'myMediaId',
    summary: "The owner's MediaID: inputs, ATGC bases, DNA by domain.",
    responses: mediaIdView('The MediaID view.'),
    errors: ['NOT_FOUND'],
    handler: async ({ caller }, { profiles }) => ofOwner(await profiles.view(caller.userId)),
  }),
  route('PUT /api/mediaid/me', {
    operationId: 'updateMyMediaId',
    summary: "Set the owner's MediaID inputs (partial: fields left out keep their value).",
    body: mediaIdBody.meta({ title: 'MediaIdUpdate' }),
    responses: mediaIdView('The MediaID view after the change.'),
    errors: ['NOT_FOUND'],
    handler: async ({ caller, body }, { profiles }) => ofOwner(await profiles.update(caller.userId, body)),
  }),
  route('GET /api/mediaid/me/match', {
    operationId: 'myMediaIdMatch',
    summary: "How the owner's DNA matches an artist (query `artistId`) or an event (query `eventId`).",
    query: matchQuery,
    responses: { 200: { description: 'Score, band, per-domain scores and the top domain.', schema: dnaMatchSchema } },
    errors: ['NOT_FOUND'],
    handler: async ({ caller, query }, { profiles }) => {
      const target = query.artistId !== undefined ? { artistId: query.artistId } : { eventId: query.eventId! };
      return { with: target, ...(await profiles.matchWith(caller.userId, target)) };
    },
  }),
];
