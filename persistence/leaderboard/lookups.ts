import type { Sql } from '../db.js';

/**
 * What the leaderboard feeder may look up when an event does not carry it: a user's city (the city leaderboard
 * counts `COALESCE(payload.city, users.city)`, as the rollups do), artist display names and track titles.
 */
export interface LeaderboardLookups {
  citiesOf?(userIds: readonly string[]): Promise<Map<string, string | null>>;
  artistNames?(artistIds: readonly string[]): Promise<Map<string, string>>;
  /** The catalog's title and artist name of each track found. */
  trackTitles?(trackIds: readonly string[]): Promise<Map<string, { title: string; artistName: string | null }>>;
  /** Concierto events' titles. */
  eventTitles?(eventIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * The thumbnail URL of each artist (and each track's artist) the asset pipeline has processed an image for;
   * the others are left out (their catalog URL points nowhere this server serves).
   */
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
