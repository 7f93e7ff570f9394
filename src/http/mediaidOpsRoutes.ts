/**
 * DIA (seed 002 "V1 dashboard goals"), MediaID part, admin token:
 * - `GET /api/ops/dna/users?q=` — find a user by id, device id prefix, email or display name prefix
 *   (4+ characters: a shorter prefix would list a large share of all users; see docs/FEATURES.md "MediaID DNA, DIA and Coliseum reports").
 * - `GET /api/ops/dna/users/:userId` — MediaID inputs, ATGC bases, DNA by domain, best matching users.
 * - `POST /api/ops/dna/users/:userId/recompute` — rebuild the user's DNA from their passport now.
 * - `GET /api/ops/dna/users/:userId/history` — the user's DNA evolution (snapshots, bounded).
 * - `GET /api/ops/dna/users/:userId/passport` — the user's passport as JSON lines (bounded).
 * Timestamps are ISO 8601 (UTC) everywhere.
 */
import { z } from 'zod';
import type { MediaIdProfiles } from '../../features/mediaid/MediaIdProfiles.js';
import { type RequestAuth, requireAdmin, withBearerChallenge } from './authGates.js';
import { parseWith, uuidParam } from './parse.js';
import { json, NotFoundError, type Route } from './router.js';
import { dnaViewSchema } from './mediaidRoutes.js';
import { declareRoutes, mountRoutes, type RouteDeclaration } from './declare.js';
import type { ErrorCode } from '../../systems/httpContract.js';

/** Rows of a DIA lookup and of a similar-users list unless the query asks: what the routes answer by default, part of their contract, not a setting. */
const LOOKUP_ROWS = 20;
const SIMILAR_ROWS = 10;
/** Snapshots of a DNA timeline unless the query asks (at most DNA_HISTORY_MAX_PER_USER are kept anyway). */
const HISTORY_ROWS = 50;

const NO_STORE = { 'cache-control': 'no-store' };
/** Query schemas of the DIA routes. */
export const lookupQuery = z.strictObject({ q: z.string().trim().min(1).max(254), limit: z.coerce.number().int().min(1).max(100).optional() });
export const similarQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).optional() });
export const exportQuery = z.strictObject({ limit: z.coerce.number().int().min(1).optional() });
export const historyQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(10_000).optional() });

const byDomain = <T extends z.ZodType>(t: T) => z.object({ cultural: t, behavioral: t, economic: t, spatial: t });
/** `GET /api/ops/dna/users/{userId}/history` 200. */
export const dnaHistorySchema = z
  .object({
    userId: z.string(),
    kept: z.number().int(),
    entries: z.array(
      z.object({
        id: z.string(),
        takenAt: z.string(),
        trigger: z.enum(['recompute', 'mirroring']),
        asOf: z.string(),
        signals: z.number(),
        newSignals: z.number().nullable(),
        strength: byDomain(z.number()),
        drift: byDomain(z.number().nullable()).nullable(),
      }),
    ),
  })
  .meta({ title: 'DiaDnaHistory' });

export interface DiaDnaDeps {
  profiles: MediaIdProfiles;
  auth: RequestAuth;
}

/** A user DNA search hit and a similar user (features/mediaid/MediaIdProfiles.ts, features/mediaid/DnaIndex.ts). */
const dnaUser = z.object({
  id: z.string(),
  deviceId: z.string(),
  displayName: z.string().nullable(),
  email: z.string().nullable(),
  matchedBy: z.enum(['id', 'device', 'email', 'displayName']),
  lastSeenAt: z.string(),
});
const similarUser = z.object({ userId: z.string(), score: z.number() });

/** `GET /api/ops/dna/users/{userId}` 200: the MediaID view, the closest users and the index's size. */
export const diaDnaViewSchema = dnaViewSchema
  .extend({ similar: z.array(similarUser.extend({ name: z.string().nullable() })), index: z.object({ users: z.number().int(), truncated: z.boolean() }) })
  .meta({ title: 'DiaDnaView' });

/** What a profile read found, or NOT_FOUND: the features answer null for a user that does not exist. */
const found = <T>(value: T | null, userId: string): T => {
  if (value === null) throw new NotFoundError(`no user ${userId}`);
  return value;
};

type DiaHandler = RouteDeclaration<DiaDnaDeps>['handler'];
/** Admin token only (a user's token is 403), then the handler. */
const admin =
  (handler: DiaHandler): DiaHandler =>
  async (ctx, deps) => (await requireAdmin(deps.auth, ctx.request), handler(ctx, deps));
const ERRORS: ErrorCode[] = ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'];

