/**
 * Leaderboards in the ops panel: every board with its top rows and the last resets, a durable reset, and the custom
 * boards operators define (deleting one keeps the base board's scores). Every change writes one `ops-audit` line.
 */
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { type LeaderboardStore, LEADERBOARD_WINDOWS } from '../../systems/leaderboard/windows.js';
import type { CustomLeaderboardStore, LeaderboardResetLog } from '../../persistence/leaderboard/boardTables.js';
import { customLeaderboardFields } from '../../systems/leaderboard/rollupMetrics.js';
import {
  COUNTER_BASES,
  CUSTOM_PREFIX,
  MAX_LINEUP,
  readCustomLeaderboard,
  readLeaderboard,
  resetLeaderboard,
  resetTarget,
  type CustomLeaderboard,
  type ResetDeps,
} from '../../features/leaderboard/boards.js';
import { STATIC_LEADERBOARDS, leaderboardDefinition, type LeaderboardDefinition } from '../../systems/leaderboard/leaderboards.js';
import { AppError } from '../../systems/errors.js';
import type { AdminGate } from './authGates.js';
import { NotFoundError, ValidationError } from './errors.js';
import { reply, routeOf } from './route.js';
import { boardId, leaderboardEntrySchema, leaderboardListSchema } from './leaderboardRoutes.js';

/** Dynamic boards listed at most (each costs a read); the answer says how many more hold scores. */
export const MAX_DYNAMIC = 50;

/** The list's query and the reset's body. */
export const listQuery = z.strictObject({ window: z.enum(LEADERBOARD_WINDOWS).default('day'), limit: z.coerce.number().int().min(1).max(20).default(5) });
export const resetBody = z.strictObject({ confirm: z.string().max(200) }).meta({ title: 'LeaderboardResetRequest' });

interface OpsDeps {
  store: LeaderboardStore;
  admin: AdminGate;
  /** Receives the audit line of every change. */
  audit: Pick<Logger, 'info'>;
  now: () => number;
}
interface OpsLeaderboardDeps extends OpsDeps, Pick<ResetDeps, 'onReset'> {
  resets: Pick<LeaderboardResetLog, 'record' | 'recent'>;
}
const route = routeOf<OpsLeaderboardDeps>('ops', 'admin');

/** A reset as the log records it (persistence/leaderboard/boardTables.ts `ResetRecord`). */
const resetRecord = z.object({ id: z.string(), leaderboard: z.string(), resetAt: z.string(), entries: z.number().int() });

/** `GET /api/ops/leaderboards` 200. */
export const opsLeaderboardsSchema = z
  .object({
    window: z.string(),
    limit: z.number().int(),
    generatedAt: z.string(),
    store: z.string(),
    leaderboards: z.array(leaderboardListSchema.shape.leaderboards.element.extend({ resettable: z.boolean(), entries: z.array(leaderboardEntrySchema) })),
    moreDynamic: z.number().int(),
    resets: z.array(resetRecord),
  })
  .meta({ title: 'OpsLeaderboards' });

