import { z } from 'zod';
import type { GravityRepository } from '../../persistence/gravity/GravityRepository.js';
import { rankForRadio } from '../../features/gravity/rankForRadio.js';
import { normalizedScores } from '../../systems/gravity/gravity.js';
import { gravityToEvent, issuesOf } from '../../systems/passport/index.js';
import { gravityEventCamelSchema, gravityEventSchema } from '../../systems/passport/build.js';
import type { PassportIngest } from '../../features/passport/durableIngest.js';
import { accept, bodyOf, INGEST_ANSWERS, INGEST_ERRORS, ingestDeps, invalid, type IngestDeps, type IngestOptions } from './passportRoutes.js';
import { bindToCaller, withBearerChallenge, type RequestAuth } from './authGates.js';
import { json, ValidationError, type Route } from './router.js';
import { declareRoutes, DOCUMENTED_DEFAULTS, mountRoutes } from './declare.js';

/** Bounds of the gravity routes (config.gravity). */
export interface GravityRouteLimits {
  /** Most neighbours per read (`limit` above it is a 400). */
  maxNeighbours: number;
  /** Most candidates one rank request may carry. */
  maxCandidates: number;
  /** Most session-history entries one rank request may carry. */
  maxHistory: number;
  gravityWeight: number;
}

const trackId = z.string().min(1, 'must not be empty').max(200, 'at most 200 characters');

/** Builds the rank body schema for the configured bounds (seed 001 names, snake_case like `POST /event`). */
export function rankSchema(limits: Pick<GravityRouteLimits, 'maxCandidates' | 'maxHistory'>) {
  return z.strictObject({
    current_track_id: trackId,
    candidate_track_ids: z.array(trackId).min(1, 'at least one candidate').max(limits.maxCandidates, `at most ${limits.maxCandidates} candidates per request`),
    embedding_scores: z
      .record(trackId, z.number().finite().min(0, 'cosine similarity in 0..1').max(1, 'cosine similarity in 0..1'))
      .refine((r) => Object.keys(r).length <= limits.maxCandidates, `at most ${limits.maxCandidates} scores`)
      .default({}),
    session_history: z.array(trackId).max(limits.maxHistory, `at most ${limits.maxHistory} tracks of history`).default([]),
  });
}

const named = <T extends z.ZodType>(schema: T, title: string): T => schema.meta({ title });

/** `GET /tracks/:id/gravity_neighbors` 200 (seed 001 snake_case). */
export const gravityNeighborsSchema = named(
  z.object({
    track_id: z.string(),
    neighbors: z.array(
      named(
        z.object({
          track_id: z.string(),
          artist_id: z.string().nullable(),
          weight: z.number(),
          normalized_score: z.number().min(0).max(1),
          transitions: z.number().int(),
        }),
        'GravityNeighbor',
      ),
    ),
  }),
  'GravityNeighbors',
);

/** `POST /api/radio/rank` 200. */
export const radioRankedSchema = named(
  z.object({
    ranked: z.array(named(z.object({ track_id: z.string(), score: z.number(), embedding_score: z.number(), gravity_score: z.number() }), 'RankedTrack')),
  }),
  'RadioRanked',
);

function limitParam(raw: string | null, max: number): number {
  if (raw === null || raw === '') return Math.min(10, max);
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max)
    throw new ValidationError(`limit must be an integer from 1 to ${max}`, [{ field: 'limit', message: `"${raw.slice(0, 20)}" is not in 1..${max}` }]);
  return n;
}

interface GravityRouteDeps {
  gravity: GravityRepository;
  auth: RequestAuth;
  limits: GravityRouteLimits;
  schema: ReturnType<typeof rankSchema>;
  now: () => number;
}

const documented = DOCUMENTED_DEFAULTS.gravity;

/**
 * The gravity layer's reads (seed 001): `GET /tracks/:id/gravity_neighbors` (public, like station reads)
 * and `POST /api/radio/rank` (any signed-in caller; the admin token as a service). Both speak the
 * seed's snake_case, as `POST /event` does.
 */
