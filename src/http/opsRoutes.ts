import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { opsMonitorRoutes } from './opsMonitorRoutes.js';
import type { OpsMonitor } from '../../features/ops/OpsMonitor.js';
import type { Logger } from '../logger.js';
import type { LogTail } from '../../features/ops/logTail.js';
import type { HistoryPoint, OpsSystemCounts } from '../../features/ops/types.js';
import { MAX_CLOCK_SKEW_MS } from '../../systems/passport/events.js';
import { uuidSchema } from '../../systems/passport/index.js';
import { adminGate, type AdminGate } from './authGates.js';
import { found, NotFoundError, ValidationError } from './errors.js';
import { intQuery, mount, routeOf, type Route } from './route.js';
import {
  opsActivitySchema,
  opsHistorySchema,
  opsLogsSchema,
  opsOverviewSchema,
  opsRoomSchema,
  opsRoomsSchema,
  opsSystemCountsSchema,
  opsTimelineSchema,
  opsUserDetailSchema,
  opsUsersSchema,
} from '../../systems/ops/answers.js';

const SYSTEM_COUNTS_TTL_MS = 5000;
/** Users a list page and a search answer unless `limit` says: part of the routes' contract, not settings. */
const LIST_ROWS = 50;
const SEARCH_ROWS = 20;
const EVENT_TYPE = /^[a-z0-9_.-]{1,64}$/i;

/** What the ops handlers share; the DIA system counts are cached SYSTEM_COUNTS_TTL_MS. */
function opsDeps(
  ops: OpsMonitor,
  adminToken: string | undefined,
  audit: Pick<Logger, 'info'>,
  logTail?: LogTail,
  longHistory?: { since(sinceMs: number): Promise<HistoryPoint[]> },
  /** When omitted (tests of the other routes), the feed looks back as far as the passport's clock skew allows. */
  options: { activityWindowSec: number } = { activityWindowSec: MAX_CLOCK_SKEW_MS / 1000 },
) {
  const now = ops.sources.now ?? Date.now;
  // A failed read is not cached (lru-cache drops a rejected fetch); concurrent reads share one.
  const counts = new LRUCache<0, OpsSystemCounts>({ max: 1, ttl: SYSTEM_COUNTS_TTL_MS, fetchMethod: () => ops.sources.dia.systemCounts(now()) });
  const systemCounts = async (): Promise<OpsSystemCounts> => (await counts.fetch(0))!;
  const admin: AdminGate = adminGate(adminToken);
  return { ops, sources: ops.sources, adminToken, admin, audit, now, logTail, longHistory, systemCounts, activityWindowSec: options.activityWindowSec };
}

const opsRoomDisposedSchema = z.object({ roomId: z.string(), disposed: z.literal(true) }).meta({ title: 'OpsRoomDisposed' });
const opsClientKickedSchema = z.object({ roomId: z.string(), sessionId: z.string(), kicked: z.literal(true) }).meta({ title: 'OpsClientKicked' });
const route = routeOf<ReturnType<typeof opsDeps>>('ops', 'admin');
const user = z.object({ userId: uuidSchema });
const room = z.object({ roomId: z.string() });
const noRoom = (roomId: string): string => `room "${roomId}" is not running; GET /api/ops/rooms lists the live ones`;

