/**
 * The leaderboard's tables: `custom_leaderboards` (boards operators define) and `leaderboard_resets` (what the live
 * store held at a reset, so a restore from the rollups can subtract it).
 */
import { textArrayLiteral, type Sql } from '../db.js';
import type { Orm } from '../orm.js';
import { LeaderboardReset } from '../entities/leaderboard.js';
import { bucketExpiresAtMs, type LeaderboardResetResult } from '../../systems/leaderboard/windows.js';
import type { CustomLeaderboard } from '../../systems/leaderboard/rollupMetrics.js';

/** As Date.toISOString() writes it. */
const iso = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const COLUMNS = `id, title, base, time_window AS "window", entity_ids AS "entityIds", ${iso('created_at')} AS "createdAt", ${iso('updated_at')} AS "updatedAt"`;

/** Most definitions listed: the ops page reads every board's rows. */
const MAX_CUSTOM_LEADERBOARDS = 100;

export class CustomLeaderboardStore {
  constructor(private readonly sql: Sql) {}

  async list(): Promise<CustomLeaderboard[]> {
    return this.sql.query<CustomLeaderboard>(`SELECT ${COLUMNS} FROM custom_leaderboards ORDER BY created_at, id LIMIT ${MAX_CUSTOM_LEADERBOARDS}`);
  }

  async get(id: string): Promise<CustomLeaderboard | null> {
    const [row] = await this.sql.query<CustomLeaderboard>(`SELECT ${COLUMNS} FROM custom_leaderboards WHERE id = ?`, [id]);
    return row ?? null;
  }

