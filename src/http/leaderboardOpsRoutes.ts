/** Leaderboards in the ops panel: every board with its top rows and the last resets, and a durable reset (one `ops-audit` line). */
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { type LeaderboardStore, isValidId, LEADERBOARD_WINDOWS } from '../../systems/leaderboard/windows.js';
import type { LeaderboardResetLog } from '../../persistence/leaderboard/boardTables.js';
import { readLeaderboard, resetLeaderboard, resetTarget } from '../../features/leaderboard/boards.js';
import { STATIC_LEADERBOARDS, leaderboardDefinition, type LeaderboardDefinition } from '../../systems/leaderboard/leaderboards.js';
import type { AdminGate } from './authGates.js';
import { NotFoundError, ValidationError } from './errors.js';
import { routeOf } from './route.js';
import { leaderboardEntrySchema } from './leaderboardRoutes.js';

/** Dynamic boards listed at most (each costs a read); the answer says how many more hold scores. */
export const MAX_DYNAMIC = 50;

/** The list's query and the reset's body. */
export const listQuery = z.strictObject({ window: z.enum(LEADERBOARD_WINDOWS).default('day'), limit: z.coerce.number().int().min(1).max(20).default(5) });
export const resetBody = z.strictObject({ confirm: z.string().max(200) }).meta({ title: 'LeaderboardResetRequest' });

interface OpsLeaderboardDeps {
  store: LeaderboardStore;
  resets: Pick<LeaderboardResetLog, 'record' | 'recent'>;
  admin: AdminGate;
  /** Receives the audit line of every reset. */
  audit: Pick<Logger, 'info'>;
  /** The board was reset (e.g. tell every coliseum, through BoardChanges). */
  onReset?: (leaderboard: string) => void;
  now: () => number;
}
const route = routeOf<OpsLeaderboardDeps>('ops');

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

export const LEADERBOARD_OPS_ROUTES = [
  route('GET /api/ops/leaderboards', {
    operationId: 'opsLeaderboards',
    summary: 'Every leaderboard with its top rows, and the last resets.',
    auth: 'admin',
    query: listQuery,
    responses: { 200: { description: 'The boards.', schema: opsLeaderboardsSchema } },
    handler: async ({ query: { window, limit } }, deps) => {
      const at = deps.now();
      const dynamic = (await deps.store.leaderboardIds(1000))
        .filter((id) => !Object.prototype.hasOwnProperty.call(STATIC_LEADERBOARDS, id))
        .map(leaderboardDefinition)
        .filter((d): d is LeaderboardDefinition => d !== null);
      const leaderboards = [];
      for (const b of [...Object.values(STATIC_LEADERBOARDS), ...dynamic.slice(0, MAX_DYNAMIC)]) {
        const entries = await readLeaderboard(deps.store, b, window, limit, at);
        leaderboards.push({ name: b.name, title: b.title, kind: b.kind, ...(b.base ? { base: b.base } : {}), resettable: b.kind === 'counter', entries });
      }
      const moreDynamic = Math.max(0, dynamic.length - MAX_DYNAMIC);
      return {
        window,
        limit,
        generatedAt: new Date(at).toISOString(),
        store: deps.store.kind,
        leaderboards,
        moreDynamic,
        resets: await deps.resets.recent(20),
      };
    },
  }),
  route('POST /api/ops/leaderboards/{leaderboard}/reset', {
    operationId: 'opsResetLeaderboard',
    summary: 'Clear a counter leaderboard in every window, durably; the body repeats its id.',
    auth: 'admin',
    params: z.object({ leaderboard: z.string().refine(isValidId, 'must be 1–200 characters without whitespace or control characters') }),
    body: resetBody,
    responses: {
      200: {
        description: 'The reset record.',
        schema: resetRecord.extend({ buckets: z.number().int(), durable: z.literal(true) }).meta({ title: 'LeaderboardReset' }),
      },
    },
    errors: ['NOT_FOUND'],
    handler: async ({ params: { leaderboard: name }, body: { confirm } }, deps) => {
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
      return { ...done, durable: true as const };
    },
  }),
];