export const DIA_DNA_ROUTES = declareRoutes<DiaDnaDeps>()([
  {
    operationId: 'dnaFindUsers',
    method: 'GET',
    path: '/api/ops/dna/users',
    tag: 'ops',
    summary: 'DIA: find a user by id, device id prefix, email or display-name prefix (4+ characters).',
    auth: 'admin',
    query: lookupQuery,
    responses: {
      200: {
        description: '`{ users, hint? }`.',
        title: 'DiaDnaUsers',
        schema: z.object({ users: z.array(dnaUser), hint: z.string().optional() }).meta({ title: 'DiaDnaUsers' }),
      },
    },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN'],
    handler: admin(async ({ query }, deps) => {
      const q = parseWith(lookupQuery, Object.fromEntries(query), 'query');
      return json(await deps.profiles.lookup(q.q, q.limit ?? LOOKUP_ROWS), 200, NO_STORE);
    }),
  },
  {
    operationId: 'dnaUser',
    method: 'GET',
    path: '/api/ops/dna/users/{userId}',
    tag: 'ops',
    summary: "DIA: a user's MediaID inputs, bases, DNA by domain and the best matching users.",
    auth: 'admin',
    responses: { 200: { description: 'The DNA view.', title: 'DiaDnaView', schema: diaDnaViewSchema } },
    errors: ERRORS,
    handler: admin(async ({ params }, deps) => {
      const userId = uuidParam(params.userId, 'userId');
      return json(found(await deps.profiles.diaView(userId), userId), 200, NO_STORE);
    }),
  },
  {
    operationId: 'dnaSimilar',
    method: 'GET',
    path: '/api/ops/dna/users/{userId}/similar',
    tag: 'ops',
    summary: 'DIA: the users whose DNA is closest.',
    auth: 'admin',
    query: similarQuery,
    responses: {
      200: {
        description: '`{ users, scannedUsers, truncated, scanMs }`.',
        title: 'DiaSimilarUsers',
        schema: z
          .object({ users: z.array(similarUser), scannedUsers: z.number().int(), truncated: z.boolean(), scanMs: z.number() })
          .meta({ title: 'DiaSimilarUsers' }),
      },
    },
    errors: ERRORS,
    handler: admin(async ({ params, query }, deps) => {
      const userId = uuidParam(params.userId, 'userId');
      const q = parseWith(similarQuery, Object.fromEntries(query), 'query');
      return json(found(await deps.profiles.similarTo(userId, q.limit ?? SIMILAR_ROWS), userId), 200, NO_STORE);
    }),
  },
  {
    operationId: 'dnaRecompute',
    method: 'POST',
    path: '/api/ops/dna/users/{userId}/recompute',
    tag: 'ops',
    summary: "DIA: rebuild the user's DNA from their passport now.",
    auth: 'admin',
    responses: {
      200: {
        description: 'What was recomputed, and the DNA view.',
        title: 'DiaDnaRecomputed',
        schema: diaDnaViewSchema.extend({ recomputed: z.looseObject({ at: z.string() }) }).meta({ title: 'DiaDnaRecomputed' }),
      },
    },
    errors: ERRORS,
    handler: admin(async ({ params }, deps) => {
      const userId = uuidParam(params.userId, 'userId');
      return json(found(await deps.profiles.recompute(userId), userId), 200, NO_STORE);
    }),
  },
  {
    operationId: 'dnaHistory',
    method: 'GET',
    path: '/api/ops/dna/users/{userId}/history',
    tag: 'ops',
    summary:
      "DIA: the user's DNA evolution, newest first — a snapshot per recompute and, at most once per DNA_HISTORY_MIN_INTERVAL_SEC, per mirroring that changed it (at most DNA_HISTORY_MAX_PER_USER kept): strength per domain and the drift since the snapshot before (query `limit`).",
    auth: 'admin',
    query: historyQuery,
    responses: { 200: { description: 'The timeline.', title: 'DiaDnaHistory', schema: dnaHistorySchema } },
    errors: ERRORS,
    handler: admin(async ({ params, query }, deps) => {
      const userId = uuidParam(params.userId, 'userId');
      const q = parseWith(historyQuery, Object.fromEntries(query), 'query');
      return json(found(await deps.profiles.history(userId, q.limit ?? HISTORY_ROWS), userId), 200, NO_STORE);
    }),
  },
  {
    operationId: 'dnaPassportExport',
    method: 'GET',
    path: '/api/ops/dna/users/{userId}/passport',
    tag: 'ops',
    summary: "DIA: the user's passport as JSON lines, oldest first (bounded by DNA_EXPORT_MAX_ROWS).",
    auth: 'admin',
    query: exportQuery,
    responses: {
      200: {
        description: 'One passport entry per line; a last `{"truncated": true, ...}` line when the bound was reached.',
        contentType: 'application/x-ndjson',
      },
    },
    errors: ERRORS,
    handler: admin(async ({ params, query }, deps) => {
      const userId = uuidParam(params.userId, 'userId');
      const q = parseWith(exportQuery, Object.fromEntries(query), 'query');
      const lines = found(await deps.profiles.exportPassport(userId, q.limit), userId);
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await lines.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        },
        async cancel() {
          await lines.return(undefined);
        },
      });
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': 'application/x-ndjson; charset=utf-8',
          'content-disposition': `attachment; filename="passport-${userId}.jsonl"`,
          ...NO_STORE,
        },
      });
    }),
  },
]);

/** The DIA DNA routes, served. */
export function mediaidOpsRoutes(deps: DiaDnaDeps): Route[] {
  return mountRoutes(DIA_DNA_ROUTES, deps, withBearerChallenge);
}
