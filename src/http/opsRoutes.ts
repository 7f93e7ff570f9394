import { opsMonitorRoutes } from './opsMonitorRoutes.js';
import type { OpsMonitor } from '../ops/OpsMonitor.js';
import type { Logger } from '../logger.js';
import { isLevelName, type LogTail } from '../ops/logTail.js';
import type { HistoryPoint, OpsSystemCounts } from '../ops/types.js';
import { InvalidCursorError } from '../../persistence/ops/OpsRepository.js';
import { json, NotFoundError, ValidationError, type HttpContext, type Route } from './router.js';
import { adminOnly, NO_STORE } from './adminGate.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_TYPE = /^[a-z0-9_.-]{1,64}$/i;
const SYSTEM_COUNTS_TTL_MS = 5000;

type Handler = (ctx: HttpContext) => Promise<Response>;


function intParam(raw: string | null, field: string, min: number, max: number, fallback: number): number {
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new ValidationError(`${field} must be an integer from ${min} to ${max}`, [{ field, message: `"${raw}" is out of range` }]);
  return value;
}

function uuidParam(raw: string): string {
  if (!UUID.test(raw)) throw new ValidationError('userId must be a UUID', [{ field: 'userId', message: `"${raw}" is not a UUID` }]);
  return raw;
}

/** What every group of ops routes shares. */
interface OpsRouteContext {
  ops: OpsMonitor;
  sources: OpsMonitor['sources'];
  adminToken: string | undefined;
  admin: (handler: Handler) => Handler;
  audit: Pick<Logger, 'info'>;
  now: () => number;
  get: (path: string, handler: Handler) => Route;
}

/**
 * The ops API (`/api/ops/*`, JSON, admin Bearer token) and the Colyseus monitor (`/monitor`, admin
 * Bearer token or the signed cookie from POST /api/ops/monitor-session). Without `adminToken` every
 * route answers 503 OPS_DISABLED. The HTML shell at /ops is served by webRoutes and holds no data.
 * `audit` logs every operator action (who acted is the admin token; each line names the action and its target).
 */
export function opsRoutes(ops: OpsMonitor, adminToken: string | undefined, audit: Pick<Logger, 'info'>, logTail?: LogTail, longHistory?: { since(sinceMs: number): Promise<HistoryPoint[]> }): Route[] {
  const get = (path: string, handler: Handler): Route => ({ method: 'GET', path, handler });
  const c: OpsRouteContext = { ops, sources: ops.sources, adminToken, admin: adminOnly(adminToken), audit, now: ops.sources.now ?? Date.now, get };
  return [...statusRoutes(c, logTail, longHistory), ...userRoutes(c), ...roomRoutes(c), ...opsMonitorRoutes(c)];
}

/** The process and cluster view: overview, history, system counts, log tail. */
function statusRoutes({ ops, sources, admin, now, get }: OpsRouteContext, logTail?: LogTail, longHistory?: { since(sinceMs: number): Promise<HistoryPoint[]> }): Route[] {
  let counts: { at: number; value: Promise<OpsSystemCounts> } | null = null;
  const systemCounts = (): Promise<OpsSystemCounts> => {
    const at = now();
    if (!counts || at - counts.at > SYSTEM_COUNTS_TTL_MS) {
      const value = sources.dia.systemCounts(at);
      counts = { at, value };
      value.catch(() => (counts = null)); // never cache a failure
    }
    return counts.value;
  };
  return [
    get('/api/ops/overview', admin(async () => json(await ops.overview(), 200, NO_STORE))),
    get(
      '/api/ops/history',
      admin(async ({ query }) => {
        // Up to an hour from memory (one point a second); longer windows from Postgres (one point a minute, OPS_HISTORY_HOURS).
        const minutes = intParam(query.get('minutes'), 'minutes', 1, 7 * 24 * 60, 15);
        if (minutes <= 60 || !longHistory) return json({ sampleMs: ops.sampleMs, points: ops.history(Math.min(minutes, 60)) }, 200, NO_STORE);
        return json({ sampleMs: 60_000, points: await longHistory.since(now() - minutes * 60_000) }, 200, NO_STORE);
      }),
    ),
    get('/api/ops/system', admin(async () => json(await systemCounts(), 200, NO_STORE))),
    get(
      '/api/ops/logs',
      admin(async ({ query }) => {
        const level = query.get('level') ?? 'info';
        if (!isLevelName(level)) throw new ValidationError('level must be trace, debug, info, warn, error or fatal', [{ field: 'level', message: `"${level.slice(0, 20)}" is not a level` }]);
        return json({ capacity: logTail?.capacity ?? 0, lines: logTail?.lines(intParam(query.get('limit'), 'limit', 1, 1000, 200), level) ?? [] }, 200, NO_STORE);
      }),
    ),
  ];
}

