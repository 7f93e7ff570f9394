/**
 * DIA (seed 002 "V1 dashboard goals"), MediaID part, admin token:
 * - `GET /api/ops/dna/users?q=` — find a user by id, device id prefix, email or display name prefix
 *   (4+ characters: a shorter prefix would list a large share of all users; see docs/FEATURES.md "MediaID DNA, DIA and Coliseum reports").
 * - `GET /api/ops/dna/users/:userId` — MediaID inputs, ATGC bases, DNA by domain, best matching users.
 * - `POST /api/ops/dna/users/:userId/recompute` — rebuild the user's DNA from their passport now.
 * - `GET /api/ops/dna/users/:userId/passport` — the user's passport as JSON lines (bounded).
 * Timestamps are ISO 8601 (UTC) everywhere.
 */
import { z } from 'zod';
import type { DnaIndex } from '../../features/mediaid/DnaIndex.js';
import { MIN_LOOKUP_CHARS, type DnaRepository } from '../../persistence/mediaid/DnaRepository.js';
import type { MediaIdStore } from '../../persistence/mediaid/MediaIdStore.js';
import { profileEmbedding, type DnaSettings } from '../../systems/mediaid/dna.js';
import { withBearerChallenge, type RequestAuth } from './requireUser.js';
import { json, NotFoundError, type Route } from './router.js';
import { parseWith, requireAdmin, uuidParam } from './mediaidAuth.js';
import { dnaView, dnaViewSchema } from './mediaidRoutes.js';
import { declareRoutes, mountRoutes, type RouteDeclaration } from './declare.js';
import type { ErrorCode } from '../../systems/httpContract.js';

/** Rows of a DIA lookup and of a similar-users list unless the query asks. */
const LOOKUP_ROWS = 20;
const SIMILAR_ROWS = 10;

const NO_STORE = { 'cache-control': 'no-store' };
/** Query schemas of the DIA routes. */
export const lookupQuery = z.strictObject({ q: z.string().trim().min(1).max(254), limit: z.coerce.number().int().min(1).max(100).optional() });
export const similarQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).optional() });
export const exportQuery = z.strictObject({ limit: z.coerce.number().int().min(1).optional() });

export interface DiaDnaDeps {
  store: MediaIdStore;
  dna: DnaRepository;
  index: DnaIndex;
  auth: RequestAuth;
  settings: DnaSettings & { halfLifeDays: number; recomputeMaxEvents: number; exportMaxRows: number };
  now?: () => number;
}

/** A user DNA search hit and a similar user (persistence/mediaid, features/mediaid/DnaIndex). */
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
  .extend({ similar: z.array(similarUser), index: z.object({ users: z.number().int(), truncated: z.boolean() }) })
  .meta({ title: 'DiaDnaView' });

interface DiaRouteDeps extends DiaDnaDeps {
  now: () => number;
  userView(userId: string): Promise<ReturnType<typeof dnaView> & { similar: unknown[]; index: { users: number; truncated: boolean } }>;
}

type DiaHandler = RouteDeclaration<DiaRouteDeps>['handler'];
/** Admin token only (a user's token is 403), then the handler. */
const admin =
  (handler: DiaHandler): DiaHandler =>
  async (ctx, deps) => (await requireAdmin(deps.auth, ctx.request), handler(ctx, deps));
const ERRORS: ErrorCode[] = ['VALIDATION_FAILED', 'FORBIDDEN', 'NOT_FOUND'];

export const DIA_DNA_ROUTES = declareRoutes<DiaRouteDeps>()([
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
      const users = await deps.dna.lookup(q.q, q.limit ?? LOOKUP_ROWS);
      const hint =
        q.q.length < MIN_LOOKUP_CHARS
          ? `searches need at least ${MIN_LOOKUP_CHARS} characters (a shorter prefix would match a large share of all users)`
          : undefined;
      return json({ users, ...(hint ? { hint } : {}) }, 200, NO_STORE);
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
    handler: admin(async ({ params }, deps) => json(await deps.userView(uuidParam(params.userId, 'userId')), 200, NO_STORE)),
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
      const [record, stored] = await Promise.all([deps.store.get(userId), deps.dna.dnaOf(userId)]);
      if (!record) throw new NotFoundError(`no user ${userId}`);
      await deps.index.ensureFresh();
      const started = performance.now();
      const users = deps.index.similar(profileEmbedding(record.inputs, stored?.dynamic ?? null, deps.now(), deps.settings), q.limit ?? SIMILAR_ROWS, userId);
      return json(
        { users, scannedUsers: deps.index.size, truncated: deps.index.truncated, scanMs: Math.round((performance.now() - started) * 100) / 100 },
        200,
        NO_STORE,
      );
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
      if (!(await deps.store.get(userId))) throw new NotFoundError(`no user ${userId}`);
      const result = await deps.dna.recompute(userId, deps.settings.recomputeMaxEvents);
      return json({ recomputed: { ...result, at: new Date(deps.now()).toISOString() }, ...(await deps.userView(userId)) }, 200, NO_STORE);
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
      if (!(await deps.store.get(userId))) throw new NotFoundError(`no user ${userId}`);
      const lines = deps.dna.exportPassport(userId, Math.min(q.limit ?? deps.settings.exportMaxRows, deps.settings.exportMaxRows));
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
  const now = deps.now ?? Date.now;
  const userView = async (userId: string) => {
    const [record, stored] = await Promise.all([deps.store.get(userId), deps.dna.dnaOf(userId)]);
    if (!record) throw new NotFoundError(`no user ${userId}`);
    await deps.index.ensureFresh();
    const similar = deps.index.similar(profileEmbedding(record.inputs, stored?.dynamic ?? null, now(), deps.settings), 5, userId);
    return { ...dnaView(record, stored, deps.settings, now()), similar, index: { users: deps.index.size, truncated: deps.index.truncated } };
  };
  return mountRoutes(DIA_DNA_ROUTES, { ...deps, now, userView }, withBearerChallenge);
}