  /** Null when a board with this id exists already. */
  async create(b: Omit<CustomLeaderboard, 'createdAt' | 'updatedAt'>): Promise<CustomLeaderboard | null> {
    const [row] = await this.sql.query<CustomLeaderboard>(
      `INSERT INTO custom_leaderboards (id, title, base, time_window, entity_ids) VALUES (?, ?, ?, ?, ?::text[]) ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
      [b.id, b.title, b.base, b.window, textArrayLiteral(b.entityIds)],
    );
    return row ?? null;
  }

  /** Null when no board has this id. */
  async update(id: string, b: Omit<CustomLeaderboard, 'id' | 'createdAt' | 'updatedAt'>): Promise<CustomLeaderboard | null> {
    const [row] = await this.sql.query<CustomLeaderboard>(
      `UPDATE custom_leaderboards SET title = ?, base = ?, time_window = ?, entity_ids = ?::text[], updated_at = now() WHERE id = ? RETURNING ${COLUMNS}`,
      [b.title, b.base, b.window, textArrayLiteral(b.entityIds), id],
    );
    return row ?? null;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.sql.query(`DELETE FROM custom_leaderboards WHERE id = ? RETURNING id`, [id])).length > 0;
  }
}

/** A reset as the ops API lists it. */
export interface ResetRecord {
  id: string;
  leaderboard: string;
  resetAt: string;
  entries: number;
}

/** Scores removed by resets, summed per (leaderboard, bucket, entity); see {@link baselineKey}. */
export type ResetBaselines = ReadonlyMap<string, number>;

export const baselineKey = (leaderboard: string, bucketId: string, entityId: string): string => `${leaderboard}\u0000${bucketId}\u0000${entityId}`;

export class LeaderboardResetLog {
  constructor(private readonly orm: Orm) {}

  async record(leaderboard: string, nowMs: number, removed: LeaderboardResetResult): Promise<ResetRecord> {
    const resetAt = new Date(nowMs);
    const id = await this.orm.em.fork().insert(LeaderboardReset, { leaderboard, resetAt, entries: removed.entries, removed: removed.buckets });
    return { id: String(id), leaderboard, resetAt: resetAt.toISOString(), entries: removed.entries };
  }

  /** The latest resets, newest first (without their removed scores). */
  async recent(limit: number): Promise<ResetRecord[]> {
    const rows = await this.orm.em
      .fork()
      .find(LeaderboardReset, {}, { orderBy: { resetAt: 'desc', id: 'desc' }, limit, fields: ['leaderboard', 'resetAt', 'entries'] });
    return rows.map((r) => ({ id: String(r.id), leaderboard: r.leaderboard, resetAt: r.resetAt.toISOString(), entries: r.entries }));
  }

  /** Removed scores of every reset, for buckets still live at `nowMs` (what a restore subtracts). */
  async baselines(nowMs: number): Promise<ResetBaselines> {
    const out = new Map<string, number>();
    for (const row of await this.orm.em.fork().find(LeaderboardReset, {}, { fields: ['leaderboard', 'removed'] })) {
      for (const bucket of row.removed) {
        const expiresAt = bucketExpiresAtMs(bucket.bucketId);
        if (expiresAt !== null && expiresAt <= nowMs) continue;
        for (const s of bucket.scores) {
          const key = baselineKey(row.leaderboard, bucket.bucketId, s.entityId);
          out.set(key, (out.get(key) ?? 0) + s.score);
        }
      }
    }
    return out;
  }
}

/** What the feeder looks up when an event does not carry it: a user's city (as the rollups count it), names and titles. */
export interface LeaderboardLookups {
  citiesOf?(userIds: readonly string[]): Promise<Map<string, string | null>>;
  artistNames?(artistIds: readonly string[]): Promise<Map<string, string>>;
  /** The catalog's title and artist name of each track found. */
  trackTitles?(trackIds: readonly string[]): Promise<Map<string, { title: string; artistName: string | null }>>;
  /** Concierto events' titles. */
  eventTitles?(eventIds: readonly string[]): Promise<Map<string, string>>;
  /** Thumbnail URLs of artists with a processed image; the others are left out (their catalog URL points nowhere served). */
  artworkOf?(artistIds: readonly string[], trackIds: readonly string[]): Promise<{ artists: Map<string, string>; tracks: Map<string, string> }>;
}

/** The pipeline's variants are served here; a catalog's own URL (a CDN placeholder) is not artwork we have. */
const SERVED_IMAGE = '/api/artists/%';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lookups against Postgres: one indexed query per feeder flush that needs them, none once cached. */
export function sqlLeaderboardLookups(sql: Sql): LeaderboardLookups {
  return {
    citiesOf: async (userIds) => {
      const ids = userIds.filter((id) => UUID_RE.test(id));
      const out = new Map<string, string | null>(userIds.map((id) => [id, null]));
      if (ids.length === 0) return out;
      const rows = await sql.query<{ id: string; city: string | null }>(
        `SELECT id::text AS id, city FROM users WHERE id IN (SELECT (jsonb_array_elements_text(?::jsonb))::uuid)`,
        [JSON.stringify(ids)],
      );
      for (const r of rows) out.set(r.id, r.city && r.city.length > 0 ? r.city : null);
      return out;
    },
    artistNames: (artistIds) => namesIn(sql, 'artists', 'name', artistIds),
    eventTitles: (eventIds) => namesIn(sql, 'concierto_events', 'title', eventIds),
    trackTitles: async (trackIds) => {
      const out = new Map<string, { title: string; artistName: string | null }>();
      if (trackIds.length === 0) return out;
      const rows = await sql.query<{ id: string; title: string; artist_name: string | null }>(
        `SELECT t.id, t.title, a.name AS artist_name FROM tracks t LEFT JOIN artists a ON a.id = t.artist_id
         WHERE t.id IN (SELECT jsonb_array_elements_text(?::jsonb))`,
        [JSON.stringify(trackIds)],
      );
      for (const r of rows) out.set(r.id, { title: r.title, artistName: r.artist_name });
      return out;
    },
    artworkOf: async (artistIds, trackIds) => {
      const artists = new Map<string, string>();
      const tracks = new Map<string, string>();
      if (artistIds.length === 0 && trackIds.length === 0) return { artists, tracks };
      const rows = await sql.query<{ kind: 'artist' | 'track'; id: string; thumbnail: string }>(
        `SELECT 'artist' AS kind, a.id, a.thumbnail FROM artists a
          WHERE a.id IN (SELECT jsonb_array_elements_text(?::jsonb)) AND a.thumbnail LIKE ?
         UNION ALL
         SELECT 'track', t.id, a.thumbnail FROM tracks t JOIN artists a ON a.id = t.artist_id
          WHERE t.id IN (SELECT jsonb_array_elements_text(?::jsonb)) AND a.thumbnail LIKE ?`,
        [JSON.stringify(artistIds), SERVED_IMAGE, JSON.stringify(trackIds), SERVED_IMAGE],
      );
      for (const r of rows) (r.kind === 'artist' ? artists : tracks).set(r.id, r.thumbnail);
      return { artists, tracks };
    },
  };
}

async function namesIn(sql: Sql, table: 'artists' | 'concierto_events', column: 'name' | 'title', ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await sql.query<{ id: string; name: string }>(
    `SELECT id, ${column} AS name FROM ${table} WHERE id IN (SELECT jsonb_array_elements_text(?::jsonb))`,
    [JSON.stringify(ids)],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
