/**
 * Response bodies of the client-facing HTTP routes, as zod schemas: the contract's source for what
 * the routes answer (contract/registry.ts), checked against real answers in test/integration.
 * The request bodies' schemas live with their routes (authRoutes, gravityRoutes, systems/passport).
 */
import { z } from 'zod';

const named = <T extends z.ZodType>(schema: T, title: string, description?: string): T => schema.meta({ title, ...(description ? { description } : {}) });

export { httpErrorSchema } from '../../systems/contract/http.js';

const signedInFields = {
  userId: z.string(),
  deviceId: z.string(),
  accessToken: z.string(),
  expiresInSec: z.number().int(),
  refreshToken: z.string(),
};

/** `POST /api/auth/device` 200/201. */
export const signedInSchema = named(z.object({ ...signedInFields, isNewUser: z.boolean() }), 'SignedIn');
/** `POST /api/auth/refresh` 200. */
export const refreshedSchema = named(z.object(signedInFields), 'Refreshed');

/** 202 of `POST /api/passport/log`, `/api/passport/batch`, `/event`: committed to Postgres. */
export const ingestAcceptedSchema = named(
  z.object({ accepted: z.number().int().min(1), stored: z.literal(true), eventIds: z.array(z.string()) }),
  'IngestAccepted',
);

/** `GET /tracks/:id/gravity_neighbors` 200 (seed 001 snake_case). */
export const gravityNeighborsSchema = named(
  z.object({
    track_id: z.string(),
    neighbors: z.array(
      named(
        z.object({ track_id: z.string(), artist_id: z.string().nullable(), weight: z.number(), normalized_score: z.number().min(0).max(1), transitions: z.number().int() }),
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