export const LEADERBOARD_OPS_ROUTES = [
  route('GET /api/ops/leaderboards', {
    operationId: 'opsLeaderboards',
    summary: 'Every leaderboard with its top rows, and the last resets.',
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
      const [generatedAt, moreDynamic] = [new Date(at).toISOString(), Math.max(0, dynamic.length - MAX_DYNAMIC)];
      return { window, limit, generatedAt, store: deps.store.kind, leaderboards, moreDynamic, resets: await deps.resets.recent(20) };
    },
  }),
  route('POST /api/ops/leaderboards/{leaderboard}/reset', {
    operationId: 'opsResetLeaderboard',
    summary: 'Clear a counter leaderboard in every window, durably; the body repeats its id.',
    params: z.object({ leaderboard: boardId }),
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

/** Rows listed per board on the ops page. */
const ROWS = 10;
const SLUG = /^[a-z0-9][a-z0-9-]{0,47}$/;

/** The create/edit body. */
export const customLeaderboardBody = z
  .strictObject({
    id: z
      .string()
      .regex(
        new RegExp(`^${CUSTOM_PREFIX.replace('.', '\\.')}[a-z0-9][a-z0-9-]{0,47}$`),
        `must be "${CUSTOM_PREFIX}" and 1–48 lower-case letters, digits or dashes`,
      )
      .optional(),
    title: z.string().trim().min(1).max(80),
    base: z.enum(COUNTER_BASES as [string, ...string[]]),
    window: z.enum(LEADERBOARD_WINDOWS).default('day'),
    entityIds: z
      .array(z.string().trim().min(1).max(200))
      .max(MAX_LINEUP)
      .default([])
      .transform((ids) => [...new Set(ids)]),
  })
  .meta({ title: 'CustomLeaderboardRequest' });

interface CustomLeaderboardOpsDeps extends OpsDeps {
  boards: CustomLeaderboardStore;
}

/** `custom.<slug of the title>`, or null when the title has no letter or digit to make one from. */
function idFromTitle(title: string): string | null {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return SLUG.test(slug) ? `${CUSTOM_PREFIX}${slug}` : null;
}

const customRoute = routeOf<CustomLeaderboardOpsDeps>('ops', 'admin');
const withRows = async (deps: CustomLeaderboardOpsDeps, b: CustomLeaderboard) => ({
  ...b,
  entries: await readCustomLeaderboard(deps.store, b, ROWS, deps.now()),
});
const notFound = (id: string) => new NotFoundError(`no custom leaderboard "${id.slice(0, 80)}"; GET /api/ops/custom-leaderboards lists them`);
const board = z.object({ id: z.string() });

/** A custom board with its top rows (features/leaderboard/boards.ts). */
export const customLeaderboardSchema = customLeaderboardFields.extend({ entries: z.array(leaderboardEntrySchema) }).meta({ title: 'CustomLeaderboard' });
const answer = (description: string) => ({ description, schema: customLeaderboardSchema });

export const CUSTOM_LEADERBOARD_ROUTES = [
  customRoute('GET /api/ops/custom-leaderboards', {
    operationId: 'opsCustomLeaderboards',
    summary:
      'Leaderboards operators defined, each with its top 10 rows (from the counter board it names, or its line-up ranked among itself), and the counter boards one may rank by.',
    responses: {
      200: {
        description: '`{ leaderboards, bases }`.',
        schema: z.object({ leaderboards: z.array(customLeaderboardSchema), bases: z.array(z.string()) }).meta({ title: 'CustomLeaderboards' }),
      },
    },
    handler: async (_ctx, deps) => ({ leaderboards: await Promise.all((await deps.boards.list()).map((b) => withRows(deps, b))), bases: COUNTER_BASES }),
  }),
  customRoute('POST /api/ops/custom-leaderboards', {
    operationId: 'opsCreateCustomLeaderboard',
    summary:
      'Create a leaderboard: title, counter board, window and an optional line-up of up to 50 entities; the id is `custom.<slug>` (from the title when absent). One audit log line.',
    body: customLeaderboardBody,
    responses: { 201: answer('The leaderboard with its rows; Location names it.') },
    errors: ['CONFLICT'],
    handler: async ({ body }, deps) => {
      const id = body.id ?? idFromTitle(body.title);
      if (!id)
        throw new AppError('VALIDATION_FAILED', 'the title has no letter or digit to make an id from; send an id ("custom.<slug>")', [
          { field: 'id', message: 'required for this title' },
        ]);
      const created = await deps.boards.create({ ...body, id });
      if (!created) throw new AppError('CONFLICT', `a custom leaderboard "${id}" exists already; edit it (PUT) or send another id`);
      deps.audit.info({ audit: true, action: 'create_leaderboard', leaderboard: id, base: body.base }, 'operator created a leaderboard');
      return reply(201, await withRows(deps, created), { location: `/api/ops/custom-leaderboards/${encodeURIComponent(id)}` });
    },
  }),
  customRoute('PUT /api/ops/custom-leaderboards/{id}', {
    operationId: 'opsEditCustomLeaderboard',
    summary: 'Replace a custom leaderboard’s title, counter board, window and line-up (its id stays). One audit log line.',
    params: board,
    body: customLeaderboardBody,
    responses: { 200: answer('The leaderboard with its rows.') },
    errors: ['NOT_FOUND'],
    handler: async ({ params: { id }, body: { id: bodyId, ...body } }, deps) => {
      if (bodyId && bodyId !== id)
        throw new AppError('VALIDATION_FAILED', 'a custom leaderboard keeps its id: create a new one to rename it', [
          { field: 'id', message: `expected "${id}" or nothing` },
        ]);
      const updated = await deps.boards.update(id, body);
      if (!updated) throw notFound(id);
      deps.audit.info({ audit: true, action: 'edit_leaderboard', leaderboard: id, base: body.base }, 'operator edited a leaderboard');
      return withRows(deps, updated);
    },
  }),
  customRoute('DELETE /api/ops/custom-leaderboards/{id}', {
    operationId: 'opsDeleteCustomLeaderboard',
    summary: 'Delete a custom leaderboard (the counter board’s scores stay). One audit log line.',
    params: board,
    responses: {
      200: {
        description: '`{ id, deleted: true }`.',
        schema: z.object({ id: z.string(), deleted: z.literal(true) }).meta({ title: 'CustomLeaderboardDeleted' }),
      },
    },
    errors: ['NOT_FOUND'],
    handler: async ({ params: { id } }, deps) => {
      if (!(await deps.boards.remove(id))) throw notFound(id);
      deps.audit.info({ audit: true, action: 'delete_leaderboard', leaderboard: id }, 'operator deleted a leaderboard');
      return { id, deleted: true as const };
    },
  }),
];
