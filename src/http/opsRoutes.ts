import { opsMonitorRoutes } from './opsMonitorRoutes.js';
import type { OpsMonitor } from '../../features/ops/OpsMonitor.js';
import type { Logger } from '../logger.js';
import { isLevelName, type LogTail } from '../../features/ops/logTail.js';
import type { HistoryPoint, OpsSystemCounts } from '../../features/ops/types.js';
import { userActivity, userTimeline } from '../../features/ops/userTimeline.js';
import { MAX_CLOCK_SKEW_MS } from '../../systems/passport/events.js';
import { json, NotFoundError, ValidationError, type HttpContext, type Route } from './router.js';
import { adminOnly, NO_STORE } from './authGates.js';
import { z } from 'zod';
import type { ErrorCode, HttpOperation } from '../../systems/httpContract.js';
import { declareRoutes, mountRoutes, type RouteDeclaration } from './declare.js';
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
} from './opsResponses.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_TYPE = /^[a-z0-9_.-]{1,64}$/i;
const SYSTEM_COUNTS_TTL_MS = 5000;

type Handler = (ctx: HttpContext) => Promise<Response>;

function intParam(raw: string | null, field: string, min: number, max: number, fallback: number): number {
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw new ValidationError(`${field} must be an integer from ${min} to ${max}`, [{ field, message: `"${raw}" is out of range` }]);
  return value;
}

function uuidParam(raw: string): string {
  if (!UUID.test(raw)) throw new ValidationError('userId must be a UUID', [{ field: 'userId', message: `"${raw}" is not a UUID` }]);
  return raw;
}

/** What the ops handlers share. */
interface OpsRouteDeps {
  ops: OpsMonitor;
  sources: OpsMonitor['sources'];
  adminToken: string | undefined;
  admin: (handler: Handler) => Handler;
  audit: Pick<Logger, 'info'>;
  now: () => number;
  logTail?: LogTail;
  longHistory?: { since(sinceMs: number): Promise<HistoryPoint[]> };
  /** The DIA system counts, cached {@link SYSTEM_COUNTS_TTL_MS}. */
  systemCounts(): Promise<OpsSystemCounts>;
  /** OPS_ACTIVITY_WINDOW_SEC. */
  activityWindowSec: number;
}

/** An operator route: admin token, JSON answer, the handler behind the ops API's gate. */
const op = (
  operationId: string,
  method: HttpOperation['method'],
  path: string,
  summary: string,
  answer: { description: string; title: string; schema: z.ZodType },
  handler: (ctx: HttpContext, deps: OpsRouteDeps) => Promise<Response>,
  errors: ErrorCode[] = [],
): RouteDeclaration<OpsRouteDeps> => ({
  operationId,
  method,
  path,
  tag: 'ops',
  summary,
  auth: 'admin',
  responses: { 200: answer },
  ...(errors.length ? { errors } : {}),
  handler: (ctx, deps) => deps.admin((c) => handler(c, deps))(ctx),
});
const body = (description: string, schema: z.ZodType) => ({ description, title: (schema.meta() as { title: string }).title, schema });

/** The process and cluster view: overview, history, system counts, log tail. */
const STATUS = [
  op(
    'opsOverview',
    'GET',
    '/api/ops/overview',
    'Every process (heartbeat, rooms, passport writer), cluster totals and rates.',
    body('The overview.', opsOverviewSchema),
    async (_ctx, { ops }) => json(await ops.overview(), 200, NO_STORE),
  ),
  op(
    'opsHistory',
    'GET',
    '/api/ops/history',
    'KPI history (query `minutes`, 1–10080, default 15: within OPS_MONITOR_HISTORY_MINUTES a point a sample, longer a point a minute).',
    body('`{ sampleMs, points }`.', opsHistorySchema),
    async ({ query }, { ops, longHistory, now }) => {
      // What memory holds (OPS_MONITOR_HISTORY_MINUTES, a point a sample) from memory; longer windows from Postgres
      // (a point a minute, OPS_HISTORY_HOURS), so a range never shows less than it names.
      const minutes = intParam(query.get('minutes'), 'minutes', 1, 7 * 24 * 60, 15);
      if (minutes <= ops.historyMinutes || !longHistory) return json({ sampleMs: ops.sampleMs, points: ops.history(minutes) }, 200, NO_STORE);
      return json({ sampleMs: 60_000, points: await longHistory.since(now() - minutes * 60_000) }, 200, NO_STORE);
    },
    ['VALIDATION_FAILED'],
  ),
  op(
    'opsSystem',
    'GET',
    '/api/ops/system',
    'System counts (users, sessions, passport rows), cached 5 s.',
    body('The counts.', opsSystemCountsSchema),
    async (_ctx, { systemCounts }) => json(await systemCounts(), 200, NO_STORE),
  ),
  op(
    'opsLogs',
    'GET',
    '/api/ops/logs',
    "This process's log tail (query `level` trace…fatal, default info; `limit` 1–1000, default 200).",
    body('`{ capacity, lines }`.', opsLogsSchema),
    async ({ query }, { logTail }) => {
      const level = query.get('level') ?? 'info';
      if (!isLevelName(level))
        throw new ValidationError('level must be trace, debug, info, warn, error or fatal', [
          { field: 'level', message: `"${level.slice(0, 20)}" is not a level` },
        ]);
      return json({ capacity: logTail?.capacity ?? 0, lines: logTail?.lines(intParam(query.get('limit'), 'limit', 1, 1000, 200), level) ?? [] }, 200, NO_STORE);
    },
    ['VALIDATION_FAILED'],
  ),
];

