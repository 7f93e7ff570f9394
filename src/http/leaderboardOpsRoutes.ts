/**
 * Leaderboards in the ops panel, admin token like the rest of /api/ops:
 * - `GET /api/ops/leaderboards?window=day&limit=5` — every static board and the dynamic ones that hold scores
 *   (`votes.<eventId>`, `revenue.<currency>`; at most MAX_DYNAMIC), each with its top rows, plus the last resets.
 * - `POST /api/ops/leaderboards/:leaderboard/reset` with `{"confirm": "<leaderboard>"}` — clears the board in every
 *   window, durably (features/leaderboard/boards.ts); one `ops-audit` log line.
 */
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { LeaderboardStore } from '../../systems/leaderboard/windows.js';
import type { LeaderboardResetLog } from '../../persistence/leaderboard/boardTables.js';
import { readLeaderboard } from '../../features/leaderboard/boards.js';
import { resetLeaderboard, resetTarget } from '../../features/leaderboard/boards.js';
import { STATIC_LEADERBOARDS, leaderboardDefinition, type LeaderboardDefinition } from '../../systems/leaderboard/leaderboards.js';
import { isValidId } from '../../systems/leaderboard/windows.js';
import { LEADERBOARD_WINDOWS } from '../../systems/leaderboard/windows.js';
import { adminOnly, NO_STORE } from './authGates.js';
import { parseWith } from './parse.js';
import { json, NotFoundError, optionalBody, ValidationError, type Route } from './router.js';
import { declareRoutes, mountRoutes } from './declare.js';
import { leaderboardEntrySchema } from './leaderboardRoutes.js';

/** Dynamic boards listed at most (each costs a read); the answer says how many more hold scores. */
export const MAX_DYNAMIC = 50;

/** The list's query and the reset's body. */
export const listQuery = z.strictObject({
  window: z.enum(LEADERBOARD_WINDOWS as [string, ...string[]]).default('day'),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});
export const resetBody = z.strictObject({ confirm: z.string().max(200) });

