import { AppError } from '../../systems/errors.js';
import type { Sql } from '../db.js';
import type {
  OpsActivityPage,
  OpsBadge,
  OpsConnection,
  OpsSession,
  OpsStar,
  OpsSystemCounts,
  OpsTimelineEntry,
  OpsTimelinePage,
  OpsUser,
  OpsUserDetail,
  OpsUserPage,
} from '../../systems/ops/answers.js';

/** Rows of one passport page unless the query asks (at most 200): the route's declared default, part of its contract, not a setting. */
const DEFAULT_PAGE = 50;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;
const MAX_COUNTED_ENTRIES = 100_000;
/** Prefix searches need this many characters: a shorter prefix would list a large share of all users. */
export const MIN_PREFIX_CHARS = 4;
// Sessions counted from their rows, as the user page counts them: users.session_count lags the aggregation job.
const USER_COLUMNS = `u.id, u.device_id AS "deviceId", u.first_launch AS "firstLaunch", u.city, u.created_at AS "createdAt", u.last_seen_at AS "lastSeenAt",
  (SELECT count(*)::int FROM sessions s WHERE s.user_id = u.id) AS "sessionCount", m.display_name AS "displayName", m.email,
  (SELECT d.device_model FROM devices d WHERE d.user_id = u.id AND d.device_model IS NOT NULL ORDER BY d.last_seen_at DESC LIMIT 1) AS "deviceModel"`;
/** A passport row as the timeline and the activity feed show it. */
const ENTRY_COLUMNS = `id::text AS id, event_id AS "eventId", event_type AS "eventType", event_category AS "eventCategory", occurred_at AS "occurredAt",
  received_at AS "receivedAt", session_id AS "sessionId", entity_type AS "entityType", entity_id AS "entityId", source, payload`;
/** "5b894d18" (the short id the list prints) stands for every id from 5b894d18-0000-… to -ffff-…; 6+ hex digits, else null. */
export function idRange(query: string): [string, string] | null {
  const hex = query
    .trim()
    .replace(/^anonymous\s+/i, '')
    .replace(/-/g, '')
    .toLowerCase();
  if (!/^[0-9a-f]{6,32}$/.test(hex)) return null;
  const uuid = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  return [uuid(hex.padEnd(32, '0')), uuid(hex.padEnd(32, 'f'))];
}

/** What a search's LIKE pattern must not take literally. */
const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A malformed `before` cursor: the caller should restart from the first page. */
export class InvalidCursorError extends AppError<'VALIDATION_FAILED'> {
  constructor() {
    super('VALIDATION_FAILED', 'cursor is not one this server issued; drop `before` to start from the newest entry', [
      { field: 'before', message: 'is not a cursor this server issued' },
    ]);
  }
}

/** A row as the answer shows it: the SQL names and casts each column, the driver's Dates become ISO strings; `raw`: the cursor's column, left out. */
function plain<T>(row: Record<string, unknown>, raw?: string): T {
  return Object.fromEntries(Object.entries(row).flatMap(([k, v]) => (k === raw ? [] : [[k, v instanceof Date ? v.toISOString() : v]]))) as T;
}

/** A page of `limit` rows out of the `limit + 1` read; the next cursor from the last row's `raw` column (left out) when there are more. */
function pageOf<T>(rows: Array<Record<string, unknown>>, limit: number, raw: string): { items: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map((row) => plain<T>(row, raw)), nextCursor: rows.length > limit && last ? encodeCursor(String(last[raw]), String(last.id)) : null };
}

/** Cursor = base64url("<occurred_at as Postgres prints it>|<id>"), so microseconds survive the round trip. */
export function encodeCursor(occurredAt: string, id: string): string {
  return Buffer.from(`${occurredAt}|${id}`, 'utf8').toString('base64url');
}

