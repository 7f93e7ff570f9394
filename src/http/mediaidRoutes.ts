/**
 * MediaID (seed 002): `GET /api/mediaid/me` (the owner's inputs, ATGC bases and DNA by domain),
 * `PUT /api/mediaid/me` (set the inputs; partial, validated, bounded) and
 * `GET /api/mediaid/me/match?artistId=|eventId=` (how the owner's DNA matches an artist or an event).
 * Owner only: the user comes from the access token.
 */
import { z } from 'zod';
import type { DnaRepository, StoredDna } from '../../persistence/mediaid/DnaRepository.js';
import type { MediaIdRecord, MediaIdStore } from '../../persistence/mediaid/MediaIdStore.js';
import type { ReportRepository } from '../../persistence/reports/ReportRepository.js';
import { addSignals, bandOf, basesOf, DNA_DOMAINS, match, norm, profileEmbedding, zeroVectors, type DnaSettings } from '../../systems/mediaid/dna.js';
import { applyBody, mediaIdBody } from '../../systems/mediaid/inputs.js';
import { artistSignals, concertSignals } from '../../systems/mediaid/signals.js';
import { bodyOf } from './passportRoutes.js';
import { withBearerChallenge, type RequestAuth } from './requireUser.js';
import { json, NotFoundError, type Route } from './router.js';
import { parseWith, r4, requireOwner } from './mediaidAuth.js';
import { declareRoutes, mountRoutes } from './declare.js';

const NO_STORE = { 'cache-control': 'no-store' };
const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.:@-]+$/, 'letters, digits and _ . : @ - only');
const matchQuery = z.union([z.strictObject({ artistId: id }), z.strictObject({ eventId: id })]);

/** The DNA as the owner and DIA see it: bases, then each domain's embedding now, with its strength. */
export function dnaView(record: MediaIdRecord, stored: StoredDna | null, s: DnaSettings & { halfLifeDays: number }, nowMs: number) {
  const embedding = profileEmbedding(record.inputs, stored?.dynamic ?? null, nowMs, s);
  const dynamic = stored?.dynamic ?? null;
  return {
    userId: record.userId,
    displayName: record.displayName,
    email: record.email,
    inputs: record.inputs,
    bases: basesOf(record.inputs),
    dna: {
      dims: s.dims,
      halfLifeDays: s.halfLifeDays,
      baseWeight: s.baseWeight,
      signals: dynamic?.signals ?? 0,
      mirroredThrough: dynamic ? new Date(dynamic.refMs).toISOString() : null,
      updatedAt: stored?.updatedAt ? new Date(stored.updatedAt).toISOString() : null,
      domains: Object.fromEntries(DNA_DOMAINS.map((d) => [d, { strength: r4(norm(embedding[d])), vector: embedding[d].map(r4) }])),
    },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export interface MediaIdDeps {
  store: MediaIdStore;
  dna: DnaRepository;
  reports: ReportRepository;
  auth: RequestAuth;
  settings: DnaSettings & { halfLifeDays: number };
  now?: () => number;
}

const domainVector = z.object({ strength: z.number(), vector: z.array(z.number()) });

/** {@link dnaView}: the owner's (and DIA's) MediaID with its bases and DNA by domain. */
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
  now: () => number;
  view(userId: string): Promise<ReturnType<typeof dnaView>>;
}

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
      const current = await deps.store.get(userId);
      if (!current) throw new NotFoundError('this user no longer exists; sign in again');
      await deps.store.save(userId, applyBody(current.inputs, body), { displayName: body.displayName, email: body.email?.toLowerCase() }, new Date(deps.now()));
      return json(await deps.view(userId), 200, NO_STORE);
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
      const [record, stored] = await Promise.all([deps.store.get(userId), deps.dna.dnaOf(userId)]);
      if (!record) throw new NotFoundError('this user no longer exists; sign in again');
      let target;
      if ('artistId' in q) {
        const genres = await deps.reports.artistGenres(q.artistId);
        if (!genres) throw new NotFoundError(`no artist "${q.artistId}" in the catalog`);
        target = addSignals(zeroVectors(deps.settings.dims), artistSignals(q.artistId, genres));
      } else {
        const facts = await deps.reports.concertFacts(q.eventId);
        target = addSignals(zeroVectors(deps.settings.dims), concertSignals(q.eventId, facts.artists, facts.cities));
      }
      const m = match(profileEmbedding(record.inputs, stored?.dynamic ?? null, deps.now(), deps.settings), target);
      const domains = Object.fromEntries(DNA_DOMAINS.map((d) => [d, m.domains[d] === null ? null : r4(m.domains[d] as number)]));
      return json({ with: q, score: r4(m.score), band: bandOf(m.score), domains, topDomain: m.topDomain }, 200, NO_STORE);
    },
  },
]);

/** The owner's MediaID routes, served. */
export function mediaidRoutes(deps: MediaIdDeps): Route[] {
  const now = deps.now ?? Date.now;
  const view = async (userId: string) => {
    const [record, stored] = await Promise.all([deps.store.get(userId), deps.dna.dnaOf(userId)]);
    if (!record) throw new NotFoundError('this user no longer exists; sign in again');
    return dnaView(record, stored, deps.settings, now());
  };
  return mountRoutes(MEDIAID_ROUTES, { ...deps, now, view }, withBearerChallenge);
}