export const GRAVITY_ROUTES = declareRoutes<GravityRouteDeps>()([
  {
    operationId: 'gravityNeighbors',
    method: 'GET',
    path: '/tracks/{id}/gravity_neighbors',
    tag: 'gravity',
    summary: `A track's strongest next tracks (query \`limit\`, 1–${documented.maxNeighbours}, default 10).`,
    auth: 'none',
    responses: { 200: { description: 'Neighbours, strongest first.', title: 'GravityNeighbors', schema: gravityNeighborsSchema } },
    errors: ['VALIDATION_FAILED'],
    handler: async ({ params, query }, { gravity, limits, now }) => {
      const id = trackId.safeParse(params.id);
      if (!id.success) throw new ValidationError('the track id is invalid', [{ field: 'id', message: id.error.issues[0].message }]);
      const rows = await gravity.neighbours(id.data, limitParam(query.get('limit'), limits.maxNeighbours), now());
      const neighbors = normalizedScores(rows).map((r) => ({
        track_id: r.trackId,
        artist_id: r.artistId,
        weight: round(r.weight),
        normalized_score: round(r.normalizedScore),
        transitions: r.transitions,
      }));
      return json({ track_id: id.data, neighbors });
    },
  },
  {
    operationId: 'radioRank',
    method: 'POST',
    path: '/api/radio/rank',
    tag: 'gravity',
    summary: 'Rank radio candidates: 0.7 embedding + 0.3 gravity.',
    auth: 'user-or-admin',
    request: { title: 'RadioRankRequest', schema: rankSchema(documented).meta({ title: 'RadioRankRequest' }) },
    responses: { 200: { description: 'Best first.', title: 'RadioRanked', schema: radioRankedSchema } },
    handler: async (ctx, { gravity, auth, limits, schema }) => {
      await auth.requireUser(ctx.request);
      const parsed = schema.safeParse(bodyOf(ctx));
      if (!parsed.success) throw new ValidationError('invalid rank request; see details', issuesOf(parsed.error).slice(0, 50));
      const b = parsed.data;
      const ranked = await rankForRadio(
        gravity,
        {
          currentTrackId: b.current_track_id,
          candidateTrackIds: b.candidate_track_ids,
          embeddingScores: b.embedding_scores,
          sessionHistory: b.session_history,
        },
        limits.gravityWeight,
      );
      return json({
        ranked: ranked.map((r) => ({ track_id: r.trackId, score: round(r.score), embedding_score: r.embeddingScore, gravity_score: round(r.gravityScore) })),
      });
    },
  },
]);

/** The gravity routes, served (the rank route with the Bearer challenge, the public read without). */
export function gravityRoutes(gravity: GravityRepository, auth: RequestAuth, limits: GravityRouteLimits, now: () => number = Date.now): Route[] {
  return mountRoutes(GRAVITY_ROUTES, { gravity, auth, limits, schema: rankSchema(limits), now }, (r) => (r.method === 'POST' ? withBearerChallenge(r) : r));
}

export interface GravityEventOptions extends IngestOptions {
  /** The artist of a track, when known: a gravity play then also counts for that artist (payload.artistId). */
  artistOfTrack?: (trackId: string) => Promise<string | null>;
}

/**
 * The gravity layer's play events (seed 001), logged to the passport like `POST /api/passport/log` and
 * answered the same way (202 once committed; src/http/passportRoutes.ts), in the seed's own shape.
 */
export const GRAVITY_EVENT_ROUTES = declareRoutes<IngestDeps & GravityEventOptions>()([
  {
    operationId: 'gravityEvent',
    method: 'POST',
    path: '/event',
    tag: 'gravity',
    summary: 'A gravity-layer play event (seed 001): snake_case, or the same fields in camelCase.',
    auth: 'user-or-admin',
    request: { title: 'GravityEvent', schema: z.union([gravityEventSchema, gravityEventCamelSchema]).meta({ title: 'GravityEvent' }) },
    responses: INGEST_ANSWERS,
    errors: [...INGEST_ERRORS],
    handler: async (ctx, d) => {
      const caller = await d.auth.requireUser(ctx.request);
      const result = gravityToEvent(bodyOf(ctx), d.now(), d.newId);
      if (!result.ok) throw invalid('gravity event', result.issues);
      const event = bindToCaller(caller, [result.event], () => 'user_id')[0];
      const artistId = d.artistOfTrack ? await d.artistOfTrack(event.entityId!) : null;
      // The rollups and live leaderboards count artist plays from payload.artistId, as for room events.
      if (artistId) (event.payload as Record<string, unknown>).artistId = artistId;
      return accept(d.writer, d.limits, [event], d.ackTimeoutMs);
    },
  },
]);

/** `POST /event`, served: its events go through the passport's `writer` and ingest limits. */
export function gravityEventRoutes(writer: PassportIngest, options: GravityEventOptions): Route[] {
  return mountRoutes(GRAVITY_EVENT_ROUTES, ingestDeps(writer, options), withBearerChallenge);
}

/** Six decimals: weights and scores are ratios, not money; the JSON stays short. */
const round = (x: number): number => Math.round(x * 1e6) / 1e6;
