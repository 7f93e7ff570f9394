import { z } from 'zod';
import type { GravityRepository } from '../../persistence/gravity/GravityRepository.js';
import { rankForRadio } from '../../features/gravity/rankForRadio.js';
import { normalizedScores } from '../../systems/gravity/gravity.js';
import { gravityToEvent } from '../../systems/passport/index.js';
import { gravityEventCamelSchema, gravityEventSchema } from '../../systems/passport/build.js';
import type { PassportIngest } from '../../features/passport/durableIngest.js';
import { accept, INGEST_ANSWERS, INGEST_ERRORS, ingestDeps, invalid, type IngestDeps, type IngestOptions } from './passportRoutes.js';
import { bindToCaller, type RequestAuth } from './authGates.js';
import type { Config } from '../config/config.js';
import { DOCUMENTED_DEFAULTS, intQuery, mount, routeOf, type Route } from './route.js';

/** Bounds of the gravity routes. */
export type GravityRouteLimits = Pick<Config['gravity'], 'maxNeighbours' | 'maxCandidates' | 'maxHistory' | 'gravityWeight'>;

const trackId = z.string().min(1, 'must not be empty').max(200, 'at most 200 characters');

/** The rank body for the configured bounds, snake_case like `POST /event`. */
export function rankSchema(limits: Pick<GravityRouteLimits, 'maxCandidates' | 'maxHistory'>) {
  return z
    .strictObject({
      current_track_id: trackId,
      candidate_track_ids: z
        .array(trackId)
        .min(1, 'at least one candidate')
        .max(limits.maxCandidates, `at most ${limits.maxCandidates} candidates per request`),
      embedding_scores: z
        .record(trackId, z.number().finite().min(0, 'cosine similarity in 0..1').max(1, 'cosine similarity in 0..1'))
        .refine((r) => Object.keys(r).length <= limits.maxCandidates, `at most ${limits.maxCandidates} scores`)
        .default({}),
      session_history: z.array(trackId).max(limits.maxHistory, `at most ${limits.maxHistory} tracks of history`).default([]),
    })
    .meta({ title: 'RadioRankRequest' });
}

export const gravityNeighborsSchema = z
  .object({
    track_id: z.string(),
    neighbors: z.array(
      z
        .object({
          track_id: z.string(),
          artist_id: z.string().nullable(),
          weight: z.number(),
          normalized_score: z.number().min(0).max(1),
          transitions: z.number().int(),
        })
        .meta({ title: 'GravityNeighbor' }),
    ),
  })
  .meta({ title: 'GravityNeighbors' });

export const radioRankedSchema = z
  .object({
    ranked: z.array(
      z.object({ track_id: z.string(), score: z.number(), embedding_score: z.number(), gravity_score: z.number() }).meta({ title: 'RankedTrack' }),
    ),
  })
  .meta({ title: 'RadioRanked' });

const route = routeOf<{ gravity: GravityRepository; auth: RequestAuth; limits: GravityRouteLimits; now: () => number }>('gravity');

const gravityDeclarations = (limits: Pick<GravityRouteLimits, 'maxNeighbours' | 'maxCandidates' | 'maxHistory'>) => [
  route('GET /tracks/{id}/gravity_neighbors', {
    operationId: 'gravityNeighbors',
    summary: `A track's strongest next tracks (query \`limit\`, 1–${limits.maxNeighbours}, default 10).`,
    auth: 'none',
    params: z.object({ id: trackId }),
    query: z.object({ limit: intQuery(1, limits.maxNeighbours, Math.min(10, limits.maxNeighbours)) }),
    responses: { 200: { description: 'Neighbours, strongest first.', schema: gravityNeighborsSchema } },
    handler: async ({ params, query }, { gravity, now }) => {
      const rows = await gravity.neighbours(params.id, query.limit, now());
      const neighbors = normalizedScores(rows).map((r) => ({
        track_id: r.trackId,
        artist_id: r.artistId,
        weight: round(r.weight),
        normalized_score: round(r.normalizedScore),
        transitions: r.transitions,
      }));
      return { track_id: params.id, neighbors };
    },
  }),
  route('POST /api/radio/rank', {
    operationId: 'radioRank',
    summary: 'Rank radio candidates: 0.7 embedding + 0.3 gravity.',
    auth: 'user-or-admin',
    body: rankSchema(limits),
    responses: { 200: { description: 'Best first.', schema: radioRankedSchema } },
    handler: async ({ body: b }, { gravity, limits }) => {
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
      return {
        ranked: ranked.map((r) => ({ track_id: r.trackId, score: round(r.score), embedding_score: r.embeddingScore, gravity_score: round(r.gravityScore) })),
      };
    },
  }),
];

export const GRAVITY_ROUTES = gravityDeclarations(DOCUMENTED_DEFAULTS.gravity);

export const gravityRoutes = (gravity: GravityRepository, auth: RequestAuth, limits: GravityRouteLimits, now: () => number = Date.now): Route[] =>
  mount(gravityDeclarations(limits), { gravity, auth, limits, now });

const eventRoute = routeOf<IngestDeps>('gravity');

/** The gravity layer's play events, logged to the passport and answered as `POST /api/passport/log` is. */
export const GRAVITY_EVENT_ROUTES = [
  eventRoute('POST /event', {
    operationId: 'gravityEvent',
    summary: 'A gravity-layer play event, which links the tracks a listener plays in a row: snake_case, or the same fields in camelCase.',
    auth: 'user-or-admin',
    body: z.union([gravityEventSchema, gravityEventCamelSchema]).meta({ title: 'GravityEvent' }),
    bodyUnchecked: true,
    responses: INGEST_ANSWERS,
    errors: [...INGEST_ERRORS],
    handler: async ({ body, caller }, d) => {
      const result = gravityToEvent(body, d.now(), d.newId);
      if (!result.ok) throw invalid('gravity event', result.issues);
      const event = bindToCaller(caller, [result.event], () => 'user_id')[0]!;
      const artistId = d.artistOfTrack ? await d.artistOfTrack(event.entityId!) : null;
      // The rollups and live leaderboards count artist plays from payload.artistId, as for room events.
      if (artistId) (event.payload as Record<string, unknown>).artistId = artistId;
      return accept(d, [event]);
    },
  }),
];

export const gravityEventRoutes = (writer: PassportIngest, options: IngestOptions): Route[] => mount(GRAVITY_EVENT_ROUTES, ingestDeps(writer, options));

/** Six decimals: weights and scores are ratios, not money; the JSON stays short. */
const round = (x: number): number => Math.round(x * 1e6) / 1e6;