/** DIA: the one user search (id, device, email, display name), a user's detail and their passport timeline. */
function userRoutes({ sources, admin, get }: OpsRouteContext): Route[] {
  return [
    get(
      '/api/ops/users',
      admin(async ({ query }) => {
        const q = (query.get('q') ?? '').trim();
        if (!q || q.length > 254) throw new ValidationError('q must be a user id, device id, email or display name (1–254 characters)', [{ field: 'q', message: q ? 'too long' : 'required' }]);
        return json({ users: await sources.dia.findUsers(q, intParam(query.get('limit'), 'limit', 1, 100, 20)) }, 200, NO_STORE);
      }),
    ),
    get(
      '/api/ops/users/:userId',
      admin(async ({ params }) => {
        const detail = await sources.dia.userDetail(uuidParam(params.userId));
        if (!detail) throw new NotFoundError(`no user ${params.userId}`);
        return json(detail, 200, NO_STORE);
      }),
    ),
    get(
      '/api/ops/users/:userId/timeline',
      admin(async ({ params, query }) => {
        const userId = uuidParam(params.userId);
        const types = (query.get('types') ?? '').split(',').map((t) => t.trim()).filter(Boolean);
        const bad = types.find((t) => !EVENT_TYPE.test(t));
        if (bad || types.length > 20) throw new ValidationError('types must be up to 20 comma-separated event types', [{ field: 'types', message: bad ? `"${bad}" is not an event type` : 'too many' }]);
        try {
          const page = await sources.dia.timeline(userId, { before: query.get('before') ?? undefined, limit: intParam(query.get('limit'), 'limit', 1, 200, 50), types });
          return json(page, 200, NO_STORE);
        } catch (err) {
          if (err instanceof InvalidCursorError) throw new ValidationError(err.message, [{ field: 'before', message: 'unknown cursor' }]);
          throw err;
        }
      }),
    ),
  ];
}

const noRoom = (roomId: string): NotFoundError => new NotFoundError(`room "${roomId}" is not running; GET /api/ops/rooms lists the live ones`);

/** Rooms: list, inspect, and the operator's actions on them (each one audit line). */
function roomRoutes({ sources, admin, audit, get }: OpsRouteContext): Route[] {
  return [
    get('/api/ops/rooms', admin(async () => json({ rooms: await sources.rooms() }, 200, NO_STORE))),
    get(
      '/api/ops/rooms/:roomId',
      admin(async ({ params }) => {
        const view = await sources.inspectRoom(params.roomId);
        if (view === null) throw noRoom(params.roomId);
        return json(view, 200, NO_STORE);
      }),
    ),
    {
      method: 'POST',
      path: '/api/ops/rooms/:roomId/dispose',
      handler: admin(async ({ params }) => {
        if (!(await sources.disposeRoom(params.roomId))) throw noRoom(params.roomId);
        audit.info({ audit: true, action: 'dispose_room', roomId: params.roomId }, 'operator disposed a room');
        return json({ roomId: params.roomId, disposed: true }, 200, NO_STORE);
      }),
    },
    {
      method: 'POST',
      path: '/api/ops/rooms/:roomId/clients/:sessionId/kick',
      handler: admin(async ({ params }) => {
        const outcome = await sources.kickClient(params.roomId, params.sessionId);
        if (outcome === 'no_room') throw noRoom(params.roomId);
        if (outcome === 'no_client') throw new NotFoundError(`no client "${params.sessionId}" in room "${params.roomId}"; GET /api/ops/rooms/${params.roomId} lists its clients`);
        audit.info({ audit: true, action: 'kick_client', roomId: params.roomId, sessionId: params.sessionId }, 'operator removed a client');
        return json({ roomId: params.roomId, sessionId: params.sessionId, kicked: true }, 200, NO_STORE);
      }),
    },
  ];
}