export interface OpsLeaderboardDeps {
  store: LeaderboardStore;
  resets: Pick<LeaderboardResetLog, 'record' | 'recent'>;
  adminToken: string | undefined;
  /** Receives the audit line of every reset. */
  audit: Pick<Logger, 'info'>;
  /** After a reset (the broadcaster's poke). */
  /** The board was reset (e.g. tell every coliseum, through BoardChanges). */
  onReset?: (leaderboard: string) => void;
  now?: () => number;
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

interface OpsBoardRouteDeps extends OpsLeaderboardDeps {
  now: () => number;
  admin: ReturnType<typeof adminOnly>;
}

/** A reset as the log records it (persistence/leaderboard/boardTables.ts `ResetRecord`). */
const resetRecord = z.object({ id: z.string(), leaderboard: z.string(), resetAt: z.string(), entries: z.number().int() });

/** `GET /api/ops/leaderboards` 200. */
export const opsLeaderboardsSchema = z
  .object({
    window: z.string(),
    limit: z.number().int(),
    generatedAt: z.string(),
    store: z.string(),
    leaderboards: z.array(
      z.object({
        name: z.string(),
        title: z.string(),
        kind: z.string(),
        base: z.string().optional(),
        resettable: z.boolean(),
        entries: z.array(leaderboardEntrySchema),
      }),
    ),
    moreDynamic: z.number().int(),
    resets: z.array(resetRecord),
  })
  .meta({ title: 'OpsLeaderboards' });

export const LEADERBOARD_OPS_ROUTES = declareRoutes<OpsBoardRouteDeps>()([
  {
    operationId: 'opsLeaderboards',
    method: 'GET',
    path: '/api/ops/leaderboards',
    tag: 'ops',
    summary: 'Every leaderboard with its top rows, and the last resets.',
    auth: 'admin',
    query: listQuery,
    responses: { 200: { description: 'The boards.', title: 'OpsLeaderboards', schema: opsLeaderboardsSchema } },
    errors: ['VALIDATION_FAILED'],
    handler: (ctx, deps) =>
      deps.admin(async ({ query }) => {
        const { window, limit } = parseWith(listQuery, Object.fromEntries(query), 'leaderboard list query');
        const at = deps.now();
        const dynamic = (await deps.store.leaderboardIds(1000))
          .filter((id) => !Object.prototype.hasOwnProperty.call(STATIC_LEADERBOARDS, id))
          .map(leaderboardDefinition)
          .filter((d): d is LeaderboardDefinition => d !== null);
        const boards = [...Object.values(STATIC_LEADERBOARDS), ...dynamic.slice(0, MAX_DYNAMIC)];
        const leaderboards = [];
        for (const b of boards) {
          const entries = await readLeaderboard(deps.store, b, window as (typeof LEADERBOARD_WINDOWS)[number], limit, at);
          leaderboards.push({ name: b.name, title: b.title, kind: b.kind, ...(b.base ? { base: b.base } : {}), resettable: b.kind === 'counter', entries });
        }
        return json(
          {
            window,
            limit,
            generatedAt: new Date(at).toISOString(),
            store: deps.store.kind,
            leaderboards,
            moreDynamic: Math.max(0, dynamic.length - MAX_DYNAMIC),
            resets: await deps.resets.recent(20),
          },
          200,
          NO_STORE,
        );
      })(ctx),
  },
  {
    operationId: 'opsResetLeaderboard',
    method: 'POST',
    path: '/api/ops/leaderboards/{leaderboard}/reset',
    tag: 'ops',
    summary: 'Clear a counter leaderboard in every window, durably; the body repeats its id.',
    auth: 'admin',
    request: { title: 'LeaderboardResetRequest', schema: resetBody.meta({ title: 'LeaderboardResetRequest' }) },
    responses: {
      200: {
        description: 'The reset record.',
        title: 'LeaderboardReset',
        schema: resetRecord.extend({ buckets: z.number().int(), durable: z.literal(true) }).meta({ title: 'LeaderboardReset' }),
      },
    },
    errors: ['NOT_FOUND'],
    handler: (ctx, deps) =>
      deps.admin(async (ctx) => {
        const { params } = ctx;
        const name = decode(params.leaderboard ?? '');
        if (!isValidId(name))
          throw new ValidationError('invalid leaderboard id', [
            { field: 'leaderboard', message: 'must be 1–200 characters without whitespace or control characters' },
          ]);
        const { confirm } = parseWith(resetBody, optionalBody(ctx), 'reset body: send {"confirm": "<leaderboard>"}');
        if (confirm !== name) throw new ValidationError('confirm must repeat the leaderboard id', [{ field: 'confirm', message: `expected "${name}"` }]);
        const at = deps.now();
        const target = await resetTarget(deps.store, name, at);
        if ('reason' in target) {
          if (target.reason === 'unknown') throw new NotFoundError(target.message);
          throw new ValidationError(target.message, [{ field: 'leaderboard', message: `derived from ${target.base}` }]);
        }
        const done = await resetLeaderboard({ store: deps.store, record: deps.resets, onReset: deps.onReset }, name, at);
        deps.audit.info(
          { audit: true, action: 'reset_leaderboard', leaderboard: name, entries: done.entries, buckets: done.buckets, resetId: done.id },
          'operator reset a leaderboard',
        );
        return json({ ...done, durable: true }, 200, NO_STORE);
      })(ctx),
  },
]);

/** The ops leaderboard routes, served. */
export function leaderboardOpsRoutes(deps: OpsLeaderboardDeps): Route[] {
  return mountRoutes(LEADERBOARD_OPS_ROUTES, { ...deps, now: deps.now ?? Date.now, admin: adminOnly(deps.adminToken) });
}