export const OPS_ROUTES = [
  route('GET /api/ops/overview', {
    operationId: 'opsOverview',
    summary: 'Every process (heartbeat, rooms, passport writer), cluster totals and rates.',
    responses: { 200: { description: 'The overview.', schema: opsOverviewSchema } },
    handler: async (_ctx, { ops }) => ops.overview(),
  }),
  route('GET /api/ops/history', {
    operationId: 'opsHistory',
    summary: 'KPI history (query `minutes`, 1–10080, default 15: within OPS_MONITOR_HISTORY_MINUTES a point a sample, longer a point a minute).',
    query: z.object({ minutes: intQuery(1, 7 * 24 * 60, 15) }),
    responses: { 200: { description: '`{ sampleMs, points }`.', schema: opsHistorySchema } },
    handler: async ({ query: { minutes } }, { ops, longHistory, now }) => {
      // What memory holds (a point a sample) from memory; longer windows from Postgres (a point a minute), so a range never shows less than it names.
      if (minutes <= ops.options.historyMinutes || !longHistory) return { sampleMs: ops.options.sampleMs, points: ops.history(minutes) };
      return { sampleMs: 60_000, points: await longHistory.since(now() - minutes * 60_000) };
    },
  }),
  route('GET /api/ops/system', {
    operationId: 'opsSystem',
    summary: 'System counts (users, sessions, passport rows), cached 5 s.',
    responses: { 200: { description: 'The counts.', schema: opsSystemCountsSchema } },
    handler: async (_ctx, { systemCounts }) => systemCounts(),
  }),
  route('GET /api/ops/logs', {
    operationId: 'opsLogs',
    summary: "This process's log tail (query `level` trace…fatal, default info; `limit` 1–1000, default 200).",
    query: z.object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'), limit: intQuery(1, 1000, 200) }),
    responses: { 200: { description: '`{ capacity, lines }`.', schema: opsLogsSchema } },
    handler: async ({ query }, { logTail }) => ({ capacity: logTail?.capacity ?? 0, lines: logTail?.lines(query.limit, query.level) ?? [] }),
  }),
  route('GET /api/ops/users', {
    operationId: 'opsFindUsers',
    summary:
      "DIA: without `q`, every user, most recently seen first, a page at a time (`before`: the previous page's `nextCursor`; `limit` 1–200, default 50). With `q` (1–254 characters), the one user search: exact user id, device id, email, display name or device model (case-insensitive), then device id, email, display-name and device-model prefixes of 4+ characters, exact matches first (`limit` 1–100, default 20; `nextCursor` is then null).",
    query: z.object({ q: z.string().trim().min(1).max(254).optional(), before: z.string().optional(), limit: intQuery(1, 200) }),
    responses: {
      200: {
        description: '`{ users, nextCursor }`, each user with `displayName`, `email`, `deviceModel` and, in a search, `matchedBy`.',
        schema: opsUsersSchema,
      },
    },
    handler: async ({ query: { q, before, limit } }, { sources }) => {
      if (q === undefined) return sources.dia.listUsers({ before, limit: limit ?? LIST_ROWS });
      if (limit !== undefined && limit > 100)
        throw new ValidationError('a search lists at most 100 users', [{ field: 'limit', message: 'must be an integer from 1 to 100' }]);
      return { users: await sources.dia.findUsers(q, limit ?? SEARCH_ROWS), nextCursor: null };
    },
  }),
  route('GET /api/ops/users/{userId}', {
    operationId: 'opsUser',
    summary: "DIA: a user's device, display name and email, sessions, badges, constellation and passport size.",
    params: user,
    responses: { 200: { description: 'The user detail.', schema: opsUserDetailSchema } },
    errors: ['NOT_FOUND'],
    handler: async ({ params: { userId } }, { sources }) => found(await sources.dia.userDetail(userId), `no user ${userId}`),
  }),
  route('GET /api/ops/users/{userId}/timeline', {
    operationId: 'opsUserTimeline',
    summary: "DIA: a user's passport, newest first (query `before` cursor, `limit` 1–200, `types` up to 20 comma-separated event types).",
    params: user,
    query: z.object({
      before: z.string().optional(),
      limit: intQuery(1, 200, 50),
      types: z
        .string()
        .transform((raw) => [...new Set(raw.split(',').map((t) => t.trim()))].filter(Boolean))
        .pipe(z.array(z.string().regex(EVENT_TYPE, 'must be event types')).max(20, 'at most 20 event types'))
        .default([])
        .meta({ description: 'Up to 20 comma-separated event types.' }),
    }),
    responses: { 200: { description: 'A page of events and the next cursor.', schema: opsTimelineSchema } },
    handler: async ({ params, query }, { sources }) => sources.dia.timeline(params.userId, query),
  }),
  route('GET /api/ops/users/{userId}/activity', {
    operationId: 'opsUserActivity',
    summary:
      "DIA: the user's live feed — events that arrived after the cursor `after` (from the previous answer; none: the newest), newest first, `limit` 1–100 (default 50), within OPS_ACTIVITY_WINDOW_SEC of event time. The user page polls it.",
    params: user,
    query: z.object({
      after: z
        .string()
        .regex(/^\d{1,19}$/, 'is not a passport id')
        .optional(),
      limit: intQuery(1, 100, 50),
    }),
    responses: { 200: { description: 'The events that arrived, and the cursor for the next poll.', schema: opsActivitySchema } },
    handler: async ({ params, query }, { sources, activityWindowSec, now }) =>
      sources.dia.activity(params.userId, { after: query.after ?? null, limit: query.limit, windowSec: activityWindowSec, nowMs: now() }),
  }),
  route('GET /api/ops/rooms', {
    operationId: 'opsRooms',
    summary: 'Live rooms on every process.',
    responses: { 200: { description: '`{ rooms }`.', schema: opsRoomsSchema } },
    handler: async (_ctx, { sources }) => ({ rooms: await sources.rooms() }),
  }),
  route('GET /api/ops/rooms/{roomId}', {
    operationId: 'opsRoom',
    summary: 'One room: its clients and state summary.',
    params: room,
    responses: { 200: { description: 'The room view.', schema: opsRoomSchema } },
    errors: ['NOT_FOUND'],
    // The room's own answer over the matchmaker's remote call (Colyseus's Room.getInspectorView).
    handler: async ({ params: { roomId } }, { sources }) => found((await sources.inspectRoom(roomId)) as z.input<typeof opsRoomSchema> | null, noRoom(roomId)),
  }),
  route('POST /api/ops/rooms/{roomId}/dispose', {
    operationId: 'opsDisposeRoom',
    summary: 'Dispose a room (its clients leave); one audit log line.',
    params: room,
    responses: { 200: { description: '`{ roomId, disposed: true }`.', schema: opsRoomDisposedSchema } },
    errors: ['NOT_FOUND'],
    handler: async ({ params: { roomId } }, { sources, audit }) => {
      if (!(await sources.disposeRoom(roomId))) throw new NotFoundError(noRoom(roomId));
      audit.info({ audit: true, action: 'dispose_room', roomId }, 'operator disposed a room');
      return { roomId, disposed: true as const };
    },
  }),
  route('POST /api/ops/rooms/{roomId}/clients/{sessionId}/kick', {
    operationId: 'opsKickClient',
    summary: 'Remove one client from a room; one audit log line.',
    params: room.extend({ sessionId: z.string() }),
    responses: { 200: { description: '`{ roomId, sessionId, kicked: true }`.', schema: opsClientKickedSchema } },
    errors: ['NOT_FOUND'],
    handler: async ({ params: { roomId, sessionId } }, { sources, audit }) => {
      const outcome = await sources.kickClient(roomId, sessionId);
      if (outcome === 'no_room') throw new NotFoundError(noRoom(roomId));
      if (outcome === 'no_client') throw new NotFoundError(`no client "${sessionId}" in room "${roomId}"; GET /api/ops/rooms/${roomId} lists its clients`);
      audit.info({ audit: true, action: 'kick_client', roomId, sessionId }, 'operator removed a client');
      return { roomId, sessionId, kicked: true as const };
    },
  }),
];

/** The ops API, served, and the Colyseus monitor (`/monitor`, admin token or the cookie of POST /api/ops/monitor-session). */
export function opsRoutes(...args: Parameters<typeof opsDeps>): Route[] {
  const deps = opsDeps(...args);
  return [...mount(OPS_ROUTES, deps), ...opsMonitorRoutes(deps)];
}
