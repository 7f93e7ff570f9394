/** Custom leaderboard management in /ops; deleting keeps the base board's scores. Every change writes one `ops-audit` line. */
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { type LeaderboardStore, LEADERBOARD_WINDOWS } from '../../systems/leaderboard/windows.js';
import { customLeaderboardFields } from '../../systems/leaderboard/customBoards.js';
import { COUNTER_BASES, CUSTOM_PREFIX, MAX_LINEUP, readCustomLeaderboard, type CustomLeaderboard } from '../../features/leaderboard/boards.js';
import type { CustomLeaderboardStore } from '../../persistence/leaderboard/boardTables.js';
import { AppError } from '../../systems/errors.js';
import type { AdminGate } from './authGates.js';
import { NotFoundError } from './errors.js';
import { reply, routeOf } from './route.js';
import { leaderboardEntrySchema } from './leaderboardRoutes.js';

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

interface CustomLeaderboardOpsDeps {
  store: LeaderboardStore;
  boards: CustomLeaderboardStore;
  admin: AdminGate;
  audit: Pick<Logger, 'info'>;
  now: () => number;
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

const route = routeOf<CustomLeaderboardOpsDeps>('ops');
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
  route('GET /api/ops/custom-leaderboards', {
    operationId: 'opsCustomLeaderboards',
    summary:
      'Leaderboards operators defined, each with its top 10 rows (from the counter board it names, or its line-up ranked among itself), and the counter boards one may rank by.',
    auth: 'admin',
    responses: {
      200: {
        description: '`{ leaderboards, bases }`.',
        schema: z.object({ leaderboards: z.array(customLeaderboardSchema), bases: z.array(z.string()) }).meta({ title: 'CustomLeaderboards' }),
      },
    },
    handler: async (_ctx, deps) => ({ leaderboards: await Promise.all((await deps.boards.list()).map((b) => withRows(deps, b))), bases: COUNTER_BASES }),
  }),
  route('POST /api/ops/custom-leaderboards', {
    operationId: 'opsCreateCustomLeaderboard',
    summary:
      'Create a leaderboard: title, counter board, window and an optional line-up of up to 50 entities; the id is `custom.<slug>` (from the title when absent). One audit log line.',
    auth: 'admin',
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
  route('PUT /api/ops/custom-leaderboards/{id}', {
    operationId: 'opsEditCustomLeaderboard',
    summary: 'Replace a custom leaderboard’s title, counter board, window and line-up (its id stays). One audit log line.',
    auth: 'admin',
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
  route('DELETE /api/ops/custom-leaderboards/{id}', {
    operationId: 'opsDeleteCustomLeaderboard',
    summary: 'Delete a custom leaderboard (the counter board’s scores stay). One audit log line.',
    auth: 'admin',
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