/** A timeline cursor back to its parts; a user-list cursor carries `last_seen_at` and a user id instead (`id`: UUID). */
export function decodeCursor(cursor: string, id = /^\d{1,19}$/): { occurredAt: string; id: string } {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = raw.lastIndexOf('|');
  const parts = { occurredAt: raw.slice(0, bar), id: raw.slice(bar + 1) };
  if (bar < 1 || !id.test(parts.id) || Number.isNaN(Date.parse(parts.occurredAt))) throw new InvalidCursorError();
  return parts;
}

export interface TimelineQuery {
  /** Cursor from a previous page (`nextCursor`). */
  before?: string;
  /** 1–200; default 50. */
  limit?: number;
  /** Only these event types. */
  types?: string[];
}

/** The DIA reads' port (the ops routes' tests stand in for it). */
export type DiaReader = Pick<OpsRepository, keyof OpsRepository>;

/** The DIA admin reads, read-only SQL; every read is bounded so an operator's click never scans the passport. */
export class OpsRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * The one DIA search: exact matches on id, device id, email, display name or device model first (each user once), then
   * prefixes of 4+ characters (shorter would list a large share of users), then the most recently seen. Every branch
   * reads an index and is bounded.
   */
  async findUsers(query: string, limit = 20): Promise<OpsUser[]> {
    const q = query.trim();
    if (!q) return [];
    const n = Math.min(Math.max(limit, 1), 100);
    const lower = q.toLowerCase();
    const prefix = q.length >= MIN_PREFIX_CHARS ? `${likeEscape(lower)}%` : null;
    const device = q.length >= MIN_PREFIX_CHARS ? `${likeEscape(q)}%` : null;
    const uuid = UUID.test(q) ? q : null;
    const [lo, hi] = (uuid ? null : idRange(q)) ?? [null, null];
    const rows = await this.sql.query<Record<string, unknown>>(
      `WITH hits AS (
         SELECT id AS user_id, 'id' AS by, 0 AS exact FROM users WHERE ?::uuid IS NOT NULL AND id = ?::uuid
         UNION ALL (SELECT id, 'id', 0 FROM users WHERE ?::uuid IS NOT NULL AND id BETWEEN ?::uuid AND ?::uuid ORDER BY last_seen_at DESC LIMIT ?)
         UNION ALL SELECT id, 'device', 0 FROM users WHERE device_id = ?
         UNION ALL SELECT user_id, 'email', 0 FROM media_ids WHERE email IS NOT NULL AND lower(email) = ?
         UNION ALL SELECT user_id, 'displayName', 0 FROM media_ids WHERE display_name IS NOT NULL AND lower(display_name) = ?
         UNION ALL (SELECT user_id, 'deviceModel', 0 FROM devices WHERE lower(device_model) = ? ORDER BY last_seen_at DESC LIMIT ?)
         UNION ALL (SELECT id, 'device', 1 FROM users WHERE ?::text IS NOT NULL AND device_id LIKE ?::text ESCAPE '\\' ORDER BY last_seen_at DESC LIMIT ?)
         UNION ALL (SELECT user_id, 'email', 1 FROM media_ids WHERE email IS NOT NULL AND ?::text IS NOT NULL AND lower(email) LIKE ?::text ESCAPE '\\' LIMIT ?)
         UNION ALL (SELECT user_id, 'displayName', 1 FROM media_ids WHERE display_name IS NOT NULL AND ?::text IS NOT NULL AND lower(display_name) LIKE ?::text ESCAPE '\\' LIMIT ?)
         UNION ALL (SELECT user_id, 'deviceModel', 1 FROM devices WHERE ?::text IS NOT NULL AND lower(device_model) LIKE ?::text ESCAPE '\\' ORDER BY last_seen_at DESC LIMIT ?)
       ), best AS (
         SELECT DISTINCT ON (user_id) user_id, by, exact FROM hits ORDER BY user_id, exact, array_position(ARRAY['id','device','email','displayName','deviceModel'], by)
       )
       SELECT ${USER_COLUMNS}, b.by AS "matchedBy" FROM best b JOIN users u ON u.id = b.user_id LEFT JOIN media_ids m ON m.user_id = u.id
        ORDER BY b.exact, u.last_seen_at DESC LIMIT ?`,
      [uuid, uuid, lo, lo, hi, n, q, lower, lower, lower, n, device, device, n, prefix, prefix, n, prefix, prefix, n, prefix, prefix, n, n],
    );
    return rows.map((row) => plain<OpsUser>(row));
  }

  /** Every user, most recently seen first, `limit` (1–200) a page; `before` is the previous page's `nextCursor`. */
  async listUsers(query: { before?: string; limit?: number }): Promise<OpsUserPage> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_PAGE), 1), 200);
    const cursor = query.before ? decodeCursor(query.before, UUID) : null;
    const rows = await this.sql.query<Record<string, unknown>>(
      `SELECT ${USER_COLUMNS}, to_json(u.last_seen_at)#>>'{}' AS "lastSeenRaw"
         FROM users u LEFT JOIN media_ids m ON m.user_id = u.id
        WHERE ?::timestamptz IS NULL OR (u.last_seen_at, u.id) < (?::timestamptz, ?::uuid)
        ORDER BY u.last_seen_at DESC, u.id DESC LIMIT ?`,
      [cursor?.occurredAt ?? null, cursor?.occurredAt ?? null, cursor?.id ?? null, limit + 1],
    );
    const { items: users, nextCursor } = pageOf<OpsUser>(rows, limit, 'lastSeenRaw');
    return { users, nextCursor };
  }

  /** The user with recent sessions, badges, constellation and passport size; null when unknown. */
  async userDetail(userId: string): Promise<OpsUserDetail | null> {
    if (!UUID.test(userId)) return null;
    const [user] = await this.sql.query<Record<string, unknown>>(
      `SELECT ${USER_COLUMNS} FROM users u LEFT JOIN media_ids m ON m.user_id = u.id WHERE u.id = ?::uuid`,
      [userId],
    );
    if (!user) return null;
    const [sessions, badges, stars, connections, [count]] = await Promise.all([
      this.sql.query<Record<string, unknown>>(
        `SELECT id, device_id AS "deviceId", device_model AS "deviceModel", app_version AS "appVersion", started_at AS "startedAt",
                last_active AS "lastActive", ended_at AS "endedAt", current_frequency::float8 AS frequency, current_artist_id AS "artistId",
                total_interactions AS interactions, total_swipes AS swipes, total_orbs_explored AS "orbsExplored", total_captures AS captures
           FROM sessions WHERE user_id = ?::uuid ORDER BY last_active DESC LIMIT 20`,
        [userId],
      ),
      this.sql.query<Record<string, unknown>>(`SELECT badge, earned_at AS "earnedAt" FROM user_badges WHERE user_id = ?::uuid ORDER BY earned_at, badge`, [
        userId,
      ]),
      this.sql.query<Record<string, unknown>>(
        `SELECT s.artist_id AS "artistId", a.name AS "artistName", s.x, s.y, s.z, s.captured_at AS "capturedAt", s.session_id AS "sessionId"
           FROM constellation_stars s LEFT JOIN artists a ON a.id = s.artist_id
          WHERE s.user_id = ?::uuid ORDER BY s.captured_at, s.id LIMIT 1000`,
        [userId],
      ),
      this.sql.query<Record<string, unknown>>(
        `SELECT from_artist_id AS "from", to_artist_id AS "to", strength, connection_type AS type
           FROM constellation_connections WHERE user_id = ?::uuid ORDER BY id LIMIT 5000`,
        [userId],
      ),
      this.sql.query<{ n: string | number }>(
        `SELECT count(*) AS n FROM (SELECT 1 FROM passport_entries WHERE user_id = ?::uuid LIMIT ${MAX_COUNTED_ENTRIES}) e`,
        [userId],
      ),
    ]);
    return {
      user: plain<OpsUser>(user),
      sessions: sessions.map((row) => plain<OpsSession>(row)),
      badges: badges.map((row) => plain<OpsBadge>(row)),
      constellation: { stars: stars.map((row) => plain<OpsStar>(row)), connections: connections.map((row) => plain<OpsConnection>(row)) },
      passportEntries: Number(count?.n ?? 0),
    };
  }

  /** The user's passport, newest first, `limit` (1–200) per page, optionally only some event types. */
  async timeline(userId: string, query: TimelineQuery = {}): Promise<OpsTimelinePage> {
    if (!UUID.test(userId)) return { entries: [], nextCursor: null };
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_PAGE), 1), 200);
    const cursor = query.before ? decodeCursor(query.before) : null;
    // The type list travels as one JSON string: the driver would expand a JS array into several params.
    const types = query.types?.length ? JSON.stringify(query.types) : null;
    const rows = await this.sql.query<Record<string, unknown>>(
      `SELECT ${ENTRY_COLUMNS}, to_json(occurred_at)#>>'{}' AS "occurredAtRaw" FROM passport_entries
        WHERE user_id = ?::uuid
          AND (?::timestamptz IS NULL OR (occurred_at, id) < (?::timestamptz, ?::bigint))
          AND (?::jsonb IS NULL OR event_type IN (SELECT jsonb_array_elements_text(?::jsonb)))
        ORDER BY occurred_at DESC, id DESC
        LIMIT ?`,
      [userId, cursor?.occurredAt ?? null, cursor?.occurredAt ?? null, cursor?.id ?? null, types, types, limit + 1],
    );
    const { items: entries, nextCursor } = pageOf<OpsTimelineEntry>(rows, limit, 'occurredAtRaw');
    return { entries, nextCursor };
  }

  /**
   * The user's events after passport id `after`, newest first, within the last `windowSec` of event time (an offline
   * replay dated earlier shows in the timeline, not here); `received_at` keeps the read to the newest partitions.
   */
  async activity(userId: string, q: { after: string | null; limit: number; windowSec: number; nowMs: number }): Promise<OpsActivityPage> {
    const limit = Math.min(Math.max(Math.trunc(q.limit), 1), 200);
    const since = new Date(q.nowMs - q.windowSec * 1000);
    const after = q.after !== null && /^\d{1,19}$/.test(q.after) ? q.after : null;
    if (!UUID.test(userId)) return { entries: [], cursor: after, windowSec: q.windowSec, truncated: false };
    const rows = await this.sql.query<Record<string, unknown>>(
      `SELECT ${ENTRY_COLUMNS} FROM passport_entries
        WHERE user_id = ?::uuid AND occurred_at >= ? AND received_at >= ? AND (?::bigint IS NULL OR id > ?::bigint)
        ORDER BY id DESC
        LIMIT ?`,
      [userId, since, since, after, after, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      entries: page.map((row) => plain<OpsTimelineEntry>(row)),
      cursor: page.length ? String(page[0]!.id) : after,
      windowSec: q.windowSec,
      truncated: rows.length > limit,
    };
  }

  /** System health: users, active today, interactions in the last 24 h, and more. */
  async systemCounts(nowMs: number): Promise<OpsSystemCounts> {
    const since = new Date(nowMs - DAY_MS);
    const openSince = new Date(nowMs - 2 * 3_600_000);
    // float8: a bigint count would arrive as a string.
    const [row] = await this.sql.query<OpsSystemCounts>(
      `SELECT (SELECT count(*) FROM users)::float8 AS "totalUsers",
              (SELECT count(DISTINCT user_id) FROM sessions WHERE last_active >= ?)::float8 AS "activeToday",
              (SELECT count(*) FROM sessions WHERE ended_at IS NULL AND last_active >= ?)::float8 AS "openSessions",
              (SELECT count(*) FROM passport_entries WHERE received_at >= ?)::float8 AS "interactions24h",
              (SELECT count(*) FROM constellation_stars WHERE captured_at >= ?)::float8 AS "captures24h",
              (SELECT count(*) FROM passport_dead_letters)::float8 AS "deadLetters"`,
      [since, openSince, since, since],
    );
    return row;
  }
}