/** DIA: the user list and the one user search (id, device, email, display name, device model), a user's detail and their passport timeline. */
const USERS = [
  op(
    'opsFindUsers',
    'GET',
    '/api/ops/users',
    "DIA: without `q`, every user, most recently seen first, a page at a time (`before`: the previous page's `nextCursor`; `limit` 1–200, default 50). With `q` (1–254 characters), the one user search: exact user id, device id, email, display name or device model (case-insensitive), then device id, email, display-name and device-model prefixes of 4+ characters, exact matches first (`limit` 1–100, default 20; `nextCursor` is then null).",
    body('`{ users, nextCursor }`, each user with `displayName`, `email`, `deviceModel` and, in a search, `matchedBy`.', opsUsersSchema),
    async ({ query }, { sources }) => {
      const raw = query.get('q');
      if (raw === null) {
        const page = await sources.dia.listUsers({ before: query.get('before') ?? undefined, limit: intParam(query.get('limit'), 'limit', 1, 200, 50) });
        return json(page, 200, NO_STORE);
      }
      const q = raw.trim();
      if (!q || q.length > 254)
        throw new ValidationError('q must be a user id, device id, email, display name or device model (1–254 characters); leave it out to list every user', [
          { field: 'q', message: q ? 'too long' : 'empty' },
        ]);
      return json({ users: await sources.dia.findUsers(q, intParam(query.get('limit'), 'limit', 1, 100, 20)), nextCursor: null }, 200, NO_STORE);
    },
    ['VALIDATION_FAILED'],
  ),
  op(
    'opsUser',
    'GET',
    '/api/ops/users/{userId}',
    "DIA: a user's device, display name and email, sessions, badges, constellation and passport size.",
    body('The user detail.', opsUserDetailSchema),
    async ({ params }, { sources }) => {
      const detail = await sources.dia.userDetail(uuidParam(params.userId));
      if (!detail) throw new NotFoundError(`no user ${params.userId}`);
      return json(detail, 200, NO_STORE);
    },
    ['VALIDATION_FAILED', 'NOT_FOUND'],
  ),
  op(
    'opsUserTimeline',
    'GET',
    '/api/ops/users/{userId}/timeline',
    "DIA: a user's passport, newest first (query `before` cursor, `limit` 1–200, `types` up to 20 comma-separated event types).",
    body('A page of events and the next cursor.', opsTimelineSchema),
    async ({ params, query }, { sources }) => {
      const userId = uuidParam(params.userId);
      const types = (query.get('types') ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const bad = types.find((t) => !EVENT_TYPE.test(t));
      if (bad || types.length > 20)
        throw new ValidationError('types must be up to 20 comma-separated event types', [
          { field: 'types', message: bad ? `"${bad}" is not an event type` : 'too many' },
        ]);
      const page = await userTimeline(sources.dia, userId, {
        before: query.get('before') ?? undefined,
        limit: intParam(query.get('limit'), 'limit', 1, 200, 50),
        types,
      });
      return json(page, 200, NO_STORE);
    },
    ['VALIDATION_FAILED'],
  ),
  op(
    'opsUserActivity',
    'GET',
    '/api/ops/users/{userId}/activity',
    "DIA: the user's live feed — events that arrived after the cursor `after` (from the previous answer; none: the newest), newest first, `limit` 1–100 (default 50), within OPS_ACTIVITY_WINDOW_SEC of event time. The user page polls it.",
    body('The events that arrived, and the cursor for the next poll.', opsActivitySchema),
    async ({ params, query }, { sources, activityWindowSec, now }) => {
      const userId = uuidParam(params.userId);
      const page = await userActivity(sources.dia, userId, {
        after: query.get('after') || null,
        limit: intParam(query.get('limit'), 'limit', 1, 100, 50),
        windowSec: activityWindowSec,
        nowMs: now(),
      });
      return json(page, 200, NO_STORE);
    },
    ['VALIDATION_FAILED'],
  ),
];

const noRoom = (roomId: string): NotFoundError => new NotFoundError(`room "${roomId}" is not running; GET /api/ops/rooms lists the live ones`);

/** Rooms: list, inspect, and the operator's actions on them (each one audit line). */
const ROOMS = [
  op('opsRooms', 'GET', '/api/ops/rooms', 'Live rooms on every process.', body('`{ rooms }`.', opsRoomsSchema), async (_ctx, { sources }) =>
    json({ rooms: await sources.rooms() }, 200, NO_STORE),
  ),
  op(
    'opsRoom',
    'GET',
    '/api/ops/rooms/{roomId}',
    'One room: its clients and state summary.',
    body('The room view.', opsRoomSchema),
    async ({ params }, { sources }) => {
      const view = await sources.inspectRoom(params.roomId);
      if (view === null) throw noRoom(params.roomId);
      return json(view, 200, NO_STORE);
    },
    ['NOT_FOUND'],
  ),
  op(
    'opsDisposeRoom',
    'POST',
    '/api/ops/rooms/{roomId}/dispose',
    'Dispose a room (its clients leave); one audit log line.',
    body('`{ roomId, disposed: true }`.', z.object({ roomId: z.string(), disposed: z.literal(true) }).meta({ title: 'OpsRoomDisposed' })),
    async ({ params }, { sources, audit }) => {
      if (!(await sources.disposeRoom(params.roomId))) throw noRoom(params.roomId);
      audit.info({ audit: true, action: 'dispose_room', roomId: params.roomId }, 'operator disposed a room');
      return json({ roomId: params.roomId, disposed: true }, 200, NO_STORE);
    },
    ['NOT_FOUND'],
  ),
  op(
    'opsKickClient',
    'POST',
    '/api/ops/rooms/{roomId}/clients/{sessionId}/kick',
    'Remove one client from a room; one audit log line.',
    body(
      '`{ roomId, sessionId, kicked: true }`.',
      z.object({ roomId: z.string(), sessionId: z.string(), kicked: z.literal(true) }).meta({ title: 'OpsClientKicked' }),
    ),
    async ({ params }, { sources, audit }) => {
      const outcome = await sources.kickClient(params.roomId, params.sessionId);
      if (outcome === 'no_room') throw noRoom(params.roomId);
      if (outcome === 'no_client')
        throw new NotFoundError(`no client "${params.sessionId}" in room "${params.roomId}"; GET /api/ops/rooms/${params.roomId} lists its clients`);
      audit.info({ audit: true, action: 'kick_client', roomId: params.roomId, sessionId: params.sessionId }, 'operator removed a client');
      return json({ roomId: params.roomId, sessionId: params.sessionId, kicked: true }, 200, NO_STORE);
    },
    ['NOT_FOUND'],
  ),
];

/**
 * The ops API (`/api/ops/*`, JSON, admin Bearer token). Without the admin token every route answers
 * 503 OPS_DISABLED. The HTML shell at /ops is served by webRoutes and holds no data. `audit` logs every
 * operator action (who acted is the admin token; each line names the action and its target).
 */
export const OPS_ROUTES = declareRoutes<OpsRouteDeps>()([...STATUS, ...USERS, ...ROOMS]);

/** The ops API, served, and the Colyseus monitor (`/monitor`, admin token or the cookie of POST /api/ops/monitor-session). */
export function opsRoutes(
  ops: OpsMonitor,
  adminToken: string | undefined,
  audit: Pick<Logger, 'info'>,
  logTail?: LogTail,
  longHistory?: { since(sinceMs: number): Promise<HistoryPoint[]> },
  /** When omitted (tests of the other routes), the feed looks back as far as the passport's clock skew allows. */
  options: { activityWindowSec: number } = { activityWindowSec: MAX_CLOCK_SKEW_MS / 1000 },
): Route[] {
  const now = ops.sources.now ?? Date.now;
  const admin = adminOnly(adminToken);
  let counts: { at: number; value: Promise<OpsSystemCounts> } | null = null;
  const systemCounts = (): Promise<OpsSystemCounts> => {
    const at = now();
    if (!counts || at - counts.at > SYSTEM_COUNTS_TTL_MS) {
      const value = ops.sources.dia.systemCounts(at);
      counts = { at, value };
      value.catch(() => (counts = null)); // never cache a failure
    }
    return counts.value;
  };
  const deps: OpsRouteDeps = {
    ops,
    sources: ops.sources,
    adminToken,
    admin,
    audit,
    now,
    logTail,
    longHistory,
    systemCounts,
    activityWindowSec: options.activityWindowSec,
  };
  return [...mountRoutes(OPS_ROUTES, deps), ...opsMonitorRoutes(deps)];
}
