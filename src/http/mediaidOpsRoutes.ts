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
import { dnaView } from './mediaidRoutes.js';

/** Rows of a DIA lookup and of a similar-users list unless the query asks. */
const LOOKUP_ROWS = 20;
const SIMILAR_ROWS = 10;

const NO_STORE = { 'cache-control': 'no-store' };
/** Query schemas of the DIA routes (exported for the contract). */
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

export function mediaidOpsRoutes(deps: DiaDnaDeps): Route[] {
  const now = deps.now ?? Date.now;
  const admin = (method: Route['method'], path: string, handler: Route['handler']): Route =>
    withBearerChallenge({ method, path, handler: async (ctx) => (await requireAdmin(deps.auth, ctx.request), handler(ctx)) });

  const userView = async (userId: string) => {
    const [record, stored] = await Promise.all([deps.store.get(userId), deps.dna.dnaOf(userId)]);
    if (!record) throw new NotFoundError(`no user ${userId}`);
    await deps.index.ensureFresh();
    const similar = deps.index.similar(profileEmbedding(record.inputs, stored?.dynamic ?? null, now(), deps.settings), 5, userId);
    return { ...dnaView(record, stored, deps.settings, now()), similar, index: { users: deps.index.size, truncated: deps.index.truncated } };
  };

  return [
    admin('GET', '/api/ops/dna/users', async ({ query }) => {
      const q = parseWith(lookupQuery, Object.fromEntries(query), 'query');
      const users = await deps.dna.lookup(q.q, q.limit ?? LOOKUP_ROWS);
      const hint = q.q.length < MIN_LOOKUP_CHARS ? `searches need at least ${MIN_LOOKUP_CHARS} characters (a shorter prefix would match a large share of all users)` : undefined;
      return json({ users, ...(hint ? { hint } : {}) }, 200, NO_STORE);
    }),
    admin('GET', '/api/ops/dna/users/:userId', async ({ params }) => json(await userView(uuidParam(params.userId, 'userId')), 200, NO_STORE)),
    admin('GET', '/api/ops/dna/users/:userId/similar', async ({ params, query }) => {
      const userId = uuidParam(params.userId, 'userId');
      const q = parseWith(similarQuery, Object.fromEntries(query), 'query');
      const [record, stored] = await Promise.all([deps.store.get(userId), deps.dna.dnaOf(userId)]);
      if (!record) throw new NotFoundError(`no user ${userId}`);
      await deps.index.ensureFresh();
      const started = performance.now();
      const users = deps.index.similar(profileEmbedding(record.inputs, stored?.dynamic ?? null, now(), deps.settings), q.limit ?? SIMILAR_ROWS, userId);
      return json({ users, scannedUsers: deps.index.size, truncated: deps.index.truncated, scanMs: Math.round((performance.now() - started) * 100) / 100 }, 200, NO_STORE);
    }),
    admin('POST', '/api/ops/dna/users/:userId/recompute', async ({ params }) => {
      const userId = uuidParam(params.userId, 'userId');
      if (!(await deps.store.get(userId))) throw new NotFoundError(`no user ${userId}`);
      const result = await deps.dna.recompute(userId, deps.settings.recomputeMaxEvents);
      return json({ recomputed: { ...result, at: new Date(now()).toISOString() }, ...(await userView(userId)) }, 200, NO_STORE);
    }),
    admin('GET', '/api/ops/dna/users/:userId/passport', async ({ params, query }) => {
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
      return new Response(body, { status: 200, headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'content-disposition': `attachment; filename="passport-${userId}.jsonl"`, ...NO_STORE } });
    }),
  ];
}
